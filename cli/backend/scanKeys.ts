import { creditsLeft } from "../../contract";
import { DynamoKeyStore } from "../../lambdas/store/DynamoKeyStore";
import { lookupHashes, type KeyRecord, type ListedLookup, type ListedRecord, type ListedUsage } from "../../lambdas/store/KeyStore";
import type { DocumentSender } from "../CliContext";

/** A key as the inventory shows it: the record's metadata, its last use and live credits, never the hash or the plaintext. */
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
  /** What the key may do, as verify returns them; empty for a record that has none. */
  scopes: string[];
  metadata: Record<string, string>;
  /** The declared rotation settings, trigger included; `{}` when none. */
  rotation: KeyRecord["rotation"];
  /** A rate limit, when the backend's records carry one: `limit` accepted verifications per `window`. */
  rateLimit?: KeyRecord["rateLimit"];
  /** Usage credits as declared, when the backend's records carry them: the starting balance, and how it refills. */
  credits?: KeyRecord["credits"];
  /**
   * The live balance of a key with credits at the scan's `now`, from its usage item as the same Scan read it
   * (eventually consistent: a spend of the last moments may not show yet).
   */
  creditsRemaining?: number;
  /** Source address ranges the key is accepted from; any address when empty. */
  allowedCidrs: string[];
  notBefore?: string;
}

/** What one Scan of the key table read: the inventory's entries, and every record, lookup item and usage item as the store lists them. */
export interface TableScan {
  entries: KeyEntry[];
  records: ListedRecord[];
  lookups: ListedLookup[];
  usage: ListedUsage[];
}

/** Where a scan is: reported after every page. */
export interface ScanProgress {
  pages: number;
  /** Items read so far, records, lookup items and usage items alike. */
  items: number;
  /** Items so far that are neither a key record, a lookup item nor a usage item, left out of the scan. */
  skipped: number;
  /** True while more pages follow. */
  more: boolean;
}

/** Options of {@link scanKeys} and {@link scanTable}. */
export interface ScanKeysOptions {
  /** Items per Scan page (DynamoDB's Limit); DynamoDB caps a page at 1 MB either way. */
  pageSize?: number;
  onPage?: (progress: ScanProgress) => void;
  /** The instant live credits are worked out at (a refill may have started a new balance since the last spend). */
  now?: Date;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function labels(value: unknown): Record<string, string> {
  return isObject(value) ? (Object.fromEntries(Object.entries(value).filter(([, label]) => typeof label === "string")) as Record<string, string>) : {};
}

function latest(...instants: (string | undefined)[]): string | undefined {
  return instants.filter((instant): instant is string => Boolean(instant)).sort().pop();
}

// Values as stored, coerced: a bare tombstone has only its dates, and a hand edit may have left anything.
function toEntry(record: ListedRecord, uses: Map<string, string>, usage: Map<string, ListedUsage>, now: Date): KeyEntry {
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
    scopes: strings(record.scopes),
    metadata: labels(record.metadata),
    rotation: isObject(record.rotation) ? record.rotation : {},
    allowedCidrs: strings(record.allowedCidrs),
  };
  const optional = {
    owner: text(record.owner),
    lastUsedAt: latest(...lookupHashes(record).map((hash) => uses.get(hash))),
    expiresAt: text(record.expiresAt),
    deletedAt: text(record.deletedAt),
    notBefore: text(record.notBefore),
  };
  for (const [field, value] of Object.entries(optional)) if (value !== undefined) (entry as unknown as Record<string, string>)[field] = value;
  if (record.rateLimit) entry.rateLimit = record.rateLimit;
  if (record.credits) {
    entry.credits = record.credits;
    // The one definition verify and refresh use, on the usage item this Scan met: no read per key.
    entry.creditsRemaining = creditsLeft(record.credits, text(record.creditsSetAt), usage.get(record.keyId)?.counters, now);
  }
  return entry;
}

/**
 * Every key record of the table, tombstones included, with its last use and live credits. One paged Scan (the store's)
 * reads records, lookup items and usage items together: a Scan is billed for every item it examines, filtered out or
 * not, so joining the lookup and usage items in memory costs nothing extra, where a GetItem per key would.
 */
export async function scanKeys(client: DocumentSender, tableName: string, options: ScanKeysOptions = {}): Promise<KeyEntry[]> {
  return (await scanTable(client, tableName, options)).entries;
}

/** {@link scanKeys}, with every record, lookup and usage item as the store lists them, for checks of their agreement (`apikeys drift`). */
export async function scanTable(client: DocumentSender, tableName: string, options: ScanKeysOptions = {}): Promise<TableScan> {
  const records: ListedRecord[] = [];
  const lookups: ListedLookup[] = [];
  const usage: ListedUsage[] = [];
  const progress: ScanProgress = { pages: 0, items: 0, skipped: 0, more: true };
  for await (const page of new DynamoKeyStore(client, tableName).scan({ pageSize: options.pageSize })) {
    records.push(...page.records);
    lookups.push(...page.lookups);
    usage.push(...page.usage);
    Object.assign(progress, { pages: progress.pages + 1, items: progress.items + page.items, skipped: progress.skipped + page.skipped, more: page.more });
    options.onPage?.({ ...progress });
  }
  const uses = new Map(lookups.flatMap((lookup) => (typeof lookup.lastUsedAt === "string" ? [[lookup.hash, lookup.lastUsedAt] as const] : [])));
  const usageByKey = new Map(usage.map((item) => [item.keyId, item]));
  const now = options.now ?? new Date();
  return { entries: records.map((record) => toEntry(record, uses, usageByKey, now)), records, lookups, usage };
}
