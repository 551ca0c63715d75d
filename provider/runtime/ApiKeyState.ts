import { KEY_FIELDS, type KeyFields, type KeyFunctions, type KeyView } from "../../contract";

export type { KeyFunctions };

/** The resolved inputs of an ApiKey, as check returns them. */
export interface ApiKeyInputs extends KeyFields {
  /** AWS region of the backend. */
  region: string;
  functions: KeyFunctions;
  recoveryWindowInDays: number;
  /** Take over this existing key at create instead of generating one. */
  adopt?: { keyId: string };
  /** Project and stack of the declaring program, for the audit trail; never compared by diff. */
  auditContext?: { project?: string; stack?: string };
}

/** The state Pulumi keeps for an ApiKey: its inputs and the metadata the backend reported. */
export interface ApiKeyOutputs extends ApiKeyInputs, Omit<KeyView, keyof KeyFields> {
  /** The create's idempotency token: kept so an interrupted create can be finished by the next update. */
  requestToken?: string;
}

/** Input properties in the order a reader expects them; anything else is refused by check. */
export const INPUT_PROPERTIES = [...KEY_FIELDS, "region", "functions", "recoveryWindowInDays"] as const;

/** Inputs check accepts besides {@link INPUT_PROPERTIES}; diff ignores them (adopt is only read at create). */
export const UNCOMPARED_INPUTS = ["adopt", "auditContext"] as const;

/**
 * Outputs that may have no value (no owner, no expiry, never rotated, never used). They are stored as null rather
 * than left out: the engine reports an absent output as unknown in every preview, which would list each of them under
 * every key in the stack's outputs on any change.
 */
export const OPTIONAL_OUTPUTS = ["owner", "expiresAt", "rotatedAt", "lastUsedAt", "rateLimit", "credits", "notBefore", "creditsRemaining"] as const;

/** Inputs whose change means a new key: another prefix is another key format, another region another backend. */
export const REPLACE_PROPERTIES = ["prefix", "region"] as const;

/** The value the engine sends for an input not known until apply (preview with computed values). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
