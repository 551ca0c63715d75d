import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { AUDIT_TABLE_SCHEMA, TABLE_SCHEMA } from "../contract";

/** What every backend table gets: keys are hard to recover, so losing a table must take more than one mistake. */
function protectedTable(name: string, kmsKeyArn: pulumi.Input<string>): aws.dynamodb.TableArgs {
  return {
    name,
    // On demand: traffic follows key use, which nobody can forecast per stack.
    billingMode: TABLE_SCHEMA.billingMode,
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: true,
    serverSideEncryption: { enabled: true, kmsKeyArn },
  };
}

/** The key table, from contract TABLE_SCHEMA: one string partition key, no sort key, no index. */
export function keyTableArgs(name: string, kmsKeyArn: pulumi.Input<string>): aws.dynamodb.TableArgs {
  const { partitionKey } = TABLE_SCHEMA;
  return {
    ...protectedTable(name, kmsKeyArn),
    hashKey: partitionKey.name,
    attributes: [{ name: partitionKey.name, type: partitionKey.type }],
  };
}

/** The audit table, from contract AUDIT_TABLE_SCHEMA: keyId + sk, and the byDay index for time-range queries. */
export function auditTableArgs(name: string, kmsKeyArn: pulumi.Input<string>): aws.dynamodb.TableArgs {
  const { partitionKey, sortKey, byDayIndex, billingMode } = AUDIT_TABLE_SCHEMA;
  return {
    ...protectedTable(name, kmsKeyArn),
    billingMode,
    hashKey: partitionKey.name,
    rangeKey: sortKey.name,
    attributes: [
      { name: partitionKey.name, type: partitionKey.type },
      { name: sortKey.name, type: sortKey.type },
      { name: byDayIndex.partitionKey.name, type: byDayIndex.partitionKey.type },
    ],
    globalSecondaryIndexes: [
      {
        name: byDayIndex.name,
        keySchemas: [
          { attributeName: byDayIndex.partitionKey.name, keyType: "HASH" },
          { attributeName: byDayIndex.sortKey.name, keyType: "RANGE" },
        ],
        // An audit query wants whole events; projecting keys only would cost a GetItem per event.
        projectionType: "ALL",
      },
    ],
  };
}
