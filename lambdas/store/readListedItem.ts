import { ItemType, keyFieldRules } from "../../contract";
import { LISTED_LOOKUP_FIELDS, LISTED_RECORD_FIELDS, type ListedLookup, type ListedRecord } from "./KeyStore";

/** A stored value the declaration rule accepts, or nothing: another shape is left out, not guessed at. */
function declared<T>(outcome: { value: T } | { reason: string }): T | undefined {
  return "value" in outcome ? outcome.value : undefined;
}

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
    const [rateLimit, credits] = [declared(keyFieldRules.rateLimit(storedLimit)), declared(keyFieldRules.credits(storedCredits))];
    return { record: { ...plain, ...(rateLimit ? { rateLimit } : {}), ...(credits ? { credits } : {}) } };
  }
  if (item.type === ItemType.lookup && typeof item.hash === "string") return { lookup: present<ListedLookup>(item, LISTED_LOOKUP_FIELDS) };
  return undefined;
}
