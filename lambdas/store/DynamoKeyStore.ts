import { ItemKey, KeyNotFoundError, ConflictError, type InPlaceField, type KeyFields } from "../../contract";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { KeyRecord, KeyStore, LookupItem, UpdateOptions } from "./KeyStore";

// Lazily required so that a bundle only pays for what it calls.
function lib(): typeof import("@aws-sdk/lib-dynamodb") {
  return require("@aws-sdk/lib-dynamodb");
}

/** True when DynamoDB refused a write because a condition did not hold. */
function isConditionFailure(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  if (name === "ConditionalCheckFailedException") return true;
  if (name !== "TransactionCanceledException") return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === "ConditionalCheckFailed") || reasons.length === 0;
}

/** Record fields that the lookup item copies. */
const LOOKUP_FIELDS: readonly string[] = ["name", "status"];

function stripKey<T>(item: Record<string, unknown>): T {
  const { pk: _pk, type: _type, ...rest } = item;
  return rest as T;
}

/** {@link KeyStore} on one DynamoDB table: every write is conditional, every read strongly consistent. */
export class DynamoKeyStore implements KeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(record: KeyRecord, lookup: LookupItem): Promise<void> {
    const { TransactWriteCommand } = lib();
    const ifAbsent = "attribute_not_exists(pk)";
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { pk: ItemKey.record(record.keyId), type: "key", ...record }, ConditionExpression: ifAbsent } },
            { Put: { TableName: this.tableName, Item: { pk: ItemKey.lookup(lookup.hash), type: "lookup", ...lookup }, ConditionExpression: ifAbsent } },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`key ${record.keyId} already exists`, { cause: error });
      throw error;
    }
  }

  async get(keyId: string): Promise<KeyRecord | undefined> {
    const { GetCommand } = lib();
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: ItemKey.record(keyId) }, ConsistentRead: true }));
    return Item ? stripKey<KeyRecord>(Item) : undefined;
  }

  async update(keyId: string, changes: Partial<Pick<KeyFields, InPlaceField>>, options: UpdateOptions): Promise<KeyRecord> {
    const current = await this.get(keyId);
    if (!current || current.status === "deleted" || !current.hash) throw new KeyNotFoundError(keyId);
    const expectedVersion = options.expectedVersion ?? current.version;

    const names: Record<string, string> = { "#status": "status", "#version": "version", "#updatedAt": "updatedAt" };
    const values: Record<string, unknown> = { ":deleted": "deleted", ":expected": expectedVersion, ":one": 1, ":now": options.now };
    const sets = ["#version = #version + :one", "#updatedAt = :now"];
    // The lookup item copies what verify answers with, so those fields change in the same transaction.
    const lookup = { sets: [] as string[], names: {} as Record<string, string>, values: {} as Record<string, unknown> };
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
      if (LOOKUP_FIELDS.includes(field)) {
        lookup.sets.push(`#${field} = :${field}`);
        lookup.names[`#${field}`] = field;
        lookup.values[`:${field}`] = value;
      }
    }

    const { TransactWriteCommand } = lib();
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]> = [
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: ItemKey.record(keyId) },
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "attribute_exists(pk) AND #status <> :deleted AND #version = :expected",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ];
    if (lookup.sets.length) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: { pk: ItemKey.lookup(current.hash) },
          UpdateExpression: `SET ${lookup.sets.join(", ")}`,
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: lookup.names,
          ExpressionAttributeValues: lookup.values,
        },
      });
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const now = await this.get(keyId);
      if (!now || now.status === "deleted") throw new KeyNotFoundError(keyId, { cause: error });
      throw new ConflictError(`key ${keyId} changed while updating it (expected version ${expectedVersion}, found ${now.version}); run "pulumi refresh" and retry`, { cause: error });
    }
    return (await this.get(keyId))!;
  }

  async tombstone(keyId: string, now: string): Promise<KeyRecord> {
    const current = await this.get(keyId);
    if (!current) throw new KeyNotFoundError(keyId);
    if (current.status === "deleted" || !current.hash) return current;
    const { TransactWriteCommand } = lib();
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: this.tableName, Key: { pk: ItemKey.lookup(current.hash) } } },
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: ItemKey.record(keyId) },
                UpdateExpression: "SET #status = :deleted, deletedAt = :now, updatedAt = :now, #version = #version + :one REMOVE #hash",
                ConditionExpression: "#version = :expected",
                ExpressionAttributeNames: { "#status": "status", "#version": "version", "#hash": "hash" },
                ExpressionAttributeValues: { ":deleted": "deleted", ":now": now, ":one": 1, ":expected": current.version },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`key ${keyId} changed while deleting it; retry the delete`, { cause: error });
      throw error;
    }
    return (await this.get(keyId))!;
  }
}
