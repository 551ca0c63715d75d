import { randomUUID } from "node:crypto";
import {
  AuditAction,
  ConflictError,
  KEY_FIELDS,
  REQUEST_TOKEN_PATTERN,
  ValidationError,
  createKey,
  futureExpiryRule,
  hashKey,
  keyIdFor,
  maskKey,
  parseKey,
  unknownProperties,
  validateKeyFields,
  type CreateKeyRequest,
  type KeyFields,
  type KeyView,
} from "../../contract";
import type { Backend } from "../Backend";
import { failpoint } from "../failpoint";
import { log } from "../log";
import { SecretStage } from "../secrets/SecretVault";
import { verifyFields, type KeyRecord, type LookupItem } from "../store/KeyStore";
import { adoptKey } from "./adoptKey";
import { applyRotationSchedule, assertCanSchedule } from "./applyRotationSchedule";
import { auditEvent } from "./auditEvent";
import { requireValid } from "./requireValid";
import { toKeyView } from "./toKeyView";

const CREATE_PROPERTIES = [...KEY_FIELDS, "requestToken", "adoptKeyId", "context"] as const;

/** The secret holding this create's key: a new one, or the one an earlier attempt with the same token stored. */
interface KeySecret {
  arn: string;
  versionId: string;
  key: string;
}

/**
 * Creates the secret `<prefix><keyId>`. If it exists already and carries our request token, an earlier attempt made it:
 * its value is the key (the secret is the source of truth, so retried and concurrent attempts agree on one value).
 */
async function secretFor(backend: Backend, keyId: string, token: string, fields: KeyFields): Promise<KeySecret> {
  const name = `${backend.config.secretPrefix}${keyId}`;
  const generated = createKey(fields.prefix);
  try {
    const created = await backend.secrets.create({
      name,
      value: generated.key,
      description: `API key ${keyId} (${fields.name})`,
      kmsKeyId: backend.config.kmsKeyId,
      tags: { keyId, requestToken: token, "managed-by": "apikeys" },
    });
    return { ...created, key: generated.key };
  } catch (error) {
    if ((error as { name?: string }).name !== "ResourceExistsException") throw error;
  }
  const existing = await backend.secrets.describe(name);
  if (existing.tags.requestToken !== token || existing.deletedDate) throw new ConflictError(`secret ${name} exists and belongs to another request`);
  const versionId = Object.keys(existing.versions).find((id) => existing.versions[id].includes(SecretStage.CURRENT));
  const key = versionId ? await backend.secrets.getValue(name, { versionId }) : undefined;
  if (!versionId || !key || parseKey(key)?.prefix !== fields.prefix) throw new ConflictError(`secret ${name} does not hold a ${fields.prefix} key`);
  return { arn: existing.arn, versionId, key };
}

/**
 * Creates a key: the secret first, then the record, its lookup item and the audit event in one transaction. A failure
 * after the secret removes what was made, at once; a retry with the same request token returns the same key.
 */
