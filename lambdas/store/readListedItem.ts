import { ItemType } from "../../contract";
import { LISTED_LOOKUP_FIELDS, LISTED_RECORD_FIELDS, type KeyRecord, type ListedLookup, type ListedRecord } from "./KeyStore";

const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** A rate limit of {@link KeyRecord}'s shape, or nothing: another shape is left out, not guessed at. */
function rateLimitOf(value: unknown): KeyRecord["rateLimit"] {
  return isObject(value) && isNumber(value.limit) && typeof value.window === "string" ? { limit: value.limit, window: value.window } : undefined;
}

/** Credits of {@link KeyRecord}'s shape, or nothing; a refill of another shape leaves out the refill only. */
function creditsOf(value: unknown): KeyRecord["credits"] {
  if (!isObject(value) || !isNumber(value.remaining)) return undefined;
  const refill = value.refill;
  return { remaining: value.remaining, ...(isObject(refill) && isNumber(refill.amount) && typeof refill.interval === "string" ? { refill: { amount: refill.amount, interval: refill.interval } } : {}) };
}

function present<T>(item: Record<string, unknown>, fields: readonly string[]): T {
  return Object.fromEntries(fields.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])) as T;
}

/**
 * An item of a whole-table read as the record or lookup item it is, with the listed fields it has; undefined for an
 * item of neither type, or one without the attribute that names it (a record's keyId, a lookup item's hash).
 */
export function readListedItem(item: Record<string, unknown>): { record: ListedRecord } | { lookup: ListedLookup } | undefined {
  if (item.type === ItemType.record && typeof item.keyId === "string") {
    const { rateLimit: storedLimit, credits: storedCredits, ...plain } = present<ListedRecord>(item, LISTED_RECORD_FIELDS);
    const [rateLimit, credits] = [rateLimitOf(storedLimit), creditsOf(storedCredits)];
    return { record: { ...plain, ...(rateLimit ? { rateLimit } : {}), ...(credits ? { credits } : {}) } };
  }
  if (item.type === ItemType.lookup && typeof item.hash === "string") return { lookup: present<ListedLookup>(item, LISTED_LOOKUP_FIELDS) };
  return undefined;
}
