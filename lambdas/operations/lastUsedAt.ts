import type { Backend } from "../Backend";
import { lookupHashes, type KeyRecord } from "../store/KeyStore";

/** The latest use of any value of the key that still has a lookup item (current, in grace, or pending). */
export async function lastUsedAt(backend: Backend, record: KeyRecord): Promise<string | undefined> {
  const uses = (await Promise.all(lookupHashes(record).map((hash) => backend.store.getLookup(hash)))).map((item) => item?.lastUsedAt).filter(Boolean) as string[];
  return uses.sort().pop();
}
