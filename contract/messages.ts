import type { ErrorBody } from "./errors";

/** The seed's Status toggle. */
export const KeyStatus = { ACTIVE: "active", INACTIVE: "inactive" } as const;
/** One of {@link KeyStatus}. */
export type KeyStatus = (typeof KeyStatus)[keyof typeof KeyStatus];

/** The fields a declaration controls. */
export interface KeyFields {
  name: string;
  description: string;
  status: KeyStatus;
  prefix: string;
}

/** The fields that change in place; everything else in {@link KeyFields} means a new key. */
export const IN_PLACE_FIELDS = ["name", "description", "status"] as const;
/** A field that changes in place. */
export type InPlaceField = (typeof IN_PLACE_FIELDS)[number];

/** Asks the create Lambda for a new key. */
export interface CreateKeyRequest extends KeyFields {}

/** Asks the read Lambda for a key's current record. */
export interface ReadKeyRequest {
  keyId: string;
}

/** Asks the update Lambda to change fields in place. */
export interface UpdateKeyRequest {
  keyId: string;
  changes: Partial<Pick<KeyFields, InPlaceField>>;
  /** The version the caller last saw: the write fails with CONFLICT if the record moved on since. */
  expectedVersion?: number;
}

/** Asks the delete Lambda to delete a key. */
export interface DeleteKeyRequest {
  keyId: string;
  /** Days Secrets Manager keeps the secret recoverable: 0 (at once) or 7 to 30. */
  recoveryWindowInDays: number;
}

/** A key as the Lambdas report it: metadata only, never the plaintext. */
export interface KeyView extends KeyFields {
  keyId: string;
  maskedKey: string;
  secretArn: string;
  createdAt: string;
  updatedAt: string;
  /** When a verify last accepted the key; absent until then. */
  lastUsedAt?: string;
  /** Bumped by every update: the optimistic lock. */
  version: number;
}

/** What a delete did. */
export interface DeleteResult {
  keyId: string;
  deletedAt: string;
  /** False when the key was already deleted (the call still succeeds). */
  deleted: boolean;
}

/** Every handler answers with this envelope: expected failures are values, only infrastructure failures throw. */
export type HandlerResponse<T> = { ok: true; result: T } | { ok: false; error: ErrorBody };

/** Response of the create and update Lambdas. */
export type KeyResponse = HandlerResponse<KeyView>;
/** Response of the read Lambda: `null` when the key does not exist or was deleted. */
export type ReadKeyResponse = HandlerResponse<KeyView | null>;
/** Response of the delete Lambda. */
export type DeleteKeyResponse = HandlerResponse<DeleteResult>;
