import type { Backend } from "../Backend";
import { lookupHashes, type KeyRecord, type LookupItem } from "../store/KeyStore";

/** The lookup items of the values `record` names (current, in grace, pending), by hash; undefined where one is missing. */
export async function readLookups(backend: Backend, record: KeyRecord): Promise<Map<string, LookupItem | undefined>> {
  const hashes = lookupHashes(record);
  const items = await Promise.all(hashes.map((hash) => backend.store.getLookup(hash)));
  return new Map(hashes.map((hash, index) => [hash, items[index]]));
}

/** The latest use recorded on any of `items`. */
export function latestUse(items: Iterable<LookupItem | undefined>): string | undefined {
  return ([...items].map((item) => item?.lastUsedAt).filter(Boolean) as string[]).sort().pop();
}

/** The latest use of any value of the key that still has a lookup item (current, in grace, or pending). */
export async function lastUsedAt(backend: Backend, record: KeyRecord): Promise<string | undefined> {
  return latestUse((await readLookups(backend, record)).values());
}
