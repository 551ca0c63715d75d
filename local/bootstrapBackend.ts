import { AUDIT_TABLE_SCHEMA, TABLE_SCHEMA } from "../contract";

/** Where the backend's data lives, as {@link bootstrapBackend} made it. */
export interface BackendResources {
  tableName: string;
  auditTableName: string;
  kmsKeyId: string;
  keyTableArn: string;
  auditTableArn: string;
  kmsKeyArn: string;
  /** moto's account, as its ARNs name it. */
  accountId: string;
}

/** Creates the key and audit tables (from the shared schemas) and a KMS key for secrets, with clients configured by `clientConfig`. */
export async function bootstrapBackend(clientConfig: Record<string, unknown>, tableName: string, auditTableName: string): Promise<BackendResources> {
  const { DynamoDBClient, CreateTableCommand, waitUntilTableExists } = require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
  const { KMSClient, CreateKeyCommand } = require("@aws-sdk/client-kms") as typeof import("@aws-sdk/client-kms");
  const dynamo = new DynamoDBClient(clientConfig);
  const kms = new KMSClient(clientConfig);
  try {
    const { partitionKey, billingMode } = TABLE_SCHEMA;
    const keyTable = await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: billingMode,
        AttributeDefinitions: [{ AttributeName: partitionKey.name, AttributeType: partitionKey.type }],
        KeySchema: [{ AttributeName: partitionKey.name, KeyType: "HASH" }],
      }),
    );
    const audit = AUDIT_TABLE_SCHEMA;
    const index = audit.byDayIndex;
    const auditTable = await dynamo.send(
      new CreateTableCommand({
        TableName: auditTableName,
        BillingMode: audit.billingMode,
        AttributeDefinitions: [
          { AttributeName: audit.partitionKey.name, AttributeType: audit.partitionKey.type },
          { AttributeName: audit.sortKey.name, AttributeType: audit.sortKey.type },
          { AttributeName: index.partitionKey.name, AttributeType: index.partitionKey.type },
        ],
        KeySchema: [
          { AttributeName: audit.partitionKey.name, KeyType: "HASH" },
          { AttributeName: audit.sortKey.name, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: "HASH" },
              { AttributeName: index.sortKey.name, KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      }),
    );
    for (const name of [tableName, auditTableName]) await waitUntilTableExists({ client: dynamo, maxWaitTime: 30, minDelay: 1 }, { TableName: name });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "apikeys secrets (local)" }));
    const keyTableArn = keyTable.TableDescription!.TableArn!;
    return {
      tableName,
      auditTableName,
      kmsKeyId: KeyMetadata!.KeyId!,
      keyTableArn,
      auditTableArn: auditTable.TableDescription!.TableArn!,
      kmsKeyArn: KeyMetadata!.Arn!,
      accountId: keyTableArn.split(":")[4],
    };
  } finally {
    dynamo.destroy();
    kms.destroy();
  }
}
