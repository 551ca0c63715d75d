import { DEFAULT_KEY_PREFIX, KEY_PREFIX_PATTERN } from "./keyFormat";
import { formatCidr, parseCidr } from "./ipRanges";
import { KeyStatus, type Credits, type KeyFields, type RateLimit, type RotationSettings } from "./messages";
import { parseDuration } from "./parseDuration";
import { holdsKey } from "./redactKeys";

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
/** Days Secrets Manager keeps a deleted key's secret recoverable when nothing else is declared. */
export const DEFAULT_RECOVERY_WINDOW_DAYS = 7;
/** Bounds of the lists and maps a key carries: verify returns them, so they stay small. */
export const LIMITS = {
  owner: 128,
  scopes: 50,
  scope: 64,
  metadataEntries: 20,
  metadataKey: 64,
  metadataValue: 256,
  trigger: 128,
  /** Longest grace period: 30 days. */
  gracePeriodSeconds: 30 * 86400,
  automaticallyAfterDays: 1000,
  /** Most accepted verifications a rate limit may allow per window. */
  rateLimit: 1_000_000_000,
  /** Shortest and longest rate-limit window, in seconds: 1s to 24h. */
  windowSeconds: { min: 1, max: 86_400 },
  /** Largest credit balance or refill amount. */
  credits: 1_000_000_000_000,
  allowedCidrs: 50,
} as const;

