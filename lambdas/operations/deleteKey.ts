import { AuditAction, KEY_ID_PATTERN, ValidationError, recoveryWindowRule, type DeleteKeyRequest, type DeleteResult } from "../../contract";
import { auditEvent } from "./auditEvent";
import type { Backend } from "../Backend";
import { failpoint } from "../failpoint";
import { log } from "../log";
import { retryOnStale } from "../store/retryOnStale";

/**
 * Deletes a key: first every lookup item goes and the record becomes a tombstone (the key stops verifying at once, and
 * nothing can add a value to it after), then the secret is scheduled for deletion. A key with no record yet gets a
 * bare tombstone, so a create still under way cannot make it afterwards. Repeating a delete finishes whatever an
 * earlier attempt left undone.
 */
export async function deleteKey(backend: Backend, request: DeleteKeyRequest): Promise<DeleteResult> {
  if (typeof request?.keyId !== "string" || !KEY_ID_PATTERN.test(request.keyId)) throw new ValidationError("keyId", 'must be a keyId such as "key_0123456789abcdef"');
  const window = recoveryWindowRule(request.recoveryWindowInDays);
  if ("reason" in window) throw new ValidationError("recoveryWindowInDays", window.reason);

  const now = backend.now();
  // A rotation that commits between the read and the tombstone moves the revision: read again and delete what it added.
  const { before, record } = await retryOnStale(async () => {
    const before = await backend.store.get(request.keyId);
    const audit = before && before.status !== "deleted" ? auditEvent(AuditAction.DELETE, before.keyId, before.maskedKey, ["status"], request.context, now) : undefined;
    return { before, record: await backend.store.tombstone(request.keyId, before, now.toISOString(), audit) };
  });
  if (APIKEYS_FAILPOINTS) await failpoint("delete.afterTombstone");
  if (record.secretArn) {
    await backend.secrets.scheduleDeletion(record.secretArn, window.value);
  } else {
    // No record was ever written: a create may have stopped after making the secret. Its name is known; it goes if
    // its tags say it is ours.
    const name = `${backend.config.secretPrefix}${request.keyId}`;
    const orphan = await backend.secrets.describe(name).catch((error: Error) => {
      if (error.name === "ResourceNotFoundException") return undefined;
      throw error;
    });
    if (orphan?.tags.keyId === request.keyId && orphan.tags["managed-by"] === "apikeys") await backend.secrets.scheduleDeletion(name, window.value);
  }
  log("info", "key deleted", { operation: "delete", keyId: request.keyId, maskedKey: record.maskedKey });
  return { keyId: request.keyId, deletedAt: record.deletedAt!, deleted: before !== undefined && before.status !== "deleted" };
}
