import { DynamoKeyStore } from "../../lambdas/store/DynamoKeyStore";
import { lookupHashes, type KeyRecord, type ListedLookup, type ListedRecord } from "../../lambdas/store/KeyStore";
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
  rateLimit?: KeyRecord["rateLimit"];
  /** Usage credits, when the backend's records carry them: the balance, and how it refills. */
  credits?: KeyRecord["credits"];
}

/** What one Scan of the key table read: the inventory's entries, and every record and lookup item as the store lists them. */
export interface TableScan {
  entries: KeyEntry[];
  records: ListedRecord[];
  lookups: ListedLookup[];
}

/** Where a scan is: reported after every page. */
export interface ScanProgress {
  pages: number;
  /** Items read so far, records and lookup items alike. */
  items: number;
  /** Items so far that are neither a key record nor a lookup item, left out of the scan. */
  skipped: number;
  /** True while more pages follow. */
  more: boolean;
}

/** Options of {@link scanKeys} and {@link scanTable}. */
export interface ScanKeysOptions {
  /** Items per Scan page (DynamoDB's Limit); DynamoDB caps a page at 1 MB either way. */
  pageSize?: number;
  onPage?: (progress: ScanProgress) => void;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function latest(...instants: (string | undefined)[]): string | undefined {
  return instants.filter((instant): instant is string => Boolean(instant)).sort().pop();
}

// Values as stored, coerced: a bare tombstone has only its dates, and a hand edit may have left anything.
function toEntry(record: ListedRecord, uses: Map<string, string>): KeyEntry {
  const entry: KeyEntry = {
    keyId: record.keyId,
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
    lastUsedAt: latest(...lookupHashes(record).map((hash) => uses.get(hash))),
    expiresAt: text(record.expiresAt),
    deletedAt: text(record.deletedAt),
  };
  for (const [field, value] of Object.entries(optional)) if (value !== undefined) (entry as unknown as Record<string, string>)[field] = value;
  if (record.rateLimit) entry.rateLimit = record.rateLimit;
  if (record.credits) entry.credits = record.credits;
  return entry;
}

/**
 * Every key record of the table, tombstones included, with its last use. One paged Scan (the store's) reads records
 * and lookup items together: a Scan is billed for every item it examines, filtered out or not, so joining the lookup
 * items in memory costs nothing extra, where a GetItem per key would.
 */
export async function scanKeys(client: DocumentSender, tableName: string, options: ScanKeysOptions = {}): Promise<KeyEntry[]> {
  return (await scanTable(client, tableName, options)).entries;
}

/** {@link scanKeys}, with every record and lookup item as the store lists them, for checks of their agreement (`apikeys drift`). */
export async function scanTable(client: DocumentSender, tableName: string, options: ScanKeysOptions = {}): Promise<TableScan> {
  const records: ListedRecord[] = [];
  const lookups: ListedLookup[] = [];
  const progress: ScanProgress = { pages: 0, items: 0, skipped: 0, more: true };
  for await (const page of new DynamoKeyStore(client, tableName).scan({ pageSize: options.pageSize })) {
    records.push(...page.records);
    lookups.push(...page.lookups);
    Object.assign(progress, { pages: progress.pages + 1, items: progress.items + page.items, skipped: progress.skipped + page.skipped, more: page.more });
    options.onPage?.({ ...progress });
  }
  const uses = new Map(lookups.flatMap((lookup) => (typeof lookup.lastUsedAt === "string" ? [[lookup.hash, lookup.lastUsedAt] as const] : [])));
  return { entries: records.map((record) => toEntry(record, uses)), records, lookups };
}
