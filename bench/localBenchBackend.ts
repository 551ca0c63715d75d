import { createBackend, type Backend } from "../lambdas/Backend";
import { localBackendConfig } from "../local/localBackendConfig";
import type { LocalStack } from "../local/localStack";

/** A backend whose clients talk to a local stack, built the way the Lambdas build theirs. */
export function localBenchBackend(stack: LocalStack): Backend & { destroy(): void } {
  return createBackend(localBackendConfig(stack), stack.clientConfig("dynamodb"));
}
