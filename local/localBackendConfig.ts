import { backendConfig, type BackendConfig } from "../lambdas/backendConfig";
import type { LocalStack } from "./localStack";

/** The configuration a local stack's functions run with, for in-process backends beside them; `overrides` on top. */
export function localBackendConfig(stack: LocalStack, overrides: Partial<BackendConfig> = {}): BackendConfig {
  return { ...backendConfig({}), tableName: stack.tableName, auditTableName: stack.auditTableName, kmsKeyId: stack.kmsKeyId, ...overrides };
}
