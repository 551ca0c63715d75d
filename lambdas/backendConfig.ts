import { BackendEnv, DEFAULT_AUDIT_TABLE_NAME, DEFAULT_BACKEND_PREFIX, DEFAULT_TABLE_NAME, ValidationError, routeScopesRule, type RouteScopes } from "../contract";

/** What the Lambdas read from their environment. */
export interface BackendConfig {
  tableName: string;
  /** Where every change of a key is recorded. */
  auditTableName: string;
  /** Secret names are `<secretPrefix><keyId>`, so IAM policies can be scoped to the prefix. */
  secretPrefix: string;
  /** KMS key for new secrets; Secrets Manager's default key when absent. */
  kmsKeyId?: string;
  /** The rotation Lambda Secrets Manager calls for scheduled rotations; without it they cannot be turned on. */
  rotationFunctionArn?: string;
  /** Verify records a key's last use at most this often, so heavy traffic does not become a write per call. */
  lastUsedIntervalSeconds: number;
  /** Scopes the authorizer requires per route; none when a route is not in the map. */
  routeScopes: RouteScopes;
  /** The `service` dimension of verify's usage metrics: the backend's prefix, so backends in one account stay apart. */
  serviceName: string;
}

/** The route map from the environment; a broken one fails the function at start rather than letting keys through. */
function routeScopesOf(text: string | undefined): RouteScopes {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw Object.assign(new ValidationError(BackendEnv.ROUTE_SCOPES, "must be JSON"), { cause: error });
  }
  const outcome = routeScopesRule(parsed);
  if ("reason" in outcome) throw new ValidationError(BackendEnv.ROUTE_SCOPES, outcome.reason);
  return outcome.value;
}

/** Default secret name prefix. */
export const DEFAULT_SECRET_PREFIX = `${DEFAULT_BACKEND_PREFIX}/`;

/** Reads {@link BackendConfig} from environment variables, with defaults. */
export function backendConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
  return {
    tableName: env[BackendEnv.TABLE_NAME] || DEFAULT_TABLE_NAME,
    auditTableName: env[BackendEnv.AUDIT_TABLE_NAME] || DEFAULT_AUDIT_TABLE_NAME,
    secretPrefix: env[BackendEnv.SECRET_PREFIX] ?? DEFAULT_SECRET_PREFIX,
    kmsKeyId: env[BackendEnv.KMS_KEY_ID] || undefined,
    rotationFunctionArn: env[BackendEnv.ROTATION_FUNCTION_ARN] || undefined,
    lastUsedIntervalSeconds: Number(env[BackendEnv.LAST_USED_INTERVAL_SECONDS] || 60),
    routeScopes: routeScopesOf(env[BackendEnv.ROUTE_SCOPES]),
    serviceName: env[BackendEnv.SERVICE_NAME] || DEFAULT_BACKEND_PREFIX,
  };
}
