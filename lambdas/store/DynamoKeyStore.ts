import { ConflictError, ItemKey, ItemType, KeyNotFoundError, StaleRecordError, type AuditEvent, type TABLE_SCHEMA } from "../../contract";
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import {
  COPIED_FIELDS,
  lookupHashes,
  storedChanges,
  verifyFields,
  type FieldChanges,
  type KeyRecord,
  type KeyStore,
  type ListedLookup,
  type ListedRecord,
  type ListedUsage,
  type LookupItem,
  type Rotation,
  type ScanOptions,
  type TablePage,
  type UpdateOptions,
  type UsageOutcome,
  type UsageSpend,
} from "./KeyStore";
import { readListedItem } from "./readListedItem";
import { retryOnStale } from "./retryOnStale";
import { applyFields, updateExpression } from "./updateExpression";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

// Keys and condition expressions below name the partition key `pk` as written, which reads better than a name spliced
// into every expression; this line stops the build if TABLE_SCHEMA ever calls it something else.
const PARTITION_KEY: (typeof TABLE_SCHEMA)["partitionKey"]["name"] = "pk";
void PARTITION_KEY;

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

/** The conflict of an update whose caller saw an older version: someone else changed the declared fields. */
function outdated(keyId: string, expected: number, found: number): ConflictError {
  return new ConflictError(`key ${keyId} changed while updating it (expected version ${expected}, found ${found}); run "pulumi refresh" and retry`);
}

/**
 * The condition that a record is live and still at the revision it was read at, and the SET clause that moves it on.
 * A record written before revisions existed has none, and counts as revision 0.
 */
function revisionGuard(record: Pick<KeyRecord, "revision">): { condition: string; bump: string; names: Record<string, string>; values: Record<string, unknown> } {
  const names = { "#revision": "revision", "#status": "status" };
  const live = "attribute_exists(pk) AND #status <> :deleted";
  const next = (record.revision ?? 0) + 1;
  if (record.revision === undefined) return { condition: `${live} AND attribute_not_exists(#revision)`, bump: "#revision = :nextRevision", names, values: { ":deleted": "deleted", ":nextRevision": next } };
  return { condition: `${live} AND #revision = :revision`, bump: "#revision = :nextRevision", names, values: { ":deleted": "deleted", ":revision": record.revision, ":nextRevision": next } };
}

/** `record` if it is a live key's, which has a value. */
function live(keyId: string, record: KeyRecord | undefined): KeyRecord & { hash: string } {
  if (!record || record.status === "deleted" || !record.hash) throw new KeyNotFoundError(keyId);
  return record as KeyRecord & { hash: string };
}

function stripKey<T>(item: Record<string, unknown>): T {
  const { pk: _pk, type: _type, ...rest } = item;
  return rest as T;
}

/**
 * {@link KeyStore} on one DynamoDB table: every write is conditional, every read but {@link DynamoKeyStore.scan}
 * strongly consistent. Without an audit table name it serves reads and the writes given no audit event (the CLI's
 * inventory needs no more).
 */
export class DynamoKeyStore implements KeyStore {
  constructor(
    private readonly client: Pick<DynamoDBDocumentClient, "send">,
    private readonly tableName: string,
    private readonly auditTableName?: string,
  ) {}

  /** The audit Put that rides along with a change, if there is an event. */
  private auditItems(audit: AuditEvent | undefined): TransactItem[] {
    if (!audit) return [];
    if (this.auditTableName === undefined) throw new Error(`DynamoKeyStore on ${this.tableName} has no audit table for the event of key ${audit.keyId}`);
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

  /** Why a conditional write on a record failed: it is gone, or another write got there first. */
  private async stale(keyId: string, doing: string): Promise<Error> {
    const now = await this.get(keyId);
    if (!now || now.status === "deleted") return new KeyNotFoundError(keyId);
    return new StaleRecordError(keyId, doing);
  }

  private async live(keyId: string): Promise<KeyRecord & { hash: string }> {
    return live(keyId, await this.get(keyId));
  }

  private lookupKey(hash: string): { pk: string } {
    return { pk: ItemKey.lookup(hash) };
  }

  /**
   * The hashes among `hashes` whose lookup items exist. Only revision-guarded writes make lookup items, so one missing
   * when the record was read is still missing when a write guarded by that revision commits, and the write skips it
   * (a record written by an earlier release may name a value whose item a race lost).
   */
  private async present(hashes: string[]): Promise<string[]> {
    const found = await Promise.all(hashes.map((hash) => this.getLookup(hash)));
    return hashes.filter((_, index) => found[index] !== undefined);
  }

  async put(record: KeyRecord, lookup: LookupItem, audit?: AuditEvent): Promise<void> {
    const ifAbsent = "attribute_not_exists(pk)";
    await this.transact(
      [
        { Put: { TableName: this.tableName, Item: { pk: ItemKey.record(record.keyId), type: ItemType.record, ...record, revision: 1 }, ConditionExpression: ifAbsent } },
        { Put: { TableName: this.tableName, Item: { pk: ItemKey.lookup(lookup.hash), type: ItemType.lookup, ...lookup }, ConditionExpression: ifAbsent } },
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
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.lookupKey(hash), ConsistentRead: true }));
    return Item ? stripKey<LookupItem>(Item) : undefined;
  }

