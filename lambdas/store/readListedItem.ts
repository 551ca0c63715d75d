import { CREDIT_ATTRIBUTE_PREFIX, ItemType, RATE_ATTRIBUTE_PREFIX, isCredits, isRateLimit } from "../../contract";
import { LISTED_LOOKUP_FIELDS, LISTED_RECORD_FIELDS, type ListedLookup, type ListedRecord, type ListedUsage } from "./KeyStore";

function present<T>(item: Record<string, unknown>, fields: readonly string[]): T {
  return Object.fromEntries(fields.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])) as T;
}

/** The numeric counters of a usage item: its rate-limit windows and credit epochs, nothing else it may hold. */
function counters(item: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(item).filter(([name, value]) => (name.startsWith(RATE_ATTRIBUTE_PREFIX) || name.startsWith(CREDIT_ATTRIBUTE_PREFIX)) && typeof value === "number"),
  ) as Record<string, number>;
}

/**
 * An item of a whole-table read as the record, lookup item or usage item it is, with the listed fields it has (a
 * usage item's counters); undefined for an item of no known type, or one without the attribute that names it (a
 * record's or usage item's keyId, a lookup item's hash).
 */
export function readListedItem(item: Record<string, unknown>): { record: ListedRecord } | { lookup: ListedLookup } | { usage: ListedUsage } | undefined {
  if (item.type === ItemType.usage && typeof item.keyId === "string") return { usage: { keyId: item.keyId, counters: counters(item) } };
  if (item.type === ItemType.record && typeof item.keyId === "string") {
    const { rateLimit: storedLimit, credits: storedCredits, ...plain } = present<ListedRecord>(item, LISTED_RECORD_FIELDS);
    // A shape of another kind is left out, not guessed at (the store's readers never see a half-valid limit).
    const [rateLimit, credits] = [isRateLimit(storedLimit) ? storedLimit : undefined, isCredits(storedCredits) ? storedCredits : undefined];
    return { record: { ...plain, ...(rateLimit ? { rateLimit } : {}), ...(credits ? { credits } : {}) } };
  }
  if (item.type === ItemType.lookup && typeof item.hash === "string") return { lookup: present<ListedLookup>(item, LISTED_LOOKUP_FIELDS) };
  return undefined;
}
