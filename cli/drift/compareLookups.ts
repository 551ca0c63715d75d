import { VERIFY_FIELDS, canonicalJson } from "../../contract";
import type { ListedLookup, ListedRecord } from "../../lambdas/store/KeyStore";

/** Which value of a key a lookup item answers for, as its record names it. */
export type LookupValue = "current" | "previous" | "pending";

/** A copied field whose value on a lookup item differs from its record's. */
export interface CopiedFieldDifference {
  field: (typeof VERIFY_FIELDS)[number];
  /** JSON of the record's value; absent when the record has none. */
  record?: string;
  /** JSON of the lookup item's value; absent when it has none. */
  lookup?: string;
}

/** What is wrong between a key's record and one of its lookup items. */
export const LookupProblem = {
  /** The item copies a field differently from its record: verify answers what the item says. */
  DIFFERS: "differs",
  /** The record names its current value, but that value has no lookup item: verify refuses the live key's own value. */
  MISSING: "missing",
  /** The item answers for a key whose record does not name its value: an escaped value that verify still knows. */
  UNNAMED: "unnamed",
  /** The item answers for a deleted key, or one with no record at all. */
  ORPHANED: "orphaned",
} as const;
/** One of {@link LookupProblem}. */
export type LookupProblem = (typeof LookupProblem)[keyof typeof LookupProblem];

/** One disagreement between a record and a lookup item. */
export interface LookupDisagreement {
  keyId: string;
  problem: LookupProblem;
  /** Which value, when the record names it. */
  value?: LookupValue;
  /** The first 12 hex digits of the value's hash, to tell items apart (the hash of a random key reveals nothing of it). */
  hash: string;
  /** For `differs`. */
  differences?: CopiedFieldDifference[];
}

// What each side means when a field is absent: a record or item written before a default existed lacks it.
const DEFAULTS: Partial<Record<(typeof VERIFY_FIELDS)[number], unknown>> = { scopes: [], metadata: {}, allowedCidrs: [] };

function json(field: (typeof VERIFY_FIELDS)[number], value: unknown): string | undefined {
  const meant = value ?? DEFAULTS[field];
  return meant === undefined || meant === "" ? undefined : canonicalJson(meant);
}

function valueOf(record: ListedRecord, hash: string): LookupValue | undefined {
  if (record.hash === hash) return "current";
  if (record.previousHash === hash) return "previous";
  if (record.pendingHash === hash) return "pending";
  return undefined;
}

/**
 * Compares every lookup item with the record it answers for. Verify reads only the lookup item, and every write
 * changes record and items in one transaction, so any disagreement is a fault (a hand edit of the table, or a write
 * that escaped its transaction) that makes verify answer differently from what the record and `pulumi refresh` show.
 * Pure: no I/O.
 */
export function compareLookups(records: ListedRecord[], lookups: ListedLookup[]): LookupDisagreement[] {
  const byKeyId = new Map(records.map((record) => [record.keyId, record]));
  const found: LookupDisagreement[] = [];
  for (const item of lookups) {
    const hash = item.hash.slice(0, 12);
    const record = item.keyId === undefined ? undefined : byKeyId.get(item.keyId);
    const keyId = item.keyId ?? "(none)";
    if (!record || record.status === "deleted") {
      found.push({ keyId, problem: LookupProblem.ORPHANED, hash });
      continue;
    }
    const value = valueOf(record, item.hash);
    if (!value) {
      found.push({ keyId, problem: LookupProblem.UNNAMED, hash });
      continue;
    }
    const differences = VERIFY_FIELDS.flatMap((field): CopiedFieldDifference[] => {
      const [onRecord, onItem] = [json(field, record[field]), json(field, item[field])];
      return onRecord === onItem ? [] : [{ field, ...(onRecord !== undefined ? { record: onRecord } : {}), ...(onItem !== undefined ? { lookup: onItem } : {}) }];
    });
    if (differences.length) found.push({ keyId, problem: LookupProblem.DIFFERS, value, hash, differences });
  }
  const itemHashes = new Set(lookups.map((item) => item.hash));
  for (const record of records) {
    if (record.status === "deleted" || !record.hash || itemHashes.has(record.hash)) continue;
    // Previous and pending values come and go with rotations; the current one must always answer.
    found.push({ keyId: record.keyId, problem: LookupProblem.MISSING, value: "current", hash: record.hash.slice(0, 12) });
  }
  return found;
}
