import { DynamoKeyStore } from "./store/DynamoKeyStore";
import type { KeyStore } from "./store/KeyStore";
import { SecretsManagerVault } from "./secrets/SecretsManagerVault";
import type { SecretVault } from "./secrets/SecretVault";
import { backendConfig, type BackendConfig } from "./backendConfig";

/** Everything an operation needs, injectable for tests. */
export interface Backend {
  store: KeyStore;
  secrets: SecretVault;
  config: BackendConfig;
  now: () => Date;
}

let warm: Backend | undefined;

/** The AWS-backed {@link Backend}, built once per Lambda worker so clients and connections are reused. */
export function awsBackend(): Backend {
  if (warm) return warm;
  const { DynamoDBClient } = require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
  const { DynamoDBDocumentClient } = require("@aws-sdk/lib-dynamodb") as typeof import("@aws-sdk/lib-dynamodb");
  const { SecretsManagerClient } = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
  const config = backendConfig();
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  warm = {
    store: new DynamoKeyStore(documents, config.tableName),
    secrets: new SecretsManagerVault(new SecretsManagerClient({})),
    config,
    now: () => new Date(),
  };
  return warm;
}
