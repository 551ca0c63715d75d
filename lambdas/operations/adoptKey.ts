import { AuditAction, IN_PLACE_FIELDS, KeyNotFoundError, ValidationError, type ChangeContext, type KeyFields, type KeyView } from "../../contract";
import type { Backend } from "../Backend";
import { log } from "../log";
import { auditEvent } from "./auditEvent";
import { lastUsedAt } from "./lastUsedAt";
import { toKeyView } from "./toKeyView";

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Takes over an existing key for a declaration (`pulumi import` cannot, since the engine sends dynamic providers only
 * an id): the value is kept, declared fields are applied in place, and an adopt event is audited. A rotation trigger is
 * stored without rotating.
 */
export async function adoptKey(backend: Backend, keyId: string, fields: KeyFields, context: ChangeContext | undefined): Promise<KeyView> {
  if (typeof keyId !== "string" || !keyId) throw new ValidationError("adoptKeyId", "must be a keyId");
  const record = await backend.store.get(keyId);
  if (!record || record.status === "deleted") throw new KeyNotFoundError(keyId);
  if (record.prefix !== fields.prefix) throw new ValidationError("prefix", `must match the adopted key's prefix "${record.prefix}", got "${fields.prefix}"`);
  const changes = Object.fromEntries(IN_PLACE_FIELDS.filter((field) => !same(record[field], fields[field])).map((field) => [field, fields[field] ?? null]));
  const now = backend.now();
  const adopted = await backend.store.update(keyId, changes, {
    now: now.toISOString(),
    expectedVersion: record.version,
    audit: auditEvent(AuditAction.ADOPT, keyId, record.maskedKey, Object.keys(changes), context, now),
  });
  log("info", "key adopted", { operation: "adopt", keyId, maskedKey: adopted.maskedKey, fields: Object.keys(changes).join(",") });
  return toKeyView(adopted, await lastUsedAt(backend, adopted));
}
