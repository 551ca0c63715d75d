import type { Backend } from "../Backend";
import type { KeyRecord } from "../store/KeyStore";

/** The latest use of any value of the key that still has a lookup item (the current one, and the one in grace). */
export async function lastUsedAt(backend: Backend, record: KeyRecord): Promise<string | undefined> {
  const hashes = [record.hash, record.previousHash].filter((hash): hash is string => Boolean(hash));
  const uses = (await Promise.all(hashes.map((hash) => backend.store.getLookup(hash)))).map((item) => item?.lastUsedAt).filter(Boolean) as string[];
  return uses.sort().pop();
}
