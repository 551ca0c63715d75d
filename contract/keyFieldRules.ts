import { DEFAULT_KEY_PREFIX, KEY_PREFIX_PATTERN } from "./keyFormat";
import { KeyStatus, type KeyFields } from "./messages";

/** One broken rule, naming the property. */
export interface FieldFailure {
  property: string;
  reason: string;
}

/** The outcome of checking one value: the normalized value, or why it is refused. */
export type RuleOutcome<T> = { value: T } | { reason: string };

/** Longest Key Name, after trimming. */
export const NAME_MAX_LENGTH = 64;
/** Longest description. */
export const DESCRIPTION_MAX_LENGTH = 256;
/** Allowed Secrets Manager recovery windows: 0 deletes at once, otherwise 7 to 30 days. */
export const DEFAULT_RECOVERY_WINDOW_DAYS = 7;

const NAME_PATTERN = /^[A-Za-z0-9 _.-]+$/;
// Tab and newline are fine in a description; other control characters only hide things from a reviewer.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const STATUSES: readonly string[] = Object.values(KeyStatus);

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/** The rule of each declared field; `undefined` means the field was omitted. */
export const keyFieldRules = {
  name(value: unknown): RuleOutcome<string> {
    if (value === undefined || value === null) return { reason: "is required" };
    if (typeof value !== "string") return { reason: `must be a string, got ${typeName(value)}` };
    const name = value.trim();
    if (name.length === 0) return { reason: "must not be empty" };
    if (name.length > NAME_MAX_LENGTH) return { reason: `must be at most ${NAME_MAX_LENGTH} characters, got ${name.length}` };
    if (!NAME_PATTERN.test(name)) return { reason: "may contain only letters, digits, spaces and - _ ." };
    return { value: name };
  },
  description(value: unknown): RuleOutcome<string> {
    if (value === undefined || value === null) return { value: "" };
    if (typeof value !== "string") return { reason: `must be a string, got ${typeName(value)}` };
    if (value.length > DESCRIPTION_MAX_LENGTH) return { reason: `must be at most ${DESCRIPTION_MAX_LENGTH} characters, got ${value.length}` };
    if (CONTROL_CHARACTERS.test(value)) return { reason: "must not contain control or bidirectional-override characters" };
    return { value };
  },
  status(value: unknown): RuleOutcome<KeyStatus> {
    if (value === undefined || value === null) return { value: KeyStatus.ACTIVE };
    if (typeof value !== "string" || !STATUSES.includes(value)) return { reason: `must be one of ${STATUSES.map((s) => `"${s}"`).join(", ")}, got ${JSON.stringify(value)}` };
    return { value: value as KeyStatus };
  },
  prefix(value: unknown): RuleOutcome<string> {
    if (value === undefined || value === null) return { value: DEFAULT_KEY_PREFIX };
    if (typeof value !== "string") return { reason: `must be a string, got ${typeName(value)}` };
    if (!KEY_PREFIX_PATTERN.test(value)) return { reason: `must match ${KEY_PREFIX_PATTERN.source} (a lower-case letter, then 1 to 15 lower-case letters or digits)` };
    return { value };
  },
} as const;

/** Checks a Secrets Manager recovery window in days. */
export function recoveryWindowRule(value: unknown): RuleOutcome<number> {
  if (value === undefined || value === null) return { value: DEFAULT_RECOVERY_WINDOW_DAYS };
  if (typeof value !== "number" || !Number.isInteger(value) || (value !== 0 && (value < 7 || value > 30))) {
    return { reason: `must be 0 or a whole number of days from 7 to 30, got ${JSON.stringify(value)}` };
  }
  return { value };
}

/** Names the properties of `input` that are not in `allowed`. */
export function unknownProperties(input: Record<string, unknown>, allowed: readonly string[]): FieldFailure[] {
  return Object.keys(input)
    .filter((property) => !allowed.includes(property))
    .map((property) => ({ property, reason: `is not a known property (known: ${allowed.join(", ")})` }));
}

/** Checks and normalizes the declared fields of a key: trims the name, fills defaults, lists every failure. */
export function validateKeyFields(input: Record<string, unknown>): { value?: KeyFields; failures: FieldFailure[] } {
  const failures: FieldFailure[] = [];
  const value: Record<string, unknown> = {};
  for (const [property, rule] of Object.entries(keyFieldRules)) {
    const outcome = (rule as (v: unknown) => RuleOutcome<unknown>)(input[property]);
    if ("reason" in outcome) failures.push({ property, reason: outcome.reason });
    else value[property] = outcome.value;
  }
  return failures.length ? { failures } : { value: value as unknown as KeyFields, failures };
}
