import { FUNCTION_TIMEOUT_SECONDS } from "../contract";

/** The backend's Lambda functions: one per handler bundle that scripts/build.js writes to dist/lambdas/<name>/. */
export const BACKEND_FUNCTIONS = ["create", "read", "update", "delete", "verify", "rotation"] as const;
/** One of {@link BACKEND_FUNCTIONS}. */
export type BackendFunction = (typeof BACKEND_FUNCTIONS)[number];

/** Environment variables the Lambdas read (lambdas/backendConfig.ts). */
export const BackendEnv = {
  TABLE_NAME: "APIKEYS_TABLE_NAME",
  AUDIT_TABLE_NAME: "APIKEYS_AUDIT_TABLE_NAME",
  SECRET_PREFIX: "APIKEYS_SECRET_PREFIX",
  KMS_KEY_ID: "APIKEYS_KMS_KEY_ID",
  ROTATION_FUNCTION_ARN: "APIKEYS_ROTATION_FUNCTION_ARN",
} as const;
/** One of {@link BackendEnv}. */
export type BackendEnv = (typeof BackendEnv)[keyof typeof BackendEnv];

/** How one function is deployed. */
export interface FunctionSettings {
  description: string;
  /** Only what the function's code reads: a variable it does not need is a setting nobody can reason about. */
  env: readonly BackendEnv[];
  timeoutSeconds: number;
  memoryMb: number;
}

const { TABLE_NAME, AUDIT_TABLE_NAME, SECRET_PREFIX, KMS_KEY_ID, ROTATION_FUNCTION_ARN } = BackendEnv;

/** Deployment settings per function, derived from what each handler does (see infra/functionPolicy.ts for its calls). */
export const FUNCTION_SETTINGS: Record<BackendFunction, FunctionSettings> = {
  create: {
    description: "apikeys: creates a key (secret, record, lookup item, audit event)",
    env: [TABLE_NAME, AUDIT_TABLE_NAME, SECRET_PREFIX, KMS_KEY_ID, ROTATION_FUNCTION_ARN],
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.create,
    memoryMb: 256,
  },
  read: { description: "apikeys: reads a key's metadata", env: [TABLE_NAME], timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.read, memoryMb: 256 },
  update: {
    description: "apikeys: updates a key in place, rotating it when its trigger changes",
    env: [TABLE_NAME, AUDIT_TABLE_NAME, ROTATION_FUNCTION_ARN],
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.update,
    memoryMb: 256,
  },
  delete: { description: "apikeys: deletes a key and schedules its secret's deletion", env: [TABLE_NAME, AUDIT_TABLE_NAME, SECRET_PREFIX], timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.delete, memoryMb: 256 },
  // Verify sits on the path of every authorized request; Lambda's CPU share grows with memory, so it gets more.
  verify: { description: "apikeys: verifies a key; an HTTP API REQUEST authorizer", env: [TABLE_NAME], timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.verify, memoryMb: 512 },
  rotation: { description: "apikeys: Secrets Manager rotation function", env: [TABLE_NAME, AUDIT_TABLE_NAME], timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.rotation, memoryMb: 256 },
};
