import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { AUDIT_TABLE_SCHEMA, DEFAULT_AUDIT_TABLE_NAME } from "../../contract";

/**
 * Creates the audit table from {@link AUDIT_TABLE_SCHEMA} on a local stack, unless it exists already (a local stack
 * that creates it itself answers ResourceInUseException, which is fine). Returns the table name.
 */
export async function ensureAuditTable(clientConfig: Record<string, unknown>, tableName: string = DEFAULT_AUDIT_TABLE_NAME): Promise<string> {
  const { partitionKey, sortKey, byDayIndex, billingMode } = AUDIT_TABLE_SCHEMA;
  const client = new DynamoDBClient(clientConfig);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: billingMode,
        AttributeDefinitions: [
          { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
          { AttributeName: sortKey.name, AttributeType: sortKey.type },
          { AttributeName: byDayIndex.partitionKey.name, AttributeType: byDayIndex.partitionKey.type },
        ],
        KeySchema: [
          { AttributeName: partitionKey.name, KeyType: "HASH" },
          { AttributeName: sortKey.name, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: byDayIndex.name,
            KeySchema: [
              { AttributeName: byDayIndex.partitionKey.name, KeyType: "HASH" },
              { AttributeName: byDayIndex.sortKey.name, KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      }),
    );
  } catch (error) {
    if ((error as Error).name !== "ResourceInUseException") throw error;
  }
  try {
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
    return tableName;
  } finally {
    client.destroy();
  }
}
