import { KEY_ID_PATTERN, ValidationError, type KeyView, type ReadKeyRequest } from "../../contract";
import type { Backend } from "../Backend";
import { lastUsedAt } from "./lastUsedAt";
import { toKeyView } from "./toKeyView";

/** The key's current metadata, or null when it does not exist or was deleted. */
export async function readKey(backend: Backend, request: ReadKeyRequest): Promise<KeyView | null> {
  if (typeof request?.keyId !== "string" || !KEY_ID_PATTERN.test(request.keyId)) throw new ValidationError("keyId", 'must be a keyId such as "key_0123456789abcdef"');
  const record = await backend.store.get(request.keyId);
  if (!record || record.status === "deleted") return null;
  return toKeyView(record, await lastUsedAt(backend, record));
}
