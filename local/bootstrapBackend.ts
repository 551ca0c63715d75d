import { TABLE_SCHEMA } from "../contract";

/** Where the backend's data lives, as {@link bootstrapBackend} made it. */
export interface BackendResources {
  tableName: string;
  kmsKeyId: string;
}

/** Creates the table (from the shared schema) and a KMS key for secrets, using clients configured by `clientConfig`. */
export async function bootstrapBackend(clientConfig: Record<string, unknown>, tableName: string): Promise<BackendResources> {
  const { DynamoDBClient, CreateTableCommand, waitUntilTableExists } = require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
  const { KMSClient, CreateKeyCommand } = require("@aws-sdk/client-kms") as typeof import("@aws-sdk/client-kms");
  const dynamo = new DynamoDBClient(clientConfig);
  const kms = new KMSClient(clientConfig);
  try {
    const { partitionKey, billingMode } = TABLE_SCHEMA;
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: billingMode,
        AttributeDefinitions: [{ AttributeName: partitionKey.name, AttributeType: partitionKey.type }],
        KeySchema: [{ AttributeName: partitionKey.name, KeyType: "HASH" }],
      }),
    );
    await waitUntilTableExists({ client: dynamo, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "apikeys secrets (local)" }));
    return { tableName, kmsKeyId: KeyMetadata!.KeyId! };
  } finally {
    dynamo.destroy();
    kms.destroy();
  }
}
