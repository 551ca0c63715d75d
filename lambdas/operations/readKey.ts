import { KEY_ID_PATTERN, ValidationError, type KeyValueMatch, type KeyView, type LookupKeyRequest, type ReadKeyRequest } from "../../contract";
import type { Backend } from "../Backend";
import { liveView } from "./liveView";
import { lookupKeyValue } from "./lookupKeyValue";

/** The key's current metadata, or null when it does not exist or was deleted. */
export async function readKey(backend: Backend, request: ReadKeyRequest): Promise<KeyView | null>;
/** Which key a value belongs to, by its hash ({@link lookupKeyValue}). */
export async function readKey(backend: Backend, request: LookupKeyRequest): Promise<KeyValueMatch | null>;
export async function readKey(backend: Backend, request: ReadKeyRequest | LookupKeyRequest): Promise<KeyView | KeyValueMatch | null>;
export async function readKey(backend: Backend, request: ReadKeyRequest | LookupKeyRequest): Promise<KeyView | KeyValueMatch | null> {
  // A lookup by hash goes through the read function: it reads what verify reads and nothing else, with read's role.
  if (request && typeof request === "object" && "hash" in request && !("keyId" in request)) return lookupKeyValue(backend, request);
  const { keyId } = (request ?? {}) as ReadKeyRequest;
  if (typeof keyId !== "string" || !KEY_ID_PATTERN.test(keyId)) throw new ValidationError("keyId", 'must be a keyId such as "key_0123456789abcdef"');
  const record = await backend.store.get(keyId);
  if (!record || record.status === "deleted") return null;
  return liveView(backend, record);
}
