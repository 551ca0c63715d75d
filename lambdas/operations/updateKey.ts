import { AuditAction, ConflictError, KEY_ID_PATTERN, KeyNotFoundError, ValidationError, changeReasonRule, sameValue, type KeyView, type UpdateKeyRequest } from "../../contract";
import type { KeyRecord } from "../store/KeyStore";
import type { Backend } from "../Backend";
import { log } from "../log";
import { applyRotationSchedule, assertCanSchedule } from "./applyRotationSchedule";
import { auditEvent } from "./auditEvent";
import { lastUsedAt } from "./lastUsedAt";
import { rotateKey } from "./rotateKey";
import { alignCurrentVersion } from "./rotationSteps";
import { toKeyView } from "./toKeyView";
import { validateChanges } from "./validateChanges";

/**
 * Changes fields in place. A new `rotation.trigger` rotates the key first (the trigger is stored with the switch, so a
 * retried update does not rotate twice); the other fields follow in one conditional write.
 */
export async function updateKey(backend: Backend, request: UpdateKeyRequest): Promise<KeyView> {
  if (typeof request?.keyId !== "string" || !KEY_ID_PATTERN.test(request.keyId)) throw new ValidationError("keyId", 'must be a keyId such as "key_0123456789abcdef"');
  if (request.expectedVersion !== undefined && !Number.isInteger(request.expectedVersion)) throw new ValidationError("expectedVersion", "must be an integer");
  const reason = changeReasonRule(request.context?.reason);
  if ("reason" in reason) throw new ValidationError("context.reason", reason.reason);
  const { rotation, ...requested } = validateChanges((request.changes ?? {}) as Record<string, unknown>, backend.now());

  let record = await backend.store.get(request.keyId);
  if (!record || record.status === "deleted") throw new KeyNotFoundError(request.keyId);
  // Only what differs is written: a retry of an update whose answer was lost finds its change in place, which is
  // success, not a conflict, and writes nothing.
  const current = record;
  const fields = Object.fromEntries(Object.entries(requested).filter(([field, value]) => !sameValue(current[field as keyof KeyRecord], value))) as typeof requested;
  const applied = Object.keys(fields).length === 0 && (!rotation || sameValue(record.rotation, rotation));
  if (request.expectedVersion !== undefined && record.version !== request.expectedVersion && !applied) {
    throw new ConflictError(`key ${record.keyId} changed while updating it (expected version ${request.expectedVersion}, found ${record.version}); run "pulumi refresh" and retry`);
  }
  const before = record;
  if (rotation?.automaticallyAfterDays !== before.rotation?.automaticallyAfterDays) assertCanSchedule(backend, rotation?.automaticallyAfterDays);
  // A rotation that stopped after its switch, or lost a race with another, left AWSCURRENT behind: mend it first.
  await alignCurrentVersion(backend, record.keyId);

  if (rotation && rotation.trigger !== undefined && rotation.trigger !== record.rotation?.trigger) {
    record = await rotateKey(backend, record, rotation, request.context);
  } else if (rotation && !sameValue(record.rotation, rotation)) {
    (fields as Record<string, unknown>).rotation = rotation;
  }
  const changed = Object.keys(fields);
  if (changed.length) {
    const now = backend.now();
    record = await backend.store.update(record.keyId, fields, {
      now: now.toISOString(),
      expectedVersion: record.version,
      audit: auditEvent(AuditAction.UPDATE, record.keyId, record.maskedKey, changed, request.context, now),
    });
  }
  if (record.rotation?.automaticallyAfterDays !== undefined || before.rotation?.automaticallyAfterDays !== undefined) await applyRotationSchedule(backend, record);
  log("info", "key updated", { operation: "update", keyId: record.keyId, maskedKey: record.maskedKey, fields: changed.join(",") });
  return toKeyView(record, await lastUsedAt(backend, record));
}
