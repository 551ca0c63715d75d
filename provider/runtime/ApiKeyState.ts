import type { KeyFields, KeyView } from "../../contract";

/** The Lambda functions a key is managed through, by name or ARN. */
export interface KeyFunctions {
  create: string;
  read: string;
  update: string;
  delete: string;
}

/** The resolved inputs of an ApiKey, as check returns them. */
export interface ApiKeyInputs extends KeyFields {
  /** AWS region of the backend. */
  region: string;
  functions: KeyFunctions;
  recoveryWindowInDays: number;
}

/** The state Pulumi keeps for an ApiKey: its inputs and the metadata the backend reported. */
export interface ApiKeyOutputs extends ApiKeyInputs, Omit<KeyView, keyof KeyFields> {}

/** Input properties in the order a reader expects them; anything else is refused by check. */
export const INPUT_PROPERTIES = [
  "name",
  "description",
  "status",
  "prefix",
  "owner",
  "scopes",
  "metadata",
  "expiresAt",
  "rotation",
  "region",
  "functions",
  "recoveryWindowInDays",
] as const;

/** Inputs whose change means a new key: another prefix is another key format, another region another backend. */
export const REPLACE_PROPERTIES = ["prefix", "region"] as const;

/** The value the engine sends for an input not known until apply (preview with computed values). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
