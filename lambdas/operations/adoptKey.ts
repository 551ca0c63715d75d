import {
  AuditAction,
  IN_PLACE_FIELDS,
  KEY_ID_PATTERN,
  KeyNotFoundError,
  ValidationError,
  futureExpiryRule,
  sameValue,
  type ChangeContext,
  type KeyFields,
  type KeyView,
} from "../../contract";
import { applyRotationSchedule, assertCanSchedule } from "./applyRotationSchedule";
import type { Backend } from "../Backend";
import { log } from "../log";
import { auditEvent } from "./auditEvent";
import { lastUsedAt } from "./lastUsedAt";
import { toKeyView } from "./toKeyView";

/**
 * Takes over an existing key for a declaration (`pulumi import` cannot, since the engine sends dynamic providers only
 * an id): the value is kept, declared fields are applied in place, and an adopt event is audited. A rotation trigger is
 * stored without rotating.
 */
export async function adoptKey(backend: Backend, keyId: string, fields: KeyFields, context: ChangeContext | undefined): Promise<KeyView> {
  // The value is not repeated in the error: what gets pasted here by mistake is sometimes the key itself.
  if (typeof keyId !== "string" || !KEY_ID_PATTERN.test(keyId)) throw new ValidationError("adoptKeyId", 'must be a keyId such as "key_0123456789abcdef"');
  const record = await backend.store.get(keyId);
  if (!record || record.status === "deleted") throw new KeyNotFoundError(keyId);
  if (record.prefix !== fields.prefix) throw new ValidationError("prefix", `must match the adopted key's prefix "${record.prefix}", got "${fields.prefix}"`);
  if (fields.expiresAt !== record.expiresAt) {
    const expiry = futureExpiryRule(fields.expiresAt, backend.now());
    if ("reason" in expiry) throw new ValidationError("expiresAt", expiry.reason);
  }
  assertCanSchedule(backend, fields.rotation.automaticallyAfterDays);
  const changes = Object.fromEntries(IN_PLACE_FIELDS.filter((field) => !sameValue(record[field], fields[field])).map((field) => [field, fields[field] ?? null]));
  const now = backend.now();
  const adopted = await backend.store.update(keyId, changes, {
    now: now.toISOString(),
    expectedVersion: record.version,
    audit: auditEvent(AuditAction.ADOPT, keyId, record.maskedKey, Object.keys(changes), context, now),
  });
  if (fields.rotation.automaticallyAfterDays !== undefined || record.rotation?.automaticallyAfterDays !== undefined) await applyRotationSchedule(backend, adopted);
  log("info", "key adopted", { operation: "adopt", keyId, maskedKey: adopted.maskedKey, fields: Object.keys(changes).join(",") });
  return toKeyView(adopted, await lastUsedAt(backend, adopted));
}
