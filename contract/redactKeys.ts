import { keySource, parseKey } from "./keyFormat";

/** What a redacted key reads as. */
export const REDACTED_KEY = "[redacted key]";

// The shape of a key, even glued to other text (redaction errs on the side of hiding); parseKey then checks the
// checksum, so ordinary identifiers are left alone.
const KEY_SHAPE = new RegExp(keySource(), "g");

/**
 * Replaces every value in `text` that parses as a key (its checksum holds) with "[redacted key]", and every exact
 * occurrence of `known` secrets too (a mistyped key fails its checksum yet is one character from a real one). Every
 * error message and log line that may repeat input passes through here.
 */
export function redactKeys(text: string, known: readonly string[] = []): string {
  let redacted = String(text).replace(KEY_SHAPE, (candidate) => (parseKey(candidate) ? REDACTED_KEY : candidate));
  for (const secret of known) if (secret) redacted = redacted.split(secret).join(REDACTED_KEY);
  return redacted;
}

/** True when some string inside `value` (a string, or any depth of lists and maps, names included) holds a key. */
export function holdsKey(value: unknown, seen: Set<unknown> = new Set()): boolean {
  if (typeof value === "string") return redactKeys(value) !== value;
  if (typeof value !== "object" || value === null || seen.has(value)) return false;
  seen.add(value);
  const entries = Array.isArray(value) ? value.map((item) => ["", item] as const) : Object.entries(value);
  return entries.some(([name, item]) => holdsKey(name, seen) || holdsKey(item, seen));
}

/** {@link redactKeys} applied to every string inside `value`, names of maps included; other values are kept. */
export function redactValue<T>(value: T): T {
  if (typeof value === "string") return redactKeys(value) as T;
  if (Array.isArray(value)) return value.map(redactValue) as T;
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [redactKeys(name), redactValue(item)])) as T;
}