  async update(keyId: string, declared: FieldChanges, options: UpdateOptions): Promise<KeyRecord> {
    // New credits start a new balance: the credit epoch is named by when they were set.
    const changes = storedChanges(declared, options.now) as Record<string, unknown>;
    // The first attempt may write on what the caller read; a retry reads for itself.
    let read = options.read;
    // A rotation moves the revision but not the version: the caller's expectation still holds, so read again.
    return retryOnStale(async () => {
      const known = read;
      read = undefined;
      const current = known ? live(keyId, known.record) : await this.live(keyId);
      const expectedVersion = options.expectedVersion ?? current.version;
      if (current.version !== expectedVersion) throw outdated(keyId, expectedVersion, current.version);
      const guard = revisionGuard(current);
      const record = updateExpression(changes, {
        expression: `#version = #version + :one, #updatedAt = :now, ${guard.bump}`,
        names: { "#version": "version", "#updatedAt": "updatedAt", ...guard.names },
        values: { ":one": 1, ":now": options.now, ":expected": expectedVersion, ...guard.values },
      });
      const items: TransactItem[] = [
        {
          Update: {
            TableName: this.tableName,
            Key: { pk: ItemKey.record(keyId) },
            UpdateExpression: record.expression,
            ConditionExpression: `${guard.condition} AND #version = :expected`,
            ExpressionAttributeNames: record.names,
            ExpressionAttributeValues: record.values,
          },
        },
      ];
      // Lookup items copy the verify fields, so they change in the same transaction as the record; the revision
      // guard makes these the very items the record names when the transaction commits.
      const lookupChanges = Object.fromEntries(COPIED_FIELDS.filter((field) => changes[field] !== undefined).map((field) => [field, changes[field]]));
      if (Object.keys(lookupChanges).length) {
        const lookup = updateExpression(lookupChanges);
        for (const hash of known ? known.present : await this.present(lookupHashes(current))) {
          items.push({
            Update: {
              TableName: this.tableName,
              Key: this.lookupKey(hash),
              UpdateExpression: lookup.expression,
              ConditionExpression: "attribute_exists(pk)",
              ExpressionAttributeNames: lookup.names,
              ...(Object.keys(lookup.values).length ? { ExpressionAttributeValues: lookup.values } : {}),
            },
          });
        }
      }
      items.push(...this.auditItems(options.audit));
      await this.transact(items, async () => {
        const now = await this.get(keyId);
        if (now && now.status !== "deleted" && now.version !== expectedVersion) return outdated(keyId, expectedVersion, now.version);
        return this.stale(keyId, "updating");
      });
      // The transaction applied exactly this to the record it was conditional on: no need to read it back.
      const updated = applyFields({ ...current }, changes as Record<string, unknown>) as KeyRecord & { hash: string };
      return { ...updated, version: current.version + 1, updatedAt: options.now, revision: (current.revision ?? 0) + 1 };
    });
  }

