import type { ErrorBody } from "./errors";

/** The Pulumi type token of an ApiKey: `pulumi-nodejs:dynamic/<module>:<type>`, as dynamic.Resource builds it. */
export const API_KEY_TYPE = "pulumi-nodejs:dynamic/apikeys:ApiKey";

/** The seed's Status toggle. */
export const KeyStatus = { ACTIVE: "active", INACTIVE: "inactive" } as const;
/** One of {@link KeyStatus}. */
export type KeyStatus = (typeof KeyStatus)[keyof typeof KeyStatus];

/** How a key rotates, as declared. */
export interface RotationSettings {
  /** Any change of this value rotates the key in place. */
  trigger?: string;
  /** How long the previous value keeps verifying after a rotation, e.g. "24h"; "0s" by default. */
  gracePeriod?: string;
  /** Days between scheduled rotations by Secrets Manager; none when absent. */
  automaticallyAfterDays?: number;
}

/** How often a key may be accepted: at most `limit` times in each fixed `window` ("1s" to "24h"). */
export interface RateLimit {
  limit: number;
  window: string;
}

/** When spent credits come back: the balance becomes `amount` at every UTC day or month boundary. */
export interface CreditRefill {
  amount: number;
  interval: "daily" | "monthly";
}

/** Usage credits: each accepted verification spends its cost (1 by default) from the balance. */
export interface Credits {
  /** The balance from the moment the credits are declared or changed; any change of `credits` resets it to this. */
  remaining: number;
  refill?: CreditRefill;
}

/** The fields a declaration controls. */
export interface KeyFields {
  name: string;
  description: string;
  status: KeyStatus;
  prefix: string;
  /** The team or person responsible. */
  owner?: string;
  /** What the key may do; verify returns them. */
  scopes: string[];
  /** Free-form labels; verify returns them. */
  metadata: Record<string, string>;
  /** ISO-8601 instant after which verify answers EXPIRED. */
  expiresAt?: string;
  rotation: RotationSettings;
  /** Accepted verifications per window; verify answers RATE_LIMITED beyond it. */
  rateLimit?: RateLimit;
  /** Usage credits; verify answers USAGE_EXCEEDED once they are spent. */
  credits?: Credits;
  /** Source address ranges (IPv4 and IPv6 CIDR) the key is accepted from; any address when empty. */
  allowedCidrs?: string[];
  /** ISO-8601 instant before which verify answers NOT_YET_VALID; before expiresAt when both are set. */
  notBefore?: string;
}

/** Every field a declaration controls, in the order a reader expects them. */
export const KEY_FIELDS = ["name", "description", "status", "prefix", "owner", "scopes", "metadata", "expiresAt", "rotation", "rateLimit", "credits", "allowedCidrs", "notBefore"] as const satisfies readonly (keyof KeyFields)[];

/** The fields that change in place; everything else in {@link KeyFields} means a new key. */
export const IN_PLACE_FIELDS = ["name", "description", "status", "owner", "scopes", "metadata", "expiresAt", "rotation", "rateLimit", "credits", "allowedCidrs", "notBefore"] as const;
/** A field that changes in place. */
export type InPlaceField = (typeof IN_PLACE_FIELDS)[number];
/** Fields a verification answers with, so the lookup item carries a copy of them. */
export const VERIFY_FIELDS = ["name", "status", "scopes", "metadata", "expiresAt", "rateLimit", "credits", "allowedCidrs", "notBefore"] as const;

/** Who asked for a change, recorded in the audit trail. Never carries a key. */
export interface ChangeContext {
  /** The caller's AWS identity ARN, as the provider's STS GetCallerIdentity reports it. */
  actor?: string;
  /** Pulumi project and stack that declare the key. */
  project?: string;
  stack?: string;
  /** The commit being deployed, when CI exposes one (GITHUB_SHA and the like). */
  commit?: string;
  /** Why, for a change made outside a deployment (`apikeys deactivate --reason`); see {@link changeReasonRule}. */
  reason?: string;
}

/** Asks the create Lambda for a new key: a name, and any other field to override its default. */
export type CreateKeyRequest = Pick<KeyFields, "name"> &
  Partial<KeyFields> & {
    /**
     * Idempotency token, the same on every retry of one create: the keyId and secret name derive from it, so a repeated
     * create returns the same key and makes no second secret.
     */
    requestToken?: string;
    /** Take over this existing key instead of generating one; its value is kept. */
    adoptKeyId?: string;
    context?: ChangeContext;
  };

/** Asks the read Lambda for a key's current record. */
export interface ReadKeyRequest {
  keyId: string;
}

/**
 * Asks the read Lambda which key a value belongs to, by the value's {@link hashKey}: what `apikeys scan` and
 * `apikeys revoke` send, so that a key found in a file is never sent anywhere. Records no use.
 */
export interface LookupKeyRequest {
  hash: string;
}

/** Which of its key's values a looked-up value is. */
export const KeyValueRole = {
  CURRENT: "current",
  /** Replaced by the last rotation; verifies until its grace period ends. */
  PREVIOUS: "previous",
  /** A rotation's new value while it is tested. */
  PENDING: "pending",
  /** A lookup item its record does not name, or of a deleted key: verify answers for a value nothing accounts for. */
  UNNAMED: "unnamed",
} as const;
/** One of {@link KeyValueRole}. */
export type KeyValueRole = (typeof KeyValueRole)[keyof typeof KeyValueRole];

