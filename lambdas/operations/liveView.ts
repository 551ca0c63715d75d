import { creditsLeft, type KeyView } from "../../contract";
import type { Backend } from "../Backend";
import type { KeyRecord } from "../store/KeyStore";
import { lastUsedAt } from "./lastUsedAt";
import { toKeyView } from "./toKeyView";

/**
 * A live record's KeyView with what verifications changed: its last use (read, unless the caller just read it), and
 * for a key with credits the live balance.
 */
export async function liveView(backend: Backend, record: KeyRecord, known?: { lastUsedAt: string | undefined }): Promise<KeyView> {
  const [used, usage] = await Promise.all([
    known ? known.lastUsedAt : lastUsedAt(backend, record),
    record.credits ? backend.store.getUsage(record.keyId) : undefined,
  ]);
  const balance = record.credits ? creditsLeft(record.credits, record.creditsSetAt, usage, backend.now()) : undefined;
  return toKeyView(record, used, balance);
}
