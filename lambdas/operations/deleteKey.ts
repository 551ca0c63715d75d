import { AuditAction, KEY_ID_PATTERN, ValidationError, recoveryWindowRule, type DeleteKeyRequest, type DeleteResult } from "../../contract";
import { auditEvent } from "./auditEvent";
import type { Backend } from "../Backend";
import { failpoint } from "../failpoint";
import { log } from "../log";
import { retryOnStale } from "../store/retryOnStale";

/**
 * Deletes a key: first every lookup item goes and the record becomes a tombstone (the key stops verifying at once, and
 * nothing can add a value to it after), then the secret is scheduled for deletion. Repeating a delete finishes
 * whatever an earlier attempt left undone.
 */
export async function deleteKey(backend: Backend, request: DeleteKeyRequest): Promise<DeleteResult> {
  if (typeof request?.keyId !== "string" || !KEY_ID_PATTERN.test(request.keyId)) throw new ValidationError("keyId", 'must be a keyId such as "key_0123456789abcdef"');
  const window = recoveryWindowRule(request.recoveryWindowInDays);
  if ("reason" in window) throw new ValidationError("recoveryWindowInDays", window.reason);

  const now = backend.now();
  const before = await backend.store.get(request.keyId);
  if (!before) {
    // No record: a create may have stopped after making the secret. Its name is known; it goes if its tags say it is ours.
    const name = `${backend.config.secretPrefix}${request.keyId}`;
    const orphan = await backend.secrets.describe(name).catch((error: Error) => {
      if (error.name === "ResourceNotFoundException") return undefined;
      throw error;
    });
    if (orphan?.tags.keyId === request.keyId && orphan.tags["managed-by"] === "apikeys") await backend.secrets.scheduleDeletion(name, window.value);
    return { keyId: request.keyId, deletedAt: now.toISOString(), deleted: false };
  }
  // A rotation that commits between the read and the tombstone moves the revision: read again and delete what it added.
  let latest = before;
  const record = await retryOnStale(async () => {
    latest = (await backend.store.get(request.keyId)) ?? before;
    const audit = latest.status === "deleted" ? undefined : auditEvent(AuditAction.DELETE, latest.keyId, latest.maskedKey, ["status"], request.context, now);
    return backend.store.tombstone(latest, now.toISOString(), audit);
  });
  await failpoint("delete.afterTombstone");
  await backend.secrets.scheduleDeletion(record.secretArn, window.value);
  log("info", "key deleted", { operation: "delete", keyId: record.keyId, maskedKey: record.maskedKey });
  return { keyId: record.keyId, deletedAt: record.deletedAt!, deleted: latest.status !== "deleted" };
}
