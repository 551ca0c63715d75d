import { VERIFY_FIELDS, type AuditEvent, type KeyFields, type UpdateKeyRequest } from "../../contract";

/** A key's lifecycle state in the table; `deleted` is the tombstone kept for audits. */
export type RecordStatus = KeyFields["status"] | "deleted";

/** The record item of a key (partition key `KEY#<keyId>`). */
export interface KeyRecord extends Omit<KeyFields, "status"> {
  keyId: string;
  status: RecordStatus;
  /** SHA-256 of the current key value; removed when the key is deleted. */
  hash?: string;
  /** SHA-256 of the value the last rotation replaced, whose lookup item answers until its grace period ends. */
  previousHash?: string;
  /** SHA-256 of a rotation's pending value while it is being tested: its lookup item follows the key's status too. */
  pendingHash?: string;
  maskedKey: string;
  secretArn: string;
  /** The secret version that holds the current value. */
  secretVersionId?: string;
  createdAt: string;
  updatedAt: string;
  rotatedAt?: string;
  deletedAt?: string;
  /** The create request's idempotency token: a retry with it finds this record. */
  requestToken?: string;
  /** The optimistic lock of the declared fields, as Pulumi sees it: bumped by updates, not by rotations. */
  version: number;
  /**
   * Bumped by every write of the record, rotations included. Every write is conditional on the revision it was
   * computed from, so the writes of one key apply one at a time, each to the state it read. Absent on records written
   * before it existed, which count as revision 0.
   */
  revision?: number;
  /** When the declared credits were last set: their balance starts from `remaining` then (usageWindows.ts). */
  creditsSetAt?: string;
}

/** What a verification reads: a copy of the verify fields, in the item addressed by the hash (`HASH#<hash>`). */
export interface LookupItem extends Pick<KeyFields, (typeof VERIFY_FIELDS)[number]> {
  hash: string;
  /** The record's creditsSetAt: which credit epoch verify spends from. */
  creditsSetAt?: string;
  keyId: string;
  /** Set on the previous value by a rotation: it verifies until then, and answers ROTATED_OUT after. */
  retiresAt?: string;
  /** When a verification last accepted this value. */
  lastUsedAt?: string;
}

/** What a lookup item copies from its record: the verify fields, and when the credits were set. */
export const COPIED_FIELDS = [...VERIFY_FIELDS, "creditsSetAt"] as const;

/** The record fields a whole-table read returns: what the inventory and the check of the lookup items need, no secret's address. */
export const LISTED_RECORD_FIELDS = [
  "keyId", "description", "prefix", "owner", "maskedKey", "createdAt", "updatedAt", "deletedAt", "version", "rotation", "hash", "previousHash", "pendingHash",
  ...COPIED_FIELDS,
] as const satisfies readonly (keyof KeyRecord)[];

/** The lookup item fields a whole-table read returns: the copies verify answers with, and the last use. */
export const LISTED_LOOKUP_FIELDS = ["hash", "keyId", "lastUsedAt", ...COPIED_FIELDS] as const satisfies readonly (keyof LookupItem)[];

/**
 * A record as a whole-table read returns it: its keyId, and those listed fields the item has. Any may be missing: a
 * bare tombstone has only its dates, and a hand edit may have removed one.
 */
export type ListedRecord = Pick<KeyRecord, "keyId"> & Partial<Pick<KeyRecord, (typeof LISTED_RECORD_FIELDS)[number]>>;

/** A lookup item as a whole-table read returns it: its hash, and those listed fields the item has (a hand edit may leave out its keyId). */
export type ListedLookup = Pick<LookupItem, "hash"> & Partial<Pick<LookupItem, (typeof LISTED_LOOKUP_FIELDS)[number]>>;

/**
 * A key's usage item as a whole-table read returns it: whose it is, and its counters (rate-limit windows and credit
 * epochs, named as in usageWindows.ts), from which `creditsLeft` gives the live balance.
 */
export interface ListedUsage {
  keyId: string;
  counters: Record<string, number>;
}

/** One page of a whole-table read. */
export interface TablePage {
  records: ListedRecord[];
  lookups: ListedLookup[];
  usage: ListedUsage[];
  /** Items the page held, those left out included. */
  items: number;
  /**
   * Items left out: neither a record with a keyId, a lookup item with a hash nor a usage item with a keyId (an item
   * written by hand, or of a type a later release adds).
   */
  skipped: number;
  /** True while more pages follow. */
  more: boolean;
}

/** Options of {@link KeyStore.scan}. */
export interface ScanOptions {
  /** Items per page (DynamoDB's Limit); DynamoDB caps a page at 1 MB either way. */
  pageSize?: number;
}

/** Options of an in-place update. */
export interface UpdateOptions {
  now: string;
  /** Fail with a conflict unless the record is still at this version. */
  expectedVersion?: number;
  /** Written in the same transaction as the change. */
  audit?: AuditEvent;
  /**
   * The record as the caller read it, and which of the lookup items it names existed when read after it: the first
   * attempt writes on these instead of reading them again (a retry reads for itself).
   */
  read?: { record: KeyRecord; present: string[] };
}

/** A new key value replacing the current one. */
export interface Rotation {
  hash: string;
  maskedKey: string;
  secretVersionId: string;
  now: string;
  /** When the replaced value stops verifying. */
  retiresAt: string;
  /** Rotation settings to store with the switch (a manual rotation records its new trigger here). */
  rotation: KeyFields["rotation"];
  /** Written in the same transaction as the switch. */
  audit?: AuditEvent;
  /**
   * Whether the replaced value's lookup item existed, read after the record at the revision the switch is conditional
   * on (or after an earlier one, with only this rotation's own writes since); read again when absent.
   */
  replacedPresent?: boolean;
}