export async function issueKey(backend: Backend, request: CreateKeyRequest): Promise<KeyView> {
  const input = (request ?? {}) as unknown as Record<string, unknown>;
  requireValid(unknownProperties(input, CREATE_PROPERTIES));
  const { value: fields, failures } = validateKeyFields(input);
  requireValid(failures);
  if (request.adoptKeyId !== undefined) return adoptKey(backend, request.adoptKeyId, fields!, request.context);
  const token = request.requestToken ?? randomUUID();
  if (typeof token !== "string" || !REQUEST_TOKEN_PATTERN.test(token)) throw new ValidationError("requestToken", `must match ${REQUEST_TOKEN_PATTERN.source}`);

  const keyId = keyIdFor(token);
  const earlier = await backend.store.get(keyId);
  if (earlier) {
    if (isBareTombstone(earlier)) {
      // Deleted before any attempt of this create wrote the record: a secret an interrupted attempt made goes too.
      await discardOwnSecret(backend, keyId, token);
      throw deletedWhileCreating(keyId);
    }
    if (earlier.requestToken !== token) throw new ConflictError(`key ${keyId} exists and was not made by this request`);
    if (earlier.status === "deleted") throw new ConflictError(`key ${keyId} was deleted after this request created it; create it again with a new request`);
    // A retry of a create that got through: answer as the first time did.
    if (earlier.rotation?.automaticallyAfterDays !== undefined) await applyRotationSchedule(backend, earlier);
    return toKeyView(earlier);
  }
  const expiry = futureExpiryRule(fields!.expiresAt, backend.now());
  if ("reason" in expiry) throw new ValidationError("expiresAt", expiry.reason);
  assertCanSchedule(backend, fields!.rotation.automaticallyAfterDays);

  const secret = await secretFor(backend, keyId, token, fields!);
  if (APIKEYS_FAILPOINTS) await failpoint("create.afterSecret");
  const now = backend.now();
  const hash = hashKey(secret.key);
  const record: KeyRecord = {
    keyId,
    ...fields!,
    hash,
    maskedKey: maskKey(secret.key),
    secretArn: secret.arn,
    secretVersionId: secret.versionId,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    requestToken: token,
    version: 1,
    // Declared credits start their balance now (usageWindows.ts names the epoch by it).
    ...(fields!.credits ? { creditsSetAt: now.toISOString() } : {}),
  };
  const lookup: LookupItem = { hash, keyId, ...verifyFields(record as KeyRecord & { status: KeyFields["status"] }) };
  const declared = KEY_FIELDS.filter((field) => fields![field] !== undefined);
  const audit = auditEvent(AuditAction.CREATE, keyId, record.maskedKey, declared, request.context, now);
  try {
    await backend.store.put(record, lookup, audit);
  } catch (error) {
    // The write may have gone through after all (a lost answer), or a concurrent attempt with the same token won
    // with the same value: then the record is ours. Only when no record of this token exists is the secret surplus.
    const written = await backend.store.get(keyId).catch(() => undefined);
    if (written?.requestToken === token && written.status !== "deleted") return toKeyView(written);
    if (!written) await discardSecret(backend, keyId, secret.arn);
    if (written && isBareTombstone(written)) {
      // A delete got here first: the key must not appear after its delete returned, and neither may its secret.
      await discardSecret(backend, keyId, secret.arn);
      throw Object.assign(deletedWhileCreating(keyId), { cause: error });
    }
    throw error;
  }
  try {
    if (APIKEYS_FAILPOINTS) await failpoint("create.afterRecord");
    // A new secret has no schedule: only a declared one needs applying.
    if (record.rotation.automaticallyAfterDays !== undefined) await applyRotationSchedule(backend, record);
  } catch (error) {
    const undo = auditEvent(AuditAction.DELETE, keyId, record.maskedKey, ["created"], request.context, backend.now());
    // The secret goes only with its record: deleting it under a live record would lose the key for good.
    const discarded = await backend.store.discard(keyId, undo).then(
      () => true,
      (cleanup: Error) => (log("error", "could not remove the record of a failed create", { keyId, error: cleanup.name }), false),
    );
    if (discarded) await discardSecret(backend, keyId, secret.arn);
    throw error;
  }
  log("info", "key created", { operation: "create", keyId, maskedKey: record.maskedKey });
  return toKeyView(record);
}

/** The tombstone a delete leaves for a key that had no record yet: it never held a value. */
function isBareTombstone(record: KeyRecord): boolean {
  return record.status === "deleted" && record.requestToken === undefined && record.secretArn === undefined;
}

function deletedWhileCreating(keyId: string): ConflictError {
  return new ConflictError(`key ${keyId} was deleted while it was being created; create it again with a new request`);
}

/** Deletes, at once, a secret this request token made that is not yet scheduled for deletion. */
async function discardOwnSecret(backend: Backend, keyId: string, token: string): Promise<void> {
  const name = `${backend.config.secretPrefix}${keyId}`;
  const secret = await backend.secrets.describe(name).catch((error: Error) => {
    if (error.name === "ResourceNotFoundException") return undefined;
    throw error;
  });
  if (secret && secret.tags.requestToken === token && !secret.deletedDate) await discardSecret(backend, keyId, secret.arn);
}

/** Deletes a failed create's secret at once; a failure here is logged, and a retry or delete finishes the job. */
async function discardSecret(backend: Backend, keyId: string, secretArn: string): Promise<void> {
  await backend.secrets.scheduleDeletion(secretArn, 0).catch((cleanup: Error) => {
    log("error", "could not delete the secret of a failed create", { keyId, error: cleanup.name });
  });
}
