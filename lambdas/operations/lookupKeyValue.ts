import { KEY_HASH_PATTERN, KeyValueRole, ValidationError, type KeyValueMatch, type LookupKeyRequest } from "../../contract";
import type { Backend } from "../Backend";
import type { KeyRecord } from "../store/KeyStore";
import { judgeLookup } from "./judgeLookup";
import { liveView } from "./liveView";

function roleOf(record: KeyRecord | undefined, hash: string): KeyValueRole {
  if (!record || record.status === "deleted") return KeyValueRole.UNNAMED;
  if (record.hash === hash) return KeyValueRole.CURRENT;
  if (record.previousHash === hash) return KeyValueRole.PREVIOUS;
  if (record.pendingHash === hash) return KeyValueRole.PENDING;
  return KeyValueRole.UNNAMED;
}

/**
 * Which key a value belongs to, by the value's hash, and what verify answers for it now; null when no lookup item has
 * that hash (never issued, deleted, or two rotations old). Reads what verify reads, and records no use.
 */
export async function lookupKeyValue(backend: Backend, request: LookupKeyRequest): Promise<KeyValueMatch | null> {
  if (typeof request?.hash !== "string" || !KEY_HASH_PATTERN.test(request.hash)) throw new ValidationError("hash", "must be the SHA-256 of a key: 64 lower-case hex digits");
  const item = await backend.store.getLookup(request.hash);
  if (!item) return null;
  const record = await backend.store.get(item.keyId);
  const match: KeyValueMatch = { keyId: item.keyId, code: judgeLookup(item, backend.now()).code, role: roleOf(record, request.hash) };
  if (record && record.status !== "deleted") match.key = await liveView(backend, record);
  return match;
}
