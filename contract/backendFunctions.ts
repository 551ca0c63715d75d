import { FUNCTION_TIMEOUT_SECONDS } from "./functionTimeouts";

/**
 * The backend's Lambda functions and the environment each reads: defined here once, so the build, the local stack,
 * the backend component, the Lambdas and the provider's defaults cannot disagree.
 */

/** One function per handler bundle, `dist/lambdas/<function>/index.js`. */
export const BACKEND_FUNCTIONS = ["create", "read", "update", "delete", "verify", "rotation"] as const;
/** One of {@link BACKEND_FUNCTIONS}. */
export type BackendFunction = (typeof BACKEND_FUNCTIONS)[number];

/** The functions an ApiKey is managed through. */
export const KEY_FUNCTIONS = ["create", "read", "update", "delete"] as const;
/** One of {@link KEY_FUNCTIONS}. */
export type KeyFunction = (typeof KEY_FUNCTIONS)[number];
/** The Lambda functions a key is managed through, by name or ARN. */
export type KeyFunctions = Record<KeyFunction, string>;

/** The prefix of every backend name (tables, functions, roles, secrets) when nothing else is configured. */
export const DEFAULT_BACKEND_PREFIX = "apikeys";

/** A function's name: `<prefix>-<function>`. */
export function functionName(prefix: string, fn: BackendFunction): string {
  return `${prefix}-${fn}`;
}

/** The names of the functions an ApiKey invokes, for a backend deployed with `prefix`. */
export function keyFunctionsOf(prefix: string = DEFAULT_BACKEND_PREFIX): KeyFunctions {
  return Object.fromEntries(KEY_FUNCTIONS.map((fn) => [fn, functionName(prefix, fn)])) as KeyFunctions;
}

/** Environment variables the Lambdas read (lambdas/backendConfig.ts). */
export const BackendEnv = {
  TABLE_NAME: "APIKEYS_TABLE_NAME",
  AUDIT_TABLE_NAME: "APIKEYS_AUDIT_TABLE_NAME",
  SECRET_PREFIX: "APIKEYS_SECRET_PREFIX",
  KMS_KEY_ID: "APIKEYS_KMS_KEY_ID",
  ROTATION_FUNCTION_ARN: "APIKEYS_ROTATION_FUNCTION_ARN",
  /** JSON map of route ("GET /orders/{id}") to the scopes a key needs for it: what the authorizer requires. */
  ROUTE_SCOPES: "APIKEYS_ROUTE_SCOPES",
  /** The `service` dimension of the usage metrics (Powertools reads it too): the backend's prefix. */
  SERVICE_NAME: "POWERTOOLS_SERVICE_NAME",
  /** Tuning only (tests shorten it); deployments keep the default, so no function is configured with it. */
  LAST_USED_INTERVAL_SECONDS: "APIKEYS_LAST_USED_INTERVAL_SECONDS",
} as const;
/** One of {@link BackendEnv}. */
export type BackendEnv = (typeof BackendEnv)[keyof typeof BackendEnv];

/** The scopes a key needs per route of an HTTP API ("GET /orders/{id}") or REST API ("GET /orders/{id}" too). */
export type RouteScopes = Record<string, string[]>;

/** Checks a route-to-scopes map, the backend's `routeScopes` input; the reason names the route at fault. */
export function routeScopesRule(value: unknown): { value: RouteScopes } | { reason: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { reason: "must be a map of route to a list of scopes" };
  for (const [route, scopes] of Object.entries(value)) {
    if (!/^(\$default|[A-Z]+ \/\S*|ANY \/\S*)$/.test(route)) return { reason: `route ${JSON.stringify(route)} must be "METHOD /path" such as "GET /orders/{id}", or "$default"` };
    if (!Array.isArray(scopes) || scopes.length > 50 || !scopes.every((scope) => typeof scope === "string" && /^(\*|[A-Za-z0-9][A-Za-z0-9:._\/*-]{0,63})$/.test(scope))) {
      return { reason: `route ${JSON.stringify(route)} must map to at most 50 scopes of letters, digits and : . _ / * -` };
    }
  }
  return { value: value as RouteScopes };
}

/** How one function is deployed. */
export interface FunctionSettings {
  description: string;
  /** Only what the function's code reads: a variable it does not need is a setting nobody can reason about. */
  env: readonly BackendEnv[];
  timeoutSeconds: number;
  memoryMb: number;
}

/** Deployment settings per function, derived from what each handler does (backend/functionPolicy.ts lists its calls). */
// Built by a pure call so that bundles which never read the settings (every Lambda's) leave them out.
export const FUNCTION_SETTINGS: Record<BackendFunction, FunctionSettings> = /* @__PURE__ */ functionSettings();

function functionSettings(): Record<BackendFunction, FunctionSettings> {
  const { TABLE_NAME, AUDIT_TABLE_NAME, SECRET_PREFIX, KMS_KEY_ID, ROTATION_FUNCTION_ARN, ROUTE_SCOPES, SERVICE_NAME } = BackendEnv;
  return {
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
  verify: { description: "apikeys: verifies a key; an HTTP API REQUEST authorizer", env: [TABLE_NAME, ROUTE_SCOPES, SERVICE_NAME], timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.verify, memoryMb: 512 },
  rotation: { description: "apikeys: Secrets Manager rotation function", env: [TABLE_NAME, AUDIT_TABLE_NAME], timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.rotation, memoryMb: 256 },
  };
}
