import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Backend } from "../lambdas/Backend";
import { DynamoKeyStore } from "../lambdas/store/DynamoKeyStore";
import { SecretsManagerVault } from "../lambdas/secrets/SecretsManagerVault";
import type { LocalStack } from "../local/localStack";

/** A backend whose clients talk to a local stack, built the way the Lambdas build theirs. */
export function localBenchBackend(stack: LocalStack): Backend & { destroy(): void } {
  const dynamo = new DynamoDBClient(stack.clientConfig("dynamodb"));
  const secrets = new SecretsManagerClient(stack.clientConfig("secretsmanager"));
  return {
    store: new DynamoKeyStore(DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }), stack.tableName),
    secrets: new SecretsManagerVault(secrets),
    config: { tableName: stack.tableName, secretPrefix: "apikeys/", kmsKeyId: stack.kmsKeyId, lastUsedIntervalSeconds: 60 },
    now: () => new Date(),
    destroy: () => {
      dynamo.destroy();
      secrets.destroy();
    },
  };
}
