import { ValidationError, type KeyView, type ReadKeyRequest } from "../../contract";
import type { Backend } from "../Backend";
import { toKeyView } from "./toKeyView";

/** The key's current metadata, or null when it does not exist or was deleted. */
export async function readKey(backend: Backend, request: ReadKeyRequest): Promise<KeyView | null> {
  if (typeof request?.keyId !== "string" || !request.keyId) throw new ValidationError("keyId", "is required");
  const record = await backend.store.get(request.keyId);
  return record && record.status !== "deleted" ? toKeyView(record) : null;
}
