import { DEFAULT_BACKEND_PREFIX } from "./backendFunctions";

/** The one definition of the key table, used by the Lambdas, backend/ and the local stack. */
export const TABLE_SCHEMA = {
  /** Every item is addressed by one string partition key and nothing else: lookups are GetItem, never Query. */
  partitionKey: { name: "pk", type: "S" },
  billingMode: "PAY_PER_REQUEST",
} as const;

/** The table name when none is configured. */
export const DEFAULT_TABLE_NAME = DEFAULT_BACKEND_PREFIX;

/** Partition key values of the item types. */
export const ItemKey = {
  /** The key's record, addressed by keyId: what create/read/update/delete work on. */
  record: (keyId: string) => `KEY#${keyId}`,
  /** The verify lookup item, addressed by the hash of a key value. */
  lookup: (hash: string) => `HASH#${hash}`,
  /** A key's usage counters (rate-limit windows, credit balances), addressed by keyId. */
  usage: (keyId: string) => `USAGE#${keyId}`,
} as const;

/** The `type` attribute of the item types, which tells them apart in a Scan of the whole table. */
export const ItemType = {
  record: "key",
  lookup: "lookup",
  usage: "usage",
} as const;

/**
 * The audit table: one item per change of a key, queryable by keyId (the partition) and by time (the `byDay` index,
 * one partition per UTC day, so a time range is one Query per day and never a Scan).
 */
export const AUDIT_TABLE_SCHEMA = {
  partitionKey: { name: "keyId", type: "S" },
  /** `<ISO-8601 instant>#<event id>`: sorts by time, unique per event. */
  sortKey: { name: "sk", type: "S" },
  byDayIndex: { name: "byDay", partitionKey: { name: "day", type: "S" }, sortKey: { name: "sk", type: "S" } },
  billingMode: "PAY_PER_REQUEST",
} as const;

/** The audit table name when none is configured. */
export const DEFAULT_AUDIT_TABLE_NAME = `${DEFAULT_BACKEND_PREFIX}-audit`;
