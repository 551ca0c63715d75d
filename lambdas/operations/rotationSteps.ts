import { AuditAction, VerifyCode, createKey, gracePeriodSeconds, hashKey, maskKey, KeyNotFoundError, ValidationError, type ChangeContext, type RotationSettings } from "../../contract";
import { auditEvent } from "./auditEvent";
import type { Backend } from "../Backend";
import { failpoint } from "../failpoint";
import { log } from "../log";
import { SecretStage } from "../secrets/SecretVault";
import type { KeyRecord } from "../store/KeyStore";
import { retryOnStale } from "../store/retryOnStale";
import { verifyKey } from "./verifyKey";

/** The four steps of a Secrets Manager rotation, by the names Secrets Manager sends. */
export const RotationStep = { CREATE: "createSecret", SET: "setSecret", TEST: "testSecret", FINISH: "finishSecret" } as const;
/** One of {@link RotationStep}. */
export type RotationStep = (typeof RotationStep)[keyof typeof RotationStep];

/** What Secrets Manager sends the rotation Lambda. */
export interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: RotationStep;
}

/** The live key a secret belongs to, found by the secret's keyId tag. */
async function keyOfSecret(backend: Backend, secretId: string): Promise<{ record: KeyRecord; versions: Record<string, string[]> }> {
  const { tags, versions } = await backend.secrets.describe(secretId);
  const keyId = tags.keyId;
  if (!keyId) throw new ValidationError("SecretId", `secret ${secretId} has no keyId tag, so it is not an apikeys secret`);
  const record = await backend.store.get(keyId);
  if (!record || record.status === "deleted") throw new KeyNotFoundError(keyId);
  return { record, versions };
}

async function pendingValue(backend: Backend, secretId: string, token: string): Promise<string> {
  const value = await backend.secrets.getValue(secretId, { versionId: token });
  if (value === undefined) throw new Error(`secret ${secretId} has no version ${token}; run createSecret first`);
  return value;
}

/** createSecret: stores a new key as AWSPENDING under the token, unless that version exists already. */
export async function createPendingValue(backend: Backend, secretId: string, token: string): Promise<void> {
  const { record, versions } = await keyOfSecret(backend, secretId);
  if (versions[token]) return;
  await backend.secrets.putPending(secretId, token, createKey(record.prefix).key);
  await failpoint("rotate.afterPending");
}

/**
 * setSecret: adds the pending value's lookup item, so it verifies alongside the current one. The write is
 * conditional on the record as read; when another write got there first, the step reads again.
 */
export async function setPendingValue(backend: Backend, secretId: string, token: string): Promise<void> {
  await retryOnStale(async () => {
    const { record } = await keyOfSecret(backend, secretId);
    const hash = hashKey(await pendingValue(backend, secretId, token));
    // Done already: the value is pending, current, or in its grace period.
    if ([record.pendingHash, record.hash, record.previousHash].includes(hash)) return;
    await backend.store.addLookup(record, hash);
  });
  await failpoint("rotate.afterLookup");
}

// A paused or expired key rotates too: the test asks whether verify finds the new value, not whether it may pass.
const WIRED_UP: readonly string[] = [VerifyCode.VALID, VerifyCode.INACTIVE, VerifyCode.EXPIRED];

/** testSecret: verify must find the pending value; a failure stops the rotation before anything switches. */
export async function testPendingValue(backend: Backend, secretId: string, token: string): Promise<void> {
  const result = await verifyKey(backend, { key: await pendingValue(backend, secretId, token) }, { recordUse: false });
  if (!WIRED_UP.includes(result.code)) throw new Error(`testSecret: the pending value of ${secretId} answers ${result.code}`);
}

/**
 * finishSecret: makes the pending value current in DynamoDB (the old value retires after the grace period), then
 * moves AWSCURRENT to it. Either half that is done already is skipped, so the step is safe to repeat.
 */
export async function finishRotation(
  backend: Backend,
  secretId: string,
  token: string,
  settings?: RotationSettings,
  context: ChangeContext = { actor: "secretsmanager-rotation-schedule" },
): Promise<KeyRecord> {
  const value = await pendingValue(backend, secretId, token);
  const maskedKey = maskKey(value);
  // Conditional on the record as read: a write that got there first (an update, another rotation) makes it read again.
  const rotated = await retryOnStale(async () => {
    const { record } = await keyOfSecret(backend, secretId);
    const rotation = settings ?? record.rotation ?? {};
    const now = backend.now();
    return backend.store.rotate(record, {
      hash: hashKey(value),
      maskedKey,
      secretVersionId: token,
      now: now.toISOString(),
      retiresAt: new Date(now.getTime() + gracePeriodSeconds(rotation) * 1000).toISOString(),
      rotation,
      audit: auditEvent(AuditAction.ROTATE, record.keyId, maskedKey, settings ? ["key", "rotation"] : ["key"], context, now),
    });
  });
  await failpoint("rotate.afterSwitch");
  await backend.secrets.makeCurrent(secretId, token);
  log("info", "key rotated", { operation: "rotate", keyId: rotated.keyId, maskedKey: rotated.maskedKey });
  return rotated;
}

/** Runs one step of a Secrets Manager rotation. */
export async function runRotationStep(backend: Backend, event: RotationEvent): Promise<void> {
  const { SecretId, ClientRequestToken, Step } = event ?? ({} as RotationEvent);
  if (!SecretId || !ClientRequestToken) throw new ValidationError("SecretId", "a rotation event needs SecretId and ClientRequestToken");
  switch (Step) {
    case RotationStep.CREATE:
      return createPendingValue(backend, SecretId, ClientRequestToken);
    case RotationStep.SET:
      return setPendingValue(backend, SecretId, ClientRequestToken);
    case RotationStep.TEST:
      return testPendingValue(backend, SecretId, ClientRequestToken);
    case RotationStep.FINISH:
      await finishRotation(backend, SecretId, ClientRequestToken);
      return;
    default:
      throw new ValidationError("Step", `must be one of ${Object.values(RotationStep).join(", ")}, got ${JSON.stringify(Step)}`);
  }
}

/** If a rotation stopped between its DynamoDB switch and its AWSCURRENT move, finishes the move. */
export async function repairCurrentVersion(backend: Backend, record: KeyRecord): Promise<void> {
  if (!record.secretVersionId) return;
  const { versions } = await backend.secrets.describe(record.secretArn);
  if (!versions[record.secretVersionId]?.includes(SecretStage.CURRENT)) await backend.secrets.makeCurrent(record.secretArn, record.secretVersionId);
}