const NAME_PATTERN = /^[A-Za-z0-9 _.-]+$/;
// Tab and newline are fine in a description; other control characters only hide things from a reviewer.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const STATUSES: readonly string[] = Object.values(KeyStatus);
// "*" alone is a scope too: it grants every scope (scopeGrants.ts).
const SCOPE_PATTERN = /^(\*|[A-Za-z0-9][A-Za-z0-9:._\/*-]*)$/;
const METADATA_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:._\/-]*$/;
// ISO-8601 instant with a time zone, the form Date.toISOString produces and stricter than Date.parse.
const INSTANT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True when an instant's date and time exist on the calendar (Date.parse would roll 02-30 over into March). */
function onTheCalendar(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const second = Number(match[6] ?? 0);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalText(value: unknown, max: number): RuleOutcome<string | undefined> {
  if (value === undefined || value === null) return { value: undefined };
  if (typeof value !== "string") return { reason: `must be a string, got ${typeName(value)}` };
  const text = value.trim();
  if (text.length === 0 || text.length > max) return { reason: `must be 1 to ${max} characters` };
  if (CONTROL_CHARACTERS.test(text)) return { reason: "must not contain control or bidirectional-override characters" };
  return { value: text };
}

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/** Why a declared value that holds a key is refused, whatever field it is in. */
export const KEY_IN_DECLARATION =
  "holds a value that parses as an API key; declarations are stored in Pulumi state and in the repository, so a key must never be declared: remove it, and rotate that key if it is real";

/** Metadata keys that name parts of every JavaScript object: decoding drops or misreads them, so none is accepted. */
export const RESERVED_METADATA_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** Why a reserved metadata key is refused. */
export function reservedMetadataKeyReason(key: string): string {
  return `.${key} is a reserved name of JavaScript objects: ${RESERVED_METADATA_KEYS.join(", ")} are not allowed as metadata keys`;
}

/** The metadata keys of `value` that are reserved, own properties only (an inherited `constructor` is no entry). */
export function reservedMetadataKeys(value: unknown): string[] {
  if (!isPlainObject(value)) return [];
  return Object.keys(value).filter((key) => (RESERVED_METADATA_KEYS as readonly string[]).includes(key));
}

/** A whole number from `min` to `max`, or why not. */
function wholeNumber(value: unknown, min: number, max: number): string | undefined {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) return `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`;
  return undefined;
}

/** The properties of `value` that are not in `known`, as the reason naming the first one. */
function unknownKey(value: Record<string, unknown>, known: readonly string[]): string | undefined {
  const extra = Object.keys(value).find((key) => !known.includes(key));
  return extra === undefined ? undefined : `.${extra} is not a known property (known: ${known.join(", ")})`;
}

function instant(value: unknown): RuleOutcome<string | undefined> {
  if (value === undefined || value === null) return { value: undefined };
  const match = typeof value === "string" ? INSTANT_PATTERN.exec(value) : null;
  if (typeof value !== "string" || !match || !onTheCalendar(match) || Number.isNaN(Date.parse(value))) {
    return { reason: `must be an ISO-8601 instant with a time zone such as "2027-01-31T00:00:00Z", got ${JSON.stringify(value)}` };
  }
  return { value: new Date(value).toISOString() };
}

/** Wraps every rule so that a value holding a key is refused before any rule could repeat it in a reason. */
function refusingKeys<R extends Record<string, (value: unknown) => RuleOutcome<unknown>>>(rules: R): R {
  return Object.fromEntries(
    Object.entries(rules).map(([field, rule]) => [field, (value: unknown) => (holdsKey(value) ? { reason: KEY_IN_DECLARATION } : rule(value))]),
  ) as R;
}

/** The rule of each declared field; `undefined` means the field was omitted. */
export const keyFieldRules = /* @__PURE__ */ refusingKeys({
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
  owner(value: unknown): RuleOutcome<string | undefined> {
    return optionalText(value, LIMITS.owner);
  },
  scopes(value: unknown): RuleOutcome<string[]> {
    if (value === undefined || value === null) return { value: [] };
    if (!Array.isArray(value)) return { reason: `must be a list of strings, got ${typeName(value)}` };
    if (value.length > LIMITS.scopes) return { reason: `must have at most ${LIMITS.scopes} entries, got ${value.length}` };
    for (const [index, scope] of value.entries()) {
      if (typeof scope !== "string" || scope.length > LIMITS.scope || !SCOPE_PATTERN.test(scope)) {
        return { reason: `[${index}] must be 1 to ${LIMITS.scope} letters, digits and : . _ / * -, got ${JSON.stringify(scope)}` };
      }
    }
    if (new Set(value).size !== value.length) return { reason: "must not repeat a scope" };
    return { value: [...value] };
  },
  metadata(value: unknown): RuleOutcome<Record<string, string>> {
    if (value === undefined || value === null) return { value: {} };
    if (!isPlainObject(value)) return { reason: `must be a map of strings, got ${typeName(value)}` };
    const entries = Object.entries(value);
    if (entries.length > LIMITS.metadataEntries) return { reason: `must have at most ${LIMITS.metadataEntries} entries, got ${entries.length}` };
    const [reserved] = reservedMetadataKeys(value);
    if (reserved !== undefined) return { reason: reservedMetadataKeyReason(reserved) };
    for (const [key, entry] of entries) {
      if (key.length > LIMITS.metadataKey || !METADATA_KEY_PATTERN.test(key)) return { reason: `key ${JSON.stringify(key)} must be 1 to ${LIMITS.metadataKey} letters, digits and : . _ / -` };
      if (typeof entry !== "string") return { reason: `.${key} must be a string, got ${typeName(entry)}` };
      if (entry.length > LIMITS.metadataValue) return { reason: `.${key} must be at most ${LIMITS.metadataValue} characters, got ${entry.length}` };
      if (CONTROL_CHARACTERS.test(entry)) return { reason: `.${key} must not contain control or bidirectional-override characters` };
    }
    return { value: { ...(value as Record<string, string>) } };
  },
  expiresAt(value: unknown): RuleOutcome<string | undefined> {
    return instant(value);
  },
  rotation(value: unknown): RuleOutcome<RotationSettings> {
    if (value === undefined || value === null) return { value: {} };
    if (!isPlainObject(value)) return { reason: `must be an object with trigger, gracePeriod or automaticallyAfterDays, got ${typeName(value)}` };
    const unknown = Object.keys(value).filter((key) => !["trigger", "gracePeriod", "automaticallyAfterDays"].includes(key));
    if (unknown.length) return { reason: `.${unknown[0]} is not a known property (known: trigger, gracePeriod, automaticallyAfterDays)` };
    const { trigger, gracePeriod, automaticallyAfterDays } = value;
    const settings: RotationSettings = {};
    if (trigger !== undefined && trigger !== null) {
      if (typeof trigger !== "string" || trigger.length === 0 || trigger.length > LIMITS.trigger) return { reason: `.trigger must be 1 to ${LIMITS.trigger} characters` };
      settings.trigger = trigger;
    }
    if (gracePeriod !== undefined && gracePeriod !== null) {
      const seconds = typeof gracePeriod === "string" ? parseDuration(gracePeriod) : undefined;
      if (seconds === undefined || seconds > LIMITS.gracePeriodSeconds) return { reason: `.gracePeriod must be a duration such as "90s", "15m", "24h" or "7d", at most 30d, got ${JSON.stringify(gracePeriod)}` };
      settings.gracePeriod = gracePeriod as string;
    }
    if (automaticallyAfterDays !== undefined && automaticallyAfterDays !== null) {
      if (typeof automaticallyAfterDays !== "number" || !Number.isInteger(automaticallyAfterDays) || automaticallyAfterDays < 1 || automaticallyAfterDays > LIMITS.automaticallyAfterDays) {
        return { reason: `.automaticallyAfterDays must be a whole number from 1 to ${LIMITS.automaticallyAfterDays}, got ${JSON.stringify(automaticallyAfterDays)}` };
      }
      settings.automaticallyAfterDays = automaticallyAfterDays;
    }
    return { value: settings };
  },
  rateLimit(value: unknown): RuleOutcome<RateLimit | undefined> {
    if (value === undefined || value === null) return { value: undefined };
    if (!isPlainObject(value)) return { reason: `must be an object { limit, window }, got ${typeName(value)}` };
    const unknown = unknownKey(value, ["limit", "window"]);
    if (unknown) return { reason: unknown };
    const limit = wholeNumber(value.limit, 1, LIMITS.rateLimit);
    if (limit) return { reason: `.limit ${limit}` };
    const seconds = typeof value.window === "string" ? parseDuration(value.window) : undefined;
    if (seconds === undefined || seconds < LIMITS.windowSeconds.min || seconds > LIMITS.windowSeconds.max) {
      return { reason: `.window must be a duration from "1s" to "24h" such as "1s", "1m" or "1h", got ${JSON.stringify(value.window)}` };
    }
    return { value: { limit: value.limit as number, window: value.window as string } };
  },
  credits(value: unknown): RuleOutcome<Credits | undefined> {
    if (value === undefined || value === null) return { value: undefined };
    if (!isPlainObject(value)) return { reason: `must be an object { remaining, refill? }, got ${typeName(value)}` };
    const unknown = unknownKey(value, ["remaining", "refill"]);
    if (unknown) return { reason: unknown };
    if (value.remaining === undefined || value.remaining === null) return { reason: ".remaining is required: the balance the credits start from" };
    const remaining = wholeNumber(value.remaining, 0, LIMITS.credits);
    if (remaining) return { reason: `.remaining ${remaining}` };
    const credits: Credits = { remaining: value.remaining as number };
    const refill = value.refill;
    if (refill !== undefined && refill !== null) {
      if (!isPlainObject(refill)) return { reason: `.refill must be an object { amount, interval }, got ${typeName(refill)}` };
      const unknownRefill = unknownKey(refill, ["amount", "interval"]);
      if (unknownRefill) return { reason: `.refill${unknownRefill}` };
      const amount = wholeNumber(refill.amount, 1, LIMITS.credits);
      if (amount) return { reason: `.refill.amount ${amount}` };
      if (refill.interval !== "daily" && refill.interval !== "monthly") return { reason: `.refill.interval must be "daily" or "monthly", got ${JSON.stringify(refill.interval)}` };
      credits.refill = { amount: refill.amount as number, interval: refill.interval };
    }
    return { value: credits };
  },
  allowedCidrs(value: unknown): RuleOutcome<string[]> {
    if (value === undefined || value === null) return { value: [] };
    if (!Array.isArray(value)) return { reason: `must be a list of CIDR ranges, got ${typeName(value)}` };
    if (value.length > LIMITS.allowedCidrs) return { reason: `must have at most ${LIMITS.allowedCidrs} entries, got ${value.length}` };
    const ranges: string[] = [];
    for (const [index, entry] of value.entries()) {
      if (typeof entry !== "string") return { reason: `[${index}] must be a string, got ${typeName(entry)}` };
      const parsed = parseCidr(entry.trim());
      if ("reason" in parsed) return { reason: `[${index}] ${JSON.stringify(entry)} ${parsed.reason}` };
      const canonical = formatCidr(parsed.range);
      if (ranges.includes(canonical)) return { reason: `[${index}] repeats ${canonical}` };
      ranges.push(canonical);
    }
    return { value: ranges };
  },
  notBefore(value: unknown): RuleOutcome<string | undefined> {
    return instant(value);
  },
} as const);

/** Refuses a validity window that never opens: notBefore must come before expiresAt when both are set. */
export function validityWindowRule(notBefore: string | undefined | null, expiresAt: string | undefined | null): FieldFailure | undefined {
  if (!notBefore || !expiresAt || Date.parse(notBefore) < Date.parse(expiresAt)) return undefined;
  return { property: "notBefore", reason: `must be before expiresAt (${expiresAt}), got ${notBefore}` };
}

/** Refuses an expiry that is not in the future, for a value being set now (an existing expiry may pass). */
export function futureExpiryRule(expiresAt: string | undefined, now: Date): RuleOutcome<string | undefined> {
  if (expiresAt !== undefined && Date.parse(expiresAt) <= now.getTime()) return { reason: `must be in the future, got ${expiresAt}` };
  return { value: expiresAt };
}

/** Seconds the previous value keeps verifying after a rotation. */
export function gracePeriodSeconds(rotation: RotationSettings | undefined): number {
  return rotation?.gracePeriod ? (parseDuration(rotation.gracePeriod) ?? 0) : 0;
}

/** Checks a Secrets Manager recovery window in days. */
export function recoveryWindowRule(value: unknown): RuleOutcome<number> {
  if (value === undefined || value === null) return { value: DEFAULT_RECOVERY_WINDOW_DAYS };
  if (typeof value !== "number" || !Number.isInteger(value) || (value !== 0 && (value < 7 || value > 30))) {
    return { reason: `must be 0 or a whole number of days from 7 to 30, got ${JSON.stringify(value)}` };
  }
  return { value };
}

/** Longest reason an audited change may give. */
export const REASON_MAX_LENGTH = 256;

/**
 * Checks the reason given for a change made outside a deployment: what an auditor reads later, so 1 to 256
 * characters, no control characters, and no key (the audit table never holds one).
 */
export function changeReasonRule(value: unknown): RuleOutcome<string | undefined> {
  if (value === undefined || value === null) return { value: undefined };
  if (holdsKey(value)) return { reason: "holds a value that parses as an API key; the audit trail must never hold one: give the reason in words, and rotate that key if it is real" };
  if (typeof value !== "string") return { reason: `must be a string, got ${typeName(value)}` };
  const reason = value.trim();
  if (reason.length === 0 || reason.length > REASON_MAX_LENGTH) return { reason: `must be 1 to ${REASON_MAX_LENGTH} characters` };
  if (CONTROL_CHARACTERS.test(reason)) return { reason: "must not contain control or bidirectional-override characters" };
  return { value: reason };
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
  const window = failures.length ? undefined : validityWindowRule(value.notBefore as string | undefined, value.expiresAt as string | undefined);
  if (window) failures.push(window);
  return failures.length ? { failures } : { value: value as unknown as KeyFields, failures };
}
