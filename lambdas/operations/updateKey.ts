import { AuditAction, ConflictError, KEY_HASH_PATTERN, KEY_ID_PATTERN, KeyNotFoundError, ValidationError, changeReasonRule, sameValue, validityWindowRule, type KeyView, type UpdateKeyRequest } from "../../contract";
import type { KeyRecord } from "../store/KeyStore";
import type { Backend } from "../Backend";
import { log } from "../log";
import { applyRotationSchedule, assertCanSchedule } from "./applyRotationSchedule";
import { auditEvent } from "./auditEvent";
import { latestUse, readLookups } from "./lastUsedAt";
import { liveView } from "./liveView";
import { rotateKey } from "./rotateKey";
import { revokeValue } from "./revokeValue";
import { alignCurrentVersion } from "./rotationSteps";
import { validateChanges } from "./validateChanges";

/**
 * Changes fields in place. A new `rotation.trigger` rotates the key first (the trigger is stored with the switch, so a
 * retried update does not rotate twice); the other fields follow in one conditional write. A `revoke` kills one value
 * of the key first ({@link revokeValue}), puts the declared rotation settings back and records a `revoke` event.
 */
export async function updateKey(backend: Backend, request: UpdateKeyRequest): Promise<KeyView> {
  if (typeof request?.keyId !== "string" || !KEY_ID_PATTERN.test(request.keyId)) throw new ValidationError("keyId", 'must be a keyId such as "key_0123456789abcdef"');
  if (request.expectedVersion !== undefined && !Number.isInteger(request.expectedVersion)) throw new ValidationError("expectedVersion", "must be an integer");
  const reason = changeReasonRule(request.context?.reason);
  if ("reason" in reason) throw new ValidationError("context.reason", reason.reason);
  const { rotation, ...requested } = validateChanges((request.changes ?? {}) as Record<string, unknown>, backend.now());
  const revoke = request.revoke;
  if (revoke !== undefined) {
    if (typeof revoke?.hash !== "string" || !KEY_HASH_PATTERN.test(revoke.hash)) throw new ValidationError("revoke.hash", "must be the SHA-256 of the key value: 64 lower-case hex digits");
    if (!("value" in reason) || !reason.value) throw new ValidationError("context.reason", "is required for a revoke: say why, for the audit trail");
    // A revoke keeps the declared settings; changing them in the same breath would make its rotation ambiguous.
    if (rotation !== undefined) throw new ValidationError("rotation", "cannot change in the same request as a revoke");
  }

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
  const window = validityWindowRule(
    requested.notBefore !== undefined ? requested.notBefore : record.notBefore,
    requested.expiresAt !== undefined ? requested.expiresAt : record.expiresAt,
  );
  if (window) throw new ValidationError(window.property, window.reason);
  const before = record;
  if (rotation?.automaticallyAfterDays !== before.rotation?.automaticallyAfterDays) assertCanSchedule(backend, rotation?.automaticallyAfterDays);
  // A rotation that stopped after its switch, or lost a race with another, left AWSCURRENT behind: mend it first.
  const holder = await alignCurrentVersion(backend, record.keyId, { record });
  // Read once, after the record: which of its lookup items exist (a write changes those) and their last use (the
  // answer; a write of fields does not change it).
  const items = await readLookups(backend, record);
  const present = [...items].filter(([, item]) => item !== undefined).map(([hash]) => hash);
  let lastUse = latestUse(items.values());

  let revoked: Awaited<ReturnType<typeof revokeValue>> | undefined;
  if (revoke) {
    revoked = await revokeValue(backend, record, revoke.hash, request.context);
    record = revoked.record;
    // The rotation stored the settings it ran with; the declaration's stay, so the next deployment sees no change.
    if (!sameValue(record.rotation ?? {}, before.rotation ?? {})) (fields as Record<string, unknown>).rotation = before.rotation ?? {};
  } else if (rotation && rotation.trigger !== undefined && rotation.trigger !== record.rotation?.trigger) {
    const replaced = record.hash ? items.get(record.hash) : undefined;
    record = await rotateKey(backend, record, rotation, request.context, { holder, replacedPresent: replaced !== undefined });
    // The new value was made just now and tested without recording a use; the one it replaced keeps its last use.
    lastUse = latestUse([replaced]);
  } else if (rotation && !sameValue(record.rotation, rotation)) {
    (fields as Record<string, unknown>).rotation = rotation;
  }
  const changed = Object.keys(fields);
  // A revoke is recorded even when the value needed no rotation and no field changed: the audit trail is the incident's.
  if (changed.length || revoked) {
    const now = backend.now();
    const audit = revoked
      ? auditEvent(AuditAction.REVOKE, record.keyId, revoked.maskedKey ?? record.maskedKey, [...(revoked.rotated ? ["key"] : []), ...changed.filter((field) => field !== "rotation")], request.context, now)
      : auditEvent(AuditAction.UPDATE, record.keyId, record.maskedKey, changed, request.context, now);
    // Unless a rotation wrote the record since, the store writes on the record and lookup items read above.
    const read = record === before ? { record, present } : undefined;
    record = await backend.store.update(record.keyId, fields, { now: now.toISOString(), expectedVersion: record.version, audit, read });
  }
  if (record.rotation?.automaticallyAfterDays !== undefined || before.rotation?.automaticallyAfterDays !== undefined) await applyRotationSchedule(backend, record);
  log("info", revoked ? "key value revoked" : "key updated", { operation: "update", keyId: record.keyId, maskedKey: record.maskedKey, fields: changed.join(","), ...(revoked ? { rotated: revoked.rotated } : {}) });
  // A revoke's rotation may have dropped any of the values read above: ask again.
  return liveView(backend, record, revoked ? undefined : { lastUsedAt: lastUse });
}
