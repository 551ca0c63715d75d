import { IN_PLACE_FIELDS, ValidationError, keyFieldRules, unknownProperties, type KeyView, type UpdateKeyRequest } from "../../contract";
import type { Backend } from "../Backend";
import { log } from "../log";
import { requireValid } from "./requireValid";
import { toKeyView } from "./toKeyView";

/** Changes name, description or status in place; the key value and its secret stay as they are. */
export async function updateKey(backend: Backend, request: UpdateKeyRequest): Promise<KeyView> {
  if (typeof request?.keyId !== "string" || !request.keyId) throw new ValidationError("keyId", "is required");
  if (request.expectedVersion !== undefined && !Number.isInteger(request.expectedVersion)) {
    throw new ValidationError("expectedVersion", "must be an integer");
  }
  const changes = (request.changes ?? {}) as Record<string, unknown>;
  requireValid(unknownProperties(changes, IN_PLACE_FIELDS));
  const normalized: Record<string, unknown> = {};
  for (const field of IN_PLACE_FIELDS) {
    if (changes[field] === undefined) continue;
    const outcome = keyFieldRules[field](changes[field]);
    if ("reason" in outcome) throw new ValidationError(field, outcome.reason);
    normalized[field] = outcome.value;
  }
  const record = await backend.store.update(request.keyId, normalized, {
    now: backend.now().toISOString(),
    expectedVersion: request.expectedVersion,
  });
  log("info", "key updated", { operation: "update", keyId: record.keyId, maskedKey: record.maskedKey, fields: Object.keys(normalized).join(",") });
  return toKeyView(record);
}
