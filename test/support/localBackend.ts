import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Backend } from "../../lambdas/Backend";
import type { BackendConfig } from "../../lambdas/backendConfig";
import { DynamoKeyStore } from "../../lambdas/store/DynamoKeyStore";
import { SecretsManagerVault } from "../../lambdas/secrets/SecretsManagerVault";
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

/** Builds a backend whose clients talk to `stack`'s moto, with `config` overriding the defaults. */
export function localBackend(stack: LocalStack, config: Partial<BackendConfig> = {}): TestBackend {
  const dynamo = new DynamoDBClient(stack.clientConfig("dynamodb"));
  const calls: Record<string, number> = {};
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      calls[context.commandName as string] = (calls[context.commandName as string] ?? 0) + 1;
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  const secretsClient = new SecretsManagerClient(stack.clientConfig("secretsmanager"));
  let now = new Date();
  return {
    store: new DynamoKeyStore(DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }), stack.tableName),
    secrets: new SecretsManagerVault(secretsClient),
    config: { tableName: stack.tableName, secretPrefix: "apikeys/", kmsKeyId: stack.kmsKeyId, lastUsedIntervalSeconds: 60, ...config },
    now: () => new Date(now),
    calls,
    advance: (ms) => (now = new Date(now.getTime() + ms)),
    setNow: (date) => (now = date),
    destroy: () => {
      dynamo.destroy();
      secretsClient.destroy();
    },
  };
}
