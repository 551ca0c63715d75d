import { createBackend, type Backend } from "../../lambdas/Backend";
import type { BackendConfig } from "../../lambdas/backendConfig";
import { localBackendConfig } from "../../local/localBackendConfig";
import type { LocalStack } from "../../local/localStack";

/** A {@link Backend} on a local stack with a clock the test moves, and a count of every DynamoDB call by command. */
export interface TestBackend extends Backend {
  /** DynamoDB commands sent so far, by name (GetItemCommand, UpdateItemCommand, ...). */
  calls: Record<string, number>;
  /** Moves the clock forward. */
  advance(ms: number): void;
  setNow(date: Date): void;
  destroy(): void;
}

/** Builds a backend whose clients talk to `stack`'s moto, with `overrides` on the configuration. */
export function localBackend(stack: LocalStack, overrides: Partial<BackendConfig> = {}): TestBackend {
  const backend = createBackend(localBackendConfig(stack, overrides), stack.clientConfig("dynamodb"));
  const calls: Record<string, number> = {};
  // Count through the document client's underlying client: every store call is one DynamoDB command.
  const dynamo = (backend.store as unknown as { client: { middlewareStack: { add: Function } } }).client;
  dynamo.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName: string }) => async (args: unknown) => {
      calls[context.commandName] = (calls[context.commandName] ?? 0) + 1;
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  let now = new Date();
  return {
    ...backend,
    now: () => new Date(now),
    calls,
    advance: (ms) => (now = new Date(now.getTime() + ms)),
    setNow: (date) => (now = date),
  };
}

/** A {@link localBackend} for the suite: built before the tests, closed after; its fields are ready inside tests. */
export function useLocalBackend(aws: { stack: LocalStack }, overrides: Partial<BackendConfig> = {}): TestBackend {
  let backend: TestBackend | undefined;
  beforeAll(() => {
    backend = localBackend(aws.stack, overrides);
  });
  afterAll(() => backend?.destroy());
  // A view that forwards to the backend once beforeAll has built it.
  return new Proxy({} as TestBackend, { get: (_target, property) => (backend as unknown as Record<string | symbol, unknown>)[property] });
}
