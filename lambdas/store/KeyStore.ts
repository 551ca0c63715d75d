import type { InPlaceField, KeyFields } from "../../contract";

/** A key's lifecycle state in the table; `deleted` is the tombstone kept for audits. */
export type RecordStatus = KeyFields["status"] | "deleted";

/** The record item of a key (partition key `KEY#<keyId>`). */
export interface KeyRecord extends Omit<KeyFields, "status"> {
  keyId: string;
  status: RecordStatus;
  /** SHA-256 of the current key value; removed when the key is deleted. */
  hash?: string;
  maskedKey: string;
  secretArn: string;
  createdAt: string;
  updatedAt: string;
  lastUsedAt?: string;
  deletedAt?: string;
  version: number;
}

/** The verify lookup item of a key value (partition key `HASH#<hash>`): what verify needs, in one GetItem. */
export interface LookupItem {
  hash: string;
  keyId: string;
  name: string;
  status: KeyFields["status"];
}

/** Options of an in-place update. */
export interface UpdateOptions {
  now: string;
  /** Fail with a conflict unless the record is still at this version. */
  expectedVersion?: number;
}

/** Where keys live. Failed conditions surface as domain errors (KeyNotFoundError, ConflictError), never as SDK errors. */
export interface KeyStore {
  /** Writes a new record and its lookup item together, or neither. */
  put(record: KeyRecord, lookup: LookupItem): Promise<void>;
  /** The record, read strongly consistent; undefined when there is none. */
  get(keyId: string): Promise<KeyRecord | undefined>;
  /** Changes fields of a live key and its lookup item together; bumps the version. */
  update(keyId: string, changes: Partial<Pick<KeyFields, InPlaceField>>, options: UpdateOptions): Promise<KeyRecord>;
  /** Removes the lookup item and marks the record deleted, together: the key stops verifying at once. */
  tombstone(keyId: string, now: string): Promise<KeyRecord>;
}
