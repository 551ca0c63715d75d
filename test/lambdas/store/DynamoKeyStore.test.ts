import { randomBytes, randomUUID } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ItemKey, ItemType, keyIdFor } from "../../../contract";
import { DynamoKeyStore } from "../../../lambdas/store/DynamoKeyStore";
import { verifyFields, type KeyRecord, type TablePage } from "../../../lambdas/store/KeyStore";
import { useLocalStack } from "../../support/useLocalStack";

const aws = useLocalStack();

const hash = () => randomBytes(32).toString("hex");
const NOW = "2026-11-28T13:02:00.000Z";

function record(name: string, fields: Partial<KeyRecord> = {}): KeyRecord {
  return {
    keyId: keyIdFor(randomUUID()),
    name,
    description: `${name}, for the scan`,
    status: "active",
    prefix: "ak",
    owner: "billing",
    scopes: ["orders:read"],
    metadata: { tier: "gold" },
    rotation: {},
    maskedKey: "ak_Abcd…wxyz",
    secretArn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:apikeys/${name}`,
    secretVersionId: randomUUID(),
    createdAt: NOW,
    updatedAt: NOW,
    version: 1,
    hash: hash(),
    ...fields,
  };
}

async function pagesOf(store: DynamoKeyStore, pageSize?: number): Promise<TablePage[]> {
  const pages: TablePage[] = [];
  for await (const page of store.scan({ pageSize })) pages.push(page);
  return pages;
}

async function putRaw(item: Record<string, unknown>): Promise<void> {
  await aws.dynamo.send(new PutCommand({ TableName: aws.stack.tableName, Item: item }));
}

describe("DynamoKeyStore.scan", () => {
  let store: DynamoKeyStore;
  let live: KeyRecord;
  let pending: string;
  let deleted: KeyRecord;

  beforeAll(async () => {
    store = new DynamoKeyStore(aws.dynamo, aws.stack.tableName, aws.stack.auditTableName);
    live = record("Live");
    await store.put(live, { hash: live.hash!, keyId: live.keyId, ...verifyFields(live) });
    pending = hash();
    await store.addLookup((await store.get(live.keyId))!, pending);
    await store.touchLastUsed(live.hash!, NOW, NOW);
    const gone = record("Gone");
    await store.put(gone, { hash: gone.hash!, keyId: gone.keyId, ...verifyFields(gone) });
    deleted = await store.tombstone(gone.keyId, await store.get(gone.keyId), NOW);
  });

  it("returns every record and lookup item, tombstones included, with the listed fields and no secret's address", async () => {
    const pages = await pagesOf(store);
    const records = pages.flatMap((page) => page.records);
    const lookups = pages.flatMap((page) => page.lookups);
    expect(records.find((found) => found.keyId === live.keyId)).toEqual({
      keyId: live.keyId,
      name: "Live",
      description: "Live, for the scan",
      status: "active",
      prefix: "ak",
      owner: "billing",
      scopes: ["orders:read"],
      metadata: { tier: "gold" },
      rotation: {},
      maskedKey: live.maskedKey,
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
      hash: live.hash,
      pendingHash: pending,
    });
    expect(records.find((found) => found.keyId === deleted.keyId)).toMatchObject({ status: "deleted", deletedAt: NOW });
    expect(records.find((found) => found.keyId === deleted.keyId)).not.toHaveProperty("hash");
    expect(lookups.filter((found) => found.keyId === live.keyId).sort((a, b) => (a.hash === live.hash ? -1 : b.hash === live.hash ? 1 : 0))).toEqual([
      { hash: live.hash, keyId: live.keyId, name: "Live", status: "active", scopes: ["orders:read"], metadata: { tier: "gold" }, lastUsedAt: NOW },
      { hash: pending, keyId: live.keyId, name: "Live", status: "active", scopes: ["orders:read"], metadata: { tier: "gold" } },
    ]);
    expect(lookups.filter((found) => found.keyId === deleted.keyId)).toEqual([]);
  });

  it("reads page by page, each page but the last saying more follow, and counts every item of the table once", async () => {
    const pages = await pagesOf(store, 1);
    const items = (await aws.scanItems()).length;
    expect(pages.length).toBeGreaterThanOrEqual(items);
    expect(pages.map((page) => page.more)).toEqual([...pages.slice(1).map(() => true), false]);
    expect(pages.reduce((sum, page) => sum + page.items, 0)).toBe(items);
  });

  it("leaves out and counts an item of no known type or without its name, and a rate limit of another shape", async () => {
    const before = (await pagesOf(store)).reduce((sum, page) => sum + page.skipped, 0);
    await putRaw({ pk: `ARCHIVE#${randomUUID()}`, type: "archive", keyId: live.keyId });
    await putRaw({ pk: ItemKey.record(`key_${randomUUID()}`), type: ItemType.record, name: "No keyId" });
    await putRaw({ pk: ItemKey.lookup(hash()), type: ItemType.lookup, keyId: live.keyId });
    const limited = record("Limited", { rateLimit: { limit: "many", window: "1m" } as never, credits: { remaining: 5, refill: { amount: 10, interval: "monthly" } } });
    await putRaw({ pk: ItemKey.record(limited.keyId), type: ItemType.record, ...limited });

    const pages = await pagesOf(store);
    expect(pages.reduce((sum, page) => sum + page.skipped, 0) - before).toBe(3);
    const found = pages.flatMap((page) => page.records).find((listed) => listed.keyId === limited.keyId)!;
    expect(found.credits).toEqual({ remaining: 5, refill: { amount: 10, interval: "monthly" } });
    expect(found).not.toHaveProperty("rateLimit");
    expect(pages.flatMap((page) => page.records).map((listed) => listed.name)).not.toContain("No keyId");
  });

  it("returns a key's usage counters, without what else the item holds, and counts one without a keyId as unknown", async () => {
    const before = (await pagesOf(store)).reduce((sum, page) => sum + page.skipped, 0);
    await putRaw({ pk: ItemKey.usage(live.keyId), type: ItemType.usage, keyId: live.keyId, rate_60_1: 3, credits_0_0: 47, note: "by hand" });
    await putRaw({ pk: ItemKey.usage(`key_${randomUUID()}`), type: ItemType.usage, credits_0_0: 1 });
    const pages = await pagesOf(store);
    expect(pages.reduce((sum, page) => sum + page.skipped, 0) - before).toBe(1);
    expect(pages.flatMap((page) => page.usage)).toEqual([{ keyId: live.keyId, counters: { rate_60_1: 3, credits_0_0: 47 } }]);
    expect(pages.flatMap((page) => page.records).filter((listed) => listed.keyId === live.keyId)).toHaveLength(1);
  });
});
