import { lookupHashes } from "../../lambdas/store/KeyStore";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { DocumentSender } from "../CliContext";

/** A key as the inventory shows it: the record's metadata and its last use, never the hash or the plaintext. */
export interface KeyEntry {
  keyId: string;
  name: string;
  description: string;
  /** `deleted` for a tombstone. */
  status: string;
  prefix: string;
  owner?: string;
  maskedKey: string;
  createdAt: string;
  updatedAt: string;
  /** The latest use of any value of the key that still answers (current, or in its grace period). */
  lastUsedAt?: string;
  expiresAt?: string;
  deletedAt?: string;
  version: number;
  /** A rate limit, when the backend's records carry one: `limit` accepted verifications per `window`. */
  rateLimit?: { limit: number; window: string };
  /** Usage credits, when the backend's records carry them: the balance, and how it refills. */
  credits?: { remaining: number; refill?: { amount: number; interval: string } };
}

/** A record's copies of the fields verify answers with, and the values it names: what its lookup items must match. */
export interface StoredRecord {
  keyId: string;
  /** `deleted` for a tombstone. */
  status: string;
  name?: string;
  scopes?: unknown;
  metadata?: unknown;
  expiresAt?: string;
  rateLimit?: unknown;
  credits?: unknown;
  allowedCidrs?: unknown;
  notBefore?: string;
  hash?: string;
  previousHash?: string;
  pendingHash?: string;
}

/** A lookup item as verify reads it: the hash of a value, the key it answers for, and its copies of the record's fields. */
export interface StoredLookup {
  hash: string;
  keyId?: string;
  status?: string;
  name?: string;
  scopes?: unknown;
  metadata?: unknown;
  expiresAt?: string;
  rateLimit?: unknown;
  credits?: unknown;
  allowedCidrs?: unknown;
  notBefore?: string;
}

/** What one Scan of the key table read: the inventory's entries, and every record and lookup item as stored. */
export interface TableScan {
  entries: KeyEntry[];
  records: StoredRecord[];
  lookups: StoredLookup[];
}

/** Where a scan is: reported after every page. */
export interface ScanProgress {
  pages: number;
  /** Items read so far, records and lookup items alike. */
  items: number;
  /** True while more pages follow. */
  more: boolean;
}

/** Options of {@link scanKeys} and {@link scanTable}. */
export interface ScanKeysOptions {
  /** Items per Scan page (DynamoDB's Limit); DynamoDB caps a page at 1 MB either way. */
  pageSize?: number;
  onPage?: (progress: ScanProgress) => void;
}

// Both item types in one projection: records for the listing, lookup items for the last use.
const ATTRIBUTES = [
  "type", "keyId", "name", "description", "status", "prefix", "owner", "maskedKey", "createdAt", "updatedAt",
  "lastUsedAt", "expiresAt", "deletedAt", "version", "hash", "previousHash", "pendingHash", "scopes", "metadata",
  "rateLimit", "credits", "allowedCidrs", "notBefore",
] as const;

type Item = Partial<Record<(typeof ATTRIBUTES)[number], unknown>>;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function latest(...instants: (string | undefined)[]): string | undefined {
  return instants.filter((instant): instant is string => Boolean(instant)).sort().pop();
}

const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** A record's rate limit, read tolerantly: anything of another shape is left out, not guessed at. */
function rateLimitOf(value: unknown): KeyEntry["rateLimit"] {
  return isObject(value) && isNumber(value.limit) && typeof value.window === "string" ? { limit: value.limit, window: value.window } : undefined;
}

/** A record's credits, read tolerantly. */
function creditsOf(value: unknown): KeyEntry["credits"] {
  if (!isObject(value) || !isNumber(value.remaining)) return undefined;
  const refill = value.refill;
  return { remaining: value.remaining, ...(isObject(refill) && isNumber(refill.amount) && typeof refill.interval === "string" ? { refill: { amount: refill.amount, interval: refill.interval } } : {}) };
}

function toEntry(record: Item, uses: Map<string, string>): KeyEntry {
  const valueUses = lookupHashes(record as Parameters<typeof lookupHashes>[0]).map((hash) => uses.get(hash));
  const entry: KeyEntry = {
    keyId: String(record.keyId),
    name: String(record.name ?? ""),
    description: String(record.description ?? ""),
    status: String(record.status ?? ""),
    prefix: String(record.prefix ?? ""),
    maskedKey: String(record.maskedKey ?? ""),
    createdAt: String(record.createdAt ?? ""),
    updatedAt: String(record.updatedAt ?? ""),
    version: Number(record.version ?? 0),
  };
  const optional = {
    owner: text(record.owner),
    lastUsedAt: latest(...valueUses),
    expiresAt: text(record.expiresAt),
    deletedAt: text(record.deletedAt),
  };
  for (const [field, value] of Object.entries(optional)) if (value !== undefined) (entry as unknown as Record<string, string>)[field] = value;
  const [rateLimit, credits] = [rateLimitOf(record.rateLimit), creditsOf(record.credits)];
  if (rateLimit) entry.rateLimit = rateLimit;
  if (credits) entry.credits = credits;
  return entry;
}

function stored<T>(item: Item, fields: readonly (keyof Item)[]): T {
  return Object.fromEntries(fields.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])) as T;
}

const COPIED = ["status", "name", "scopes", "metadata", "expiresAt", "rateLimit", "credits", "allowedCidrs", "notBefore"] as const;
const RECORD_FIELDS = ["keyId", ...COPIED, "hash", "previousHash", "pendingHash"] as const;
const LOOKUP_FIELDS = ["hash", "keyId", ...COPIED] as const;

/**
 * Every key record of the table, tombstones included, with its last use. One paged Scan reads records and lookup
 * items together: a Scan is billed for every item it examines, filtered out or not, so joining the lookup items in
 * memory costs nothing extra, where a GetItem per key would.
 */
export async function scanKeys(client: DocumentSender, tableName: string, options: ScanKeysOptions = {}): Promise<KeyEntry[]> {
  return (await scanTable(client, tableName, options)).entries;
}

/** {@link scanKeys}, with every record and lookup item as stored, for checks of their agreement (`apikeys drift`). */
export async function scanTable(client: DocumentSender, tableName: string, options: ScanKeysOptions = {}): Promise<TableScan> {
  const records: Item[] = [];
  const lookups: StoredLookup[] = [];
  const uses = new Map<string, string>();
  const names = Object.fromEntries(ATTRIBUTES.map((attribute, index) => [`#a${index}`, attribute]));
  let startKey: Record<string, unknown> | undefined;
  let pages = 0;
  let items = 0;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: Object.keys(names).join(", "),
        ExpressionAttributeNames: names,
        ExclusiveStartKey: startKey,
        ...(options.pageSize ? { Limit: options.pageSize } : {}),
      }),
    );
    for (const item of (page.Items ?? []) as Item[]) {
      if (item.type === "key") records.push(item);
      else if (item.type === "lookup" && typeof item.hash === "string") {
        lookups.push(stored<StoredLookup>(item, LOOKUP_FIELDS));
        if (typeof item.lastUsedAt === "string") uses.set(item.hash, item.lastUsedAt);
      }
    }
    startKey = page.LastEvaluatedKey;
    pages += 1;
    items += page.Items?.length ?? 0;
    options.onPage?.({ pages, items, more: startKey !== undefined });
  } while (startKey);
  return {
    entries: records.map((record) => toEntry(record, uses)),
    records: records.map((record) => stored<StoredRecord>(record, RECORD_FIELDS)),
    lookups,
  };
}