/** Changes of in-place fields, as an update request carries them. */
export type FieldChanges = UpdateKeyRequest["changes"];

/**
 * Where keys live. Failed conditions surface as domain errors (KeyNotFoundError, ConflictError, StaleRecordError),
 * never as SDK errors. An audit event given to a write is stored in the same transaction: a change and its audit record
 * exist together or not at all.
 *
 * A key's lookup items are written only in transactions that also write its record, conditional on the record being
 * live and at the revision the transaction was computed from (`record` for the writes that take one). So the lookup
 * items are always exactly those the record names, with its verify fields, and nothing adds one to a deleted key.
 * A write that finds the record at another revision fails with StaleRecordError: read again, decide again.
 */
export interface KeyStore {
  /** Writes a new record (at revision 1) and its lookup item together, or neither; a tombstone blocks it too. */
  put(record: KeyRecord, lookup: LookupItem, audit?: AuditEvent): Promise<void>;
  /** The record, read strongly consistent; undefined when there is none. */
  get(keyId: string): Promise<KeyRecord | undefined>;
  /** The lookup item of a hash, read strongly consistent: the one read a verification makes. */
  getLookup(hash: string): Promise<LookupItem | undefined>;
  /**
   * Changes fields of a live key, and the verify fields of its lookup items, together; bumps the version. It reads
   * the record itself (unless given `options.read`), and reads again when a rotation slipped in between (the version
   * did not move, so the caller's expectation still holds). Returns the record as written.
   */
  update(keyId: string, changes: FieldChanges, options: UpdateOptions): Promise<KeyRecord>;
  /**
   * Adds the lookup item of a rotation's pending value and records it as the key's pending hash, replacing an earlier
   * pending one, so that status changes and deletes reach it too. Conditional on `record`'s revision; returns the
   * record as written.
   */
  addLookup(record: KeyRecord, hash: string): Promise<KeyRecord>;
  /**
   * Makes a new value current: its lookup item in, the old one retiring, the one before that and any other pending
   * one gone, in one transaction conditional on `record`'s revision. Returns the record after the switch.
   */
  rotate(record: KeyRecord, rotation: Rotation): Promise<KeyRecord>;
  /**
   * Undoes a create that failed after its record was written: record and lookup item go, if nothing changed them
   * since, so a retry with the same request token can create the key again. The audit event says so.
   */
  discard(keyId: string, audit?: AuditEvent): Promise<void>;
  /**
   * Marks `record` deleted and removes every lookup item it names, together, conditional on its revision: the key
   * stops verifying at once, and no later write can add a value to it. With no record (`undefined`: a create may still
   * be under way), writes a bare tombstone, which the create's write then fails against. Returns the tombstone.
   */
  tombstone(keyId: string, record: KeyRecord | undefined, now: string, audit?: AuditEvent): Promise<KeyRecord>;
  /** Records a use on the lookup item unless one was recorded since `notSince`; true when it wrote. */
  touchLastUsed(hash: string, now: string, notSince: string): Promise<boolean>;
  /**
   * Every record, lookup item and usage item of the table, tombstones included, one page at a time, in the table's
   * order. Read eventually consistent, and billed for every item examined: for an operator's inventory and checks,
   * never for a request's decision. A rate limit or credits of another shape than {@link KeyRecord}'s are left out,
   * not guessed at.
   */
  scan(options?: ScanOptions): AsyncIterable<TablePage>;
  /**
   * Spends from a key's usage item (`USAGE#<keyId>`) in one conditional UpdateItem, creating it on first use: both
   * counters or neither, with no read before. A refused spend changes nothing and reports the item as it stood.
   */
  spendUsage(keyId: string, spend: UsageSpend): Promise<UsageOutcome>;
  /** A key's usage item, read strongly consistent; undefined before its first spend. */
  getUsage(keyId: string): Promise<Record<string, unknown> | undefined>;
}

/** What a verification spends from a key's usage item, in one conditional update of the item. */
export interface UsageSpend {
  /** The current rate-limit window: its attribute counts accepted verifications, at most `limit`. */
  rate?: { attribute: string; limit: number };
  /** The current credit epoch: its attribute holds the balance, which starts at `start` and must cover `cost`. */
  credits?: { attribute: string; start: number; cost: number };
  /** Attributes of windows and epochs that are over, removed by the same update. */
  stale: string[];
}

/** Whether a spend went through, and the usage item after it (or as it stood when the spend was refused). */
export interface UsageOutcome {
  spent: boolean;
  usage: Record<string, unknown>;
}

/** The hashes whose lookup items a record owns: current, previous (in grace) and pending (mid-rotation). */
export function lookupHashes(record: Pick<KeyRecord, "hash" | "previousHash" | "pendingHash">): string[] {
  return [...new Set([record.hash, record.previousHash, record.pendingHash].filter((hash): hash is string => Boolean(hash)))];
}

/** The verify fields of a record, as its lookup items copy them. */
export function verifyFields(record: Pick<KeyRecord, (typeof COPIED_FIELDS)[number]>): Omit<LookupItem, "hash" | "keyId"> {
  return Object.fromEntries(COPIED_FIELDS.map((field) => [field, record[field]])) as Omit<LookupItem, "hash" | "keyId">;
}

/** The changes an update writes: the declared ones, and a new creditsSetAt when the credits change (reset). */
export function storedChanges(changes: FieldChanges, now: string): FieldChanges & { creditsSetAt?: string | null } {
  if (changes.credits === undefined) return changes;
  return { ...changes, creditsSetAt: changes.credits === null ? null : now };
}
