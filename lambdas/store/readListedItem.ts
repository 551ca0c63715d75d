import { ItemType, isCredits, isRateLimit } from "../../contract";
import { LISTED_LOOKUP_FIELDS, LISTED_RECORD_FIELDS, type ListedLookup, type ListedRecord } from "./KeyStore";

function present<T>(item: Record<string, unknown>, fields: readonly string[]): T {
  return Object.fromEntries(fields.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])) as T;
}

/**
 * An item of a whole-table read as the record or lookup item it is, with the listed fields it has; `{ usage: true }`
 * for a key's usage counters, which the listing does not return; undefined for an item of no known type, or one
 * without the attribute that names it (a record's keyId, a lookup item's hash).
 */
export function readListedItem(item: Record<string, unknown>): { record: ListedRecord } | { lookup: ListedLookup } | { usage: true } | undefined {
  if (item.type === ItemType.usage) return { usage: true };
  if (item.type === ItemType.record && typeof item.keyId === "string") {
    const { rateLimit: storedLimit, credits: storedCredits, ...plain } = present<ListedRecord>(item, LISTED_RECORD_FIELDS);
    // A shape of another kind is left out, not guessed at (the store's readers never see a half-valid limit).
    const [rateLimit, credits] = [isRateLimit(storedLimit) ? storedLimit : undefined, isCredits(storedCredits) ? storedCredits : undefined];
    return { record: { ...plain, ...(rateLimit ? { rateLimit } : {}), ...(credits ? { credits } : {}) } };
  }
  if (item.type === ItemType.lookup && typeof item.hash === "string") return { lookup: present<ListedLookup>(item, LISTED_LOOKUP_FIELDS) };
  return undefined;
}