  async addLookup(record: KeyRecord, hash: string): Promise<KeyRecord> {
    const guard = revisionGuard(record);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { pk: ItemKey.lookup(hash), type: ItemType.lookup, hash, keyId: record.keyId, ...verifyFields(record) },
          ConditionExpression: "attribute_not_exists(pk) OR keyId = :keyId",
          ExpressionAttributeValues: { ":keyId": record.keyId },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: ItemKey.record(record.keyId) },
          UpdateExpression: `SET pendingHash = :hash, ${guard.bump}`,
          ConditionExpression: guard.condition,
          ExpressionAttributeNames: guard.names,
          ExpressionAttributeValues: { ":hash": hash, ...guard.values },
        },
      },
    ];
    // An abandoned earlier rotation's pending value goes: only one pending value at a time can verify.
    if (record.pendingHash && ![hash, record.hash, record.previousHash].includes(record.pendingHash)) {
      items.push({ Delete: { TableName: this.tableName, Key: this.lookupKey(record.pendingHash) } });
    }
    await this.transact(items, () => this.stale(record.keyId, "rotating"));
    return { ...record, pendingHash: hash, revision: (record.revision ?? 0) + 1 };
  }

  async rotate(record: KeyRecord, rotation: Rotation): Promise<KeyRecord> {
    if (record.status === "deleted" || !record.hash) throw new KeyNotFoundError(record.keyId);
    if (record.hash === rotation.hash) return record;
    const guard = revisionGuard(record);
    const replaced = rotation.replacedPresent === undefined ? await this.present([record.hash]) : rotation.replacedPresent ? [record.hash] : [];
    const retiring: TransactItem[] = replaced.map((hash) => ({
      Update: {
        TableName: this.tableName,
        Key: this.lookupKey(hash),
        UpdateExpression: "SET retiresAt = :retiresAt",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":retiresAt": rotation.retiresAt },
      },
    }));
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { pk: ItemKey.lookup(rotation.hash), type: ItemType.lookup, hash: rotation.hash, keyId: record.keyId, ...verifyFields(record) },
          ConditionExpression: "attribute_not_exists(pk) OR keyId = :keyId",
          ExpressionAttributeValues: { ":keyId": record.keyId },
        },
      },
      ...retiring,
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: ItemKey.record(record.keyId) },
          UpdateExpression:
            // No version bump: the version guards declared fields, and a scheduled rotation must not fail the next update.
            `SET #hash = :hash, previousHash = :previous, maskedKey = :masked, secretVersionId = :secretVersion, rotatedAt = :now, updatedAt = :now, rotation = :rotation, ${guard.bump} REMOVE pendingHash`,
          ConditionExpression: guard.condition,
          ExpressionAttributeNames: { "#hash": "hash", ...guard.names },
          ExpressionAttributeValues: {
            ":hash": rotation.hash,
            ":previous": record.hash,
            ":masked": rotation.maskedKey,
            ":secretVersion": rotation.secretVersionId,
            ":now": rotation.now,
            ":rotation": rotation.rotation,
            ...guard.values,
          },
        },
      },
    ];
    // Only the value just replaced keeps answering; the one before it, and any other pending value, go.
    for (const hash of lookupHashes(record)) {
      if (hash !== rotation.hash && hash !== record.hash) items.push({ Delete: { TableName: this.tableName, Key: this.lookupKey(hash) } });
    }
    items.push(...this.auditItems(rotation.audit));
    await this.transact(items, () => this.stale(record.keyId, "rotating"));
    const { pendingHash: _pending, ...rest } = record;
    return {
      ...rest,
      hash: rotation.hash,
      previousHash: record.hash,
      maskedKey: rotation.maskedKey,
      secretVersionId: rotation.secretVersionId,
      rotatedAt: rotation.now,
      updatedAt: rotation.now,
      rotation: rotation.rotation,
      revision: (record.revision ?? 0) + 1,
    };
  }

  async discard(keyId: string, audit?: AuditEvent): Promise<void> {
    const current = await this.get(keyId);
    if (!current) return;
    await this.transact(
      [
        ...lookupHashes(current).map((hash): TransactItem => ({ Delete: { TableName: this.tableName, Key: this.lookupKey(hash) } })),
        {
          Delete: {
            TableName: this.tableName,
            Key: { pk: ItemKey.record(keyId) },
            // Revision 1 is the create's own write: nothing (a rotation, an update, a delete) touched the key since.
            ConditionExpression: "#revision = :first",
            ExpressionAttributeNames: { "#revision": "revision" },
            ExpressionAttributeValues: { ":first": 1 },
          },
        },
        ...this.auditItems(audit),
      ],
      async () => new ConflictError(`key ${keyId} changed after its create; it is not discarded`),
    );
  }

  async tombstone(keyId: string, record: KeyRecord | undefined, now: string, audit?: AuditEvent): Promise<KeyRecord> {
    if (record?.status === "deleted") return record;
    if (!record) {
      // Nothing to delete yet, but a create may still be under way: the bare tombstone makes its write fail.
      const bare = { keyId, status: "deleted", createdAt: now, updatedAt: now, deletedAt: now, version: 1, revision: 1 };
      await this.transact([{ Put: { TableName: this.tableName, Item: { pk: ItemKey.record(keyId), type: ItemType.record, ...bare }, ConditionExpression: "attribute_not_exists(pk)" } }], async () => new StaleRecordError(keyId, "deleting"));
      return bare as unknown as KeyRecord;
    }
    const guard = revisionGuard(record);
    await this.transact(
      [
        ...lookupHashes(record).map((hash): TransactItem => ({ Delete: { TableName: this.tableName, Key: this.lookupKey(hash) } })),
        {
          Update: {
            TableName: this.tableName,
            Key: { pk: ItemKey.record(keyId) },
            UpdateExpression: `SET #status = :deletedStatus, deletedAt = :now, updatedAt = :now, #version = #version + :one, ${guard.bump} REMOVE #hash, previousHash, pendingHash`,
            ConditionExpression: guard.condition,
            ExpressionAttributeNames: { "#version": "version", "#hash": "hash", ...guard.names },
            ExpressionAttributeValues: { ":deletedStatus": "deleted", ":now": now, ":one": 1, ...guard.values },
          },
        },
        ...this.auditItems(audit),
      ],
      () => this.stale(keyId, "deleting"),
    );
    const { hash: _hash, previousHash: _previous, pendingHash: _pending, ...rest } = record;
    return { ...rest, status: "deleted", deletedAt: now, updatedAt: now, version: record.version + 1, revision: (record.revision ?? 0) + 1 };
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

  async *scan(options: ScanOptions = {}): AsyncIterable<TablePage> {
    const { ScanCommand } = lib();
    let startKey: Record<string, unknown> | undefined;
    do {
      // Whole items, no projection: a usage item's counters are named per window and epoch, which no projection can
      // name in advance. A Scan is billed by the size of the items it examines, projected or not, and its 1 MB page
      // counts them whole too, so this costs no read unit and no page more; readListedItem keeps the listed fields.
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          ExclusiveStartKey: startKey,
          ...(options.pageSize ? { Limit: options.pageSize } : {}),
        }),
      );
      const items = page.Items ?? [];
      const records: ListedRecord[] = [];
      const lookups: ListedLookup[] = [];
      const usage: ListedUsage[] = [];
      let skipped = 0;
      for (const item of items) {
        const read = readListedItem(item);
        if (read === undefined) skipped += 1;
        else if ("record" in read) records.push(read.record);
        else if ("lookup" in read) lookups.push(read.lookup);
        else usage.push(read.usage);
      }
      startKey = page.LastEvaluatedKey;
      yield { records, lookups, usage, items: items.length, skipped, more: startKey !== undefined };
    } while (startKey);
  }

  async spendUsage(keyId: string, spend: UsageSpend): Promise<UsageOutcome> {
    const { UpdateCommand } = lib();
    const sets = ["#type = :usage", "keyId = :keyId"];
    const conditions: string[] = [];
    const names: Record<string, string> = { "#type": "type" };
    const values: Record<string, unknown> = { ":usage": ItemType.usage, ":keyId": keyId };
    if (spend.rate) {
      names["#rate"] = spend.rate.attribute;
      Object.assign(values, { ":zero": 0, ":one": 1, ":limit": spend.rate.limit });
      sets.push("#rate = if_not_exists(#rate, :zero) + :one");
      conditions.push("(attribute_not_exists(#rate) OR #rate < :limit)");
    }
    if (spend.credits) {
      names["#credits"] = spend.credits.attribute;
      Object.assign(values, { ":start": spend.credits.start, ":cost": spend.credits.cost });
      sets.push("#credits = if_not_exists(#credits, :start) - :cost");
      // A fresh epoch whose start cannot pay is refused like a spent one: the condition needs the attribute then.
      conditions.push(spend.credits.start >= spend.credits.cost ? "(attribute_not_exists(#credits) OR #credits >= :cost)" : "#credits >= :cost");
    }
    spend.stale.forEach((attribute, index) => (names[`#stale${index}`] = attribute));
    const removes = spend.stale.map((_, index) => `#stale${index}`);
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: ItemKey.usage(keyId) },
          UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
          ...(conditions.length ? { ConditionExpression: conditions.join(" AND ") } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { spent: true, usage: Attributes ?? {} };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The refused update reports the item as it stood, so the refusal can say which counter and until when.
      const item = (error as { Item?: Record<string, unknown> }).Item;
      return { spent: false, usage: item ? unmarshallItem(item) : {} };
    }
  }

  async getUsage(keyId: string): Promise<Record<string, unknown> | undefined> {
    const { GetCommand } = lib();
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: ItemKey.usage(keyId) }, ConsistentRead: true }));
    return Item;
  }
}

/** The document client leaves the item of a failed condition in DynamoDB's typed form. */
function unmarshallItem(item: Record<string, unknown>): Record<string, unknown> {
  const { unmarshall } = require("@aws-sdk/util-dynamodb") as typeof import("@aws-sdk/util-dynamodb");
  return unmarshall(item as Parameters<typeof unmarshall>[0]);
}
