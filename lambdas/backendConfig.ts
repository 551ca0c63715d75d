import { DEFAULT_TABLE_NAME } from "../contract";

/** What the Lambdas read from their environment. */
export interface BackendConfig {
  tableName: string;
  /** Secret names are `<secretPrefix><keyId>`, so IAM policies can be scoped to the prefix. */
  secretPrefix: string;
  /** KMS key for new secrets; Secrets Manager's default key when absent. */
  kmsKeyId?: string;
}

/** Default secret name prefix. */
export const DEFAULT_SECRET_PREFIX = "apikeys/";

/** Reads {@link BackendConfig} from environment variables, with defaults. */
export function backendConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
  return {
    tableName: env.APIKEYS_TABLE_NAME || DEFAULT_TABLE_NAME,
    secretPrefix: env.APIKEYS_SECRET_PREFIX ?? DEFAULT_SECRET_PREFIX,
    kmsKeyId: env.APIKEYS_KMS_KEY_ID || undefined,
  };
}
