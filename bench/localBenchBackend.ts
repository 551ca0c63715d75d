import { createBackend, type Backend } from "../lambdas/Backend";
import { backendConfig } from "../lambdas/backendConfig";
import type { LocalStack } from "../local/localStack";

/** A backend whose clients talk to a local stack, built the way the Lambdas build theirs. */
export function localBenchBackend(stack: LocalStack): Backend & { destroy(): void } {
  return createBackend({ ...backendConfig({}), tableName: stack.tableName, auditTableName: stack.auditTableName, kmsKeyId: stack.kmsKeyId }, stack.clientConfig("dynamodb"));
}
