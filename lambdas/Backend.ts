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

/** A {@link Backend} on AWS SDK clients built from `clientConfig` (region, endpoint, credentials), plus a way to close them. */
export function createBackend(config: BackendConfig, clientConfig: Record<string, unknown> = {}): Backend & { destroy(): void } {
  const { DynamoDBClient } = require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
  const { DynamoDBDocumentClient } = require("@aws-sdk/lib-dynamodb") as typeof import("@aws-sdk/lib-dynamodb");
  const dynamo = new DynamoDBClient(clientConfig);
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  // Loaded and built on first use: verify never touches Secrets Manager, so its cold start loads the DynamoDB
  // clients alone.
  let secrets: import("@aws-sdk/client-secrets-manager").SecretsManagerClient | undefined;
  let vault: SecretVault | undefined;
  return {
    store: new DynamoKeyStore(documents, config.tableName, config.auditTableName),
    get secrets() {
      if (!secrets) {
        const { SecretsManagerClient } = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
        secrets = new SecretsManagerClient(clientConfig);
      }
      vault ??= new SecretsManagerVault(secrets);
      return vault;
    },
    config,
    now: () => new Date(),
    destroy: () => {
      dynamo.destroy();
      secrets?.destroy();
    },
  };
}

let warm: Backend | undefined;

/** The AWS-backed {@link Backend}, built once per Lambda worker so clients and connections are reused. */
export function awsBackend(): Backend {
  warm ??= createBackend(backendConfig());
  return warm;
}