/** What the read Lambda answers a {@link LookupKeyRequest} with, or `null` when no value of any key has that hash. */
export interface KeyValueMatch {
  keyId: string;
  /** What verify answers for the value now; a VALID value is live. */
  code: VerifyCode;
  role: KeyValueRole;
  /** The key's metadata; absent when its record is deleted or missing. */
  key?: KeyView;
}

/** Asks the update Lambda to change fields in place; a new `rotation.trigger` also rotates the key. */
export interface UpdateKeyRequest {
  keyId: string;
  /** Changed fields; `null` clears an optional one (owner, expiresAt, rateLimit, credits, notBefore). */
  changes: { [F in InPlaceField]?: KeyFields[F] | null };
  /** The version the caller last saw: the write fails with CONFLICT if the record moved on since. */
  expectedVersion?: number;
  context?: ChangeContext;
  /**
   * Kill a leaked value of the key now (`apikeys revoke`): the value with this {@link hashKey}. When it is the current
   * one, the key rotates with no grace period, so the value answers ROTATED_OUT from then on; a previous or pending
   * value goes with a rotation that leaves the current value its declared grace. The declared rotation settings,
   * trigger included, stay as they were, so the next deployment sees nothing to rotate. Needs `context.reason`;
   * recorded as a `revoke` audit event (after the rotation's own `rotate` event), together with `changes` (a status).
   */
  revoke?: { hash: string };
}

/** Asks the delete Lambda to delete a key. */
export interface DeleteKeyRequest {
  keyId: string;
  /** Days Secrets Manager keeps the secret recoverable: 0 (at once) or 7 to 30. */
  recoveryWindowInDays: number;
  context?: ChangeContext;
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
  /** When the key value last rotated; absent until then. */
  rotatedAt?: string;
  /** Bumped by every update: the optimistic lock. */
  version: number;
  /** The live balance of a key with credits: what verifications have left of them now. */
  creditsRemaining?: number;
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
/** Response of the read Lambda to a lookup by hash: `null` when no value has that hash. */
export type LookupKeyResponse = HandlerResponse<KeyValueMatch | null>;
/** Response of the delete Lambda. */
export type DeleteKeyResponse = HandlerResponse<DeleteResult>;

/** The outcomes of a verification: expected results, returned as values, never thrown. */
export const VerifyCode = {
  VALID: "VALID",
  MALFORMED: "MALFORMED",
  NOT_FOUND: "NOT_FOUND",
  INACTIVE: "INACTIVE",
  EXPIRED: "EXPIRED",
  ROTATED_OUT: "ROTATED_OUT",
  /** Before the key's notBefore. */
  NOT_YET_VALID: "NOT_YET_VALID",
  /** From an address outside the key's allowedCidrs, or from no known address. */
  FORBIDDEN: "FORBIDDEN",
  /** The key lacks a scope the request or its route requires. */
  INSUFFICIENT_SCOPES: "INSUFFICIENT_SCOPES",
  /** The key was accepted its rateLimit's limit times in the current window. */
  RATE_LIMITED: "RATE_LIMITED",
  /** The key's credits cannot pay the request's cost. */
  USAGE_EXCEEDED: "USAGE_EXCEEDED",
} as const;
/** One of {@link VerifyCode}. */
export type VerifyCode = (typeof VerifyCode)[keyof typeof VerifyCode];

/** Asks the verify Lambda whether a key is good. */
export interface VerifyKeyRequest {
  key: string;
  /** The caller's address: required for a key with allowedCidrs, which answers FORBIDDEN without it. */
  sourceIp?: string;
  /** Scopes the key must all hold (see scopeGrants for `*`), else INSUFFICIENT_SCOPES. */
  requiredScopes?: string[];
  /** Credits an accepted verification spends: a whole number, 1 by default. */
  cost?: number;
}

/** What verify answers. Only a VALID result carries the key's details. */
export type VerifyResult =
  | {
      valid: true;
      code: typeof VerifyCode.VALID;
      keyId: string;
      name: string;
      scopes: string[];
      metadata: Record<string, string>;
      expiresAt?: string;
      /** What the key's credits hold after this verification; only for a key with credits. */
      creditsRemaining?: number;
    }
  | {
      valid: false;
      code: Exclude<VerifyCode, typeof VerifyCode.VALID>;
      keyId?: string;
      /** RATE_LIMITED, and USAGE_EXCEEDED with a refill: seconds until the next window or refill. */
      retryAfterSeconds?: number;
    };

/** What an audit event records: names of changed fields, never values of secrets. */
export const AuditAction = { CREATE: "create", ADOPT: "adopt", UPDATE: "update", ROTATE: "rotate", REVOKE: "revoke", DELETE: "delete" } as const;
/** One of {@link AuditAction}. */
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** One item of the audit table. */
export interface AuditEvent extends ChangeContext {
  keyId: string;
  /** `<at>#<eventId>`: the sort key. */
  sk: string;
  /** UTC day of `at` (YYYY-MM-DD): the partition of the byDay index. */
  day: string;
  at: string;
  eventId: string;
  action: AuditAction;
  changedFields: string[];
  maskedKey: string;
}
