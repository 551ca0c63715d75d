import { ConflictError, ItemKey, KeyNotFoundError, VERIFY_FIELDS, type AuditEvent } from "../../contract";
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { lookupHashes, verifyFields, type FieldChanges, type KeyRecord, type KeyStore, type LookupItem, type Rotation, type UpdateOptions } from "./KeyStore";
import { updateExpression } from "./updateExpression";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

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
  return reasons.length === 0 || reasons.some((reason) => reason.Code === "ConditionalCheckFailed");
}

function stripKey<T>(item: Record<string, unknown>): T {
  const { pk: _pk, type: _type, ...rest } = item;
  return rest as T;
}

/** {@link KeyStore} on one DynamoDB table: every write is conditional, every read strongly consistent. */
export class DynamoKeyStore implements KeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly auditTableName: string,
  ) {}

  /** The audit Put that rides along with a change, if there is an event. */
  private auditItems(audit: AuditEvent | undefined): TransactItem[] {
    if (!audit) return [];
    return [{ Put: { TableName: this.auditTableName, Item: audit, ConditionExpression: "attribute_not_exists(sk)" } }];
  }

  private async transact(items: TransactItem[], onConflict: () => Promise<Error>): Promise<void> {
    const { TransactWriteCommand } = lib();
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const domain = await onConflict();
      (domain as { cause?: unknown }).cause = error;
      throw domain;
    }
  }

  /** Why a conditional write on a record failed: it is gone, or it moved on. */
  private async conflict(keyId: string, doing: string, expectedVersion: number): Promise<Error> {
    const now = await this.get(keyId);
    if (!now || now.status === "deleted") return new KeyNotFoundError(keyId);
    return new ConflictError(`key ${keyId} changed while ${doing} it (expected version ${expectedVersion}, found ${now.version}); run "pulumi refresh" and retry`);
  }

  private async live(keyId: string): Promise<KeyRecord & { hash: string }> {
    const record = await this.get(keyId);
    if (!record || record.status === "deleted" || !record.hash) throw new KeyNotFoundError(keyId);
    return record as KeyRecord & { hash: string };
  }

  async put(record: KeyRecord, lookup: LookupItem, audit?: AuditEvent): Promise<void> {
    const ifAbsent = "attribute_not_exists(pk)";
    await this.transact(
      [
        { Put: { TableName: this.tableName, Item: { pk: ItemKey.record(record.keyId), type: "key", ...record }, ConditionExpression: ifAbsent } },
        { Put: { TableName: this.tableName, Item: { pk: ItemKey.lookup(lookup.hash), type: "lookup", ...lookup }, ConditionExpression: ifAbsent } },
        ...this.auditItems(audit),
      ],
      async () => new ConflictError(`key ${record.keyId} already exists`),
    );
  }

  async get(keyId: string): Promise<KeyRecord | undefined> {
    const { GetCommand } = lib();
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: ItemKey.record(keyId) }, ConsistentRead: true }));
    return Item ? stripKey<KeyRecord>(Item) : undefined;
  }

  async getLookup(hash: string): Promise<LookupItem | undefined> {
    const { GetCommand } = lib();
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: ItemKey.lookup(hash) }, ConsistentRead: true }));
    return Item ? stripKey<LookupItem>(Item) : undefined;
  }

  async update(keyId: string, changes: FieldChanges, options: UpdateOptions): Promise<KeyRecord> {
    const current = await this.live(keyId);
    const expectedVersion = options.expectedVersion ?? current.version;
    const record = updateExpression(changes, {
      expression: "#version = #version + :one, #updatedAt = :now",
      names: { "#version": "version", "#updatedAt": "updatedAt", "#status": "status" },
      values: { ":one": 1, ":now": options.now, ":deleted": "deleted", ":expected": expectedVersion },
    });
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: ItemKey.record(keyId) },
          UpdateExpression: record.expression,
          ConditionExpression: "attribute_exists(pk) AND #status <> :deleted AND #version = :expected",
          ExpressionAttributeNames: record.names,
          ExpressionAttributeValues: record.values,
        },
      },
    ];
    // Lookup items copy the verify fields, so they change in the same transaction as the record.
    const lookupChanges = Object.fromEntries(VERIFY_FIELDS.filter((field) => changes[field] !== undefined).map((field) => [field, changes[field]]));
    if (Object.keys(lookupChanges).length) {
      const lookup = updateExpression(lookupChanges);
      for (const hash of lookupHashes(current)) {
        items.push({
          Update: {
            TableName: this.tableName,
            Key: { pk: ItemKey.lookup(hash) },
            UpdateExpression: lookup.expression,
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeNames: lookup.names,
            ...(Object.keys(lookup.values).length ? { ExpressionAttributeValues: lookup.values } : {}),
          },
        });
      }
    }
    items.push(...this.auditItems(options.audit));
    await this.transact(items, () => this.conflict(keyId, "updating", expectedVersion));
    return (await this.get(keyId))!;
  }

  async addLookup(record: KeyRecord, hash: string): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { pk: ItemKey.lookup(hash), type: "lookup", hash, keyId: record.keyId, ...verifyFields(record) },
          ConditionExpression: "attribute_not_exists(pk) OR keyId = :keyId",
          ExpressionAttributeValues: { ":keyId": record.keyId },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: ItemKey.record(record.keyId) },
          UpdateExpression: "SET pendingHash = :hash",
          ConditionExpression: "attribute_exists(pk) AND #status <> :deleted",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":hash": hash, ":deleted": "deleted" },
        },
      },
    ];
    // An abandoned earlier rotation's pending value goes: only one pending value at a time can verify.
    if (record.pendingHash && record.pendingHash !== hash && record.pendingHash !== record.hash) {
      items.push({ Delete: { TableName: this.tableName, Key: { pk: ItemKey.lookup(record.pendingHash) } } });
    }
    await this.transact(items, async () => new ConflictError(`key ${record.keyId} is deleted, or a lookup item of another key has this hash`));
  }

  async rotate(keyId: string, rotation: Rotation): Promise<KeyRecord> {
    const current = await this.live(keyId);
    if (current.hash === rotation.hash) return current;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { pk: ItemKey.lookup(rotation.hash), type: "lookup", hash: rotation.hash, keyId, ...verifyFields(current) },
          ConditionExpression: "attribute_not_exists(pk) OR keyId = :keyId",
          ExpressionAttributeValues: { ":keyId": keyId },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: ItemKey.lookup(current.hash) },
          UpdateExpression: "SET retiresAt = :retiresAt",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":retiresAt": rotation.retiresAt },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: ItemKey.record(keyId) },
          UpdateExpression:
            // No version bump: the version guards declared fields, and a scheduled rotation must not fail the next update.
            "SET #hash = :hash, previousHash = :previous, maskedKey = :masked, secretVersionId = :secretVersion, rotatedAt = :now, updatedAt = :now, rotation = :rotation REMOVE pendingHash",
          ConditionExpression: "#version = :expected",
          ExpressionAttributeNames: { "#hash": "hash", "#version": "version" },
          ExpressionAttributeValues: {
            ":hash": rotation.hash,
            ":previous": current.hash,
            ":masked": rotation.maskedKey,
            ":secretVersion": rotation.secretVersionId,
            ":now": rotation.now,
            ":rotation": rotation.rotation,
            ":expected": rotation.expectedVersion,
          },
        },
      },
    ];
    // Only the value just replaced keeps answering; the one before it, and any other pending value, go.
    for (const hash of lookupHashes(current)) {
      if (hash !== rotation.hash && hash !== current.hash) items.push({ Delete: { TableName: this.tableName, Key: { pk: ItemKey.lookup(hash) } } });
    }
    items.push(...this.auditItems(rotation.audit));
    await this.transact(items, () => this.conflict(keyId, "rotating", rotation.expectedVersion));
    return (await this.get(keyId))!;
  }

  async discard(keyId: string, audit?: AuditEvent): Promise<void> {
    const current = await this.get(keyId);
    if (!current) return;
    await this.transact(
      [
        ...lookupHashes(current).map((hash): TransactItem => ({ Delete: { TableName: this.tableName, Key: { pk: ItemKey.lookup(hash) } } })),
        {
          Delete: {
            TableName: this.tableName,
            Key: { pk: ItemKey.record(keyId) },
            ConditionExpression: "#version = :first",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":first": 1 },
          },
        },
        ...this.auditItems(audit),
      ],
      async () => new ConflictError(`key ${keyId} changed after its create; it is not discarded`),
    );
  }

  async tombstone(keyId: string, now: string, audit?: AuditEvent): Promise<KeyRecord> {
    const current = await this.get(keyId);
    if (!current) throw new KeyNotFoundError(keyId);
    if (current.status === "deleted") return current;
    await this.transact(
      [
        ...lookupHashes(current).map((hash): TransactItem => ({ Delete: { TableName: this.tableName, Key: { pk: ItemKey.lookup(hash) } } })),
        {
          Update: {
            TableName: this.tableName,
            Key: { pk: ItemKey.record(keyId) },
            UpdateExpression: "SET #status = :deleted, deletedAt = :now, updatedAt = :now, #version = #version + :one REMOVE #hash, previousHash, pendingHash",
            ConditionExpression: "#version = :expected",
            ExpressionAttributeNames: { "#status": "status", "#version": "version", "#hash": "hash" },
            ExpressionAttributeValues: { ":deleted": "deleted", ":now": now, ":one": 1, ":expected": current.version },
          },
        },
        ...this.auditItems(audit),
      ],
      async () => new ConflictError(`key ${keyId} changed while deleting it; retry the delete`),
    );
    return (await this.get(keyId))!;
  }

  async touchLastUsed(hash: string, now: string, notSince: string): Promise<boolean> {
    const { UpdateCommand } = lib();
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: ItemKey.lookup(hash) },
          UpdateExpression: "SET lastUsedAt = :now",
          ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt <= :notSince)",
          ExpressionAttributeValues: { ":now": now, ":notSince": notSince },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
