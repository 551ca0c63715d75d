import {
  AuditAction,
  ConflictError,
  KeyNotFoundError,
  ValidationError,
  VerifyCode,
  createKey,
  gracePeriodSeconds,
  hashKey,
  maskKey,
  type ChangeContext,
  type RotationSettings,
} from "../../contract";
import { auditEvent } from "./auditEvent";
import type { Backend } from "../Backend";
import { failpoint } from "../failpoint";
import { log } from "../log";
import { SecretStage, type SecretDescription } from "../secrets/SecretVault";
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

/** The live key a secret belongs to, found by the secret's keyId tag, and the secret as described to find it. */
async function keyOfSecret(backend: Backend, secretId: string): Promise<{ record: KeyRecord; secret: SecretDescription }> {
  const secret = await backend.secrets.describe(secretId);
  const keyId = secret.tags.keyId;
  if (!keyId) throw new ValidationError("SecretId", `secret ${secretId} has no keyId tag, so it is not an apikeys secret`);
  const record = await backend.store.get(keyId);
  if (!record || record.status === "deleted") throw new KeyNotFoundError(keyId);
  return { record, secret };
}

async function pendingValue(backend: Backend, secretId: string, token: string): Promise<string> {
  const value = await backend.secrets.getValue(secretId, { versionId: token });
  if (value === undefined) throw new Error(`secret ${secretId} has no version ${token}; run createSecret first`);
  return value;
}

/** What a switch decides on: the record, and version `token`'s value and whether it was AWSPENDING, seen after it. */
interface SwitchView {
  record: KeyRecord;
  value: string;
  pending: boolean;
}

/**
 * Version `token`'s value, and whether it is AWSPENDING now. Called after reading the record: a version is labelled
 * AWSPENDING only when it is created and never again once the label moved on, so a version seen pending after the
 * record was read had not been replaced by any rotation that record knows of (README, "Security model").
 */
async function versionAfter(backend: Backend, secretId: string, token: string): Promise<{ hash: string; value: string; pending: boolean }> {
  const { versions } = await backend.secrets.describe(secretId);
  const value = await pendingValue(backend, secretId, token);
  return { hash: hashKey(value), value, pending: isPending(versions, token) };
}

function isPending(versions: Record<string, string[]>, token: string): boolean {
  return versions[token]?.includes(SecretStage.PENDING) ?? false;
}

function notPending(secretId: string, token: string): ConflictError {
  return new ConflictError(`version ${token} of secret ${secretId} is no longer pending: a newer rotation replaced it; retry`);
}

/** Stores `value` as version `token`, labelled AWSPENDING; a version of that token made meanwhile counts as done. */
export async function putPendingValue(backend: Backend, secretId: string, token: string, value: string): Promise<void> {
  if (APIKEYS_FAILPOINTS) await failpoint("rotate.beforePending");
  try {
    await backend.secrets.putPending(secretId, token, value);
  } catch (error) {
    // The same step ran at the same time (or long ago, and the version lost its labels): the version exists, and
    // keeps the value it was made with, since Secrets Manager never changes a version; that value is the pending one.
    if ((error as Error).name !== "ResourceExistsException") throw error;
  }
  if (APIKEYS_FAILPOINTS) await failpoint("rotate.afterPending");
}

/** createSecret: stores a new key as AWSPENDING under the token, unless that version exists already. */
export async function createPendingValue(backend: Backend, secretId: string, token: string): Promise<void> {
  const { record, secret } = await keyOfSecret(backend, secretId);
  // The description that named the key says whether the version exists; one made since, PutSecretValue finds.
  if (secret.versions[token]) return;
  await putPendingValue(backend, secretId, token, createKey(record.prefix).key);
}

/**
 * setSecret: adds the pending value's lookup item, so it verifies alongside the current one. Only a version that is
 * still AWSPENDING gets one, so a repeated or late step never brings back a value a later rotation retired.
 */
export async function setPendingValue(backend: Backend, secretId: string, token: string): Promise<void> {
  await retryOnStale(async () => {
    const { record } = await keyOfSecret(backend, secretId);
    const { hash, pending } = await versionAfter(backend, secretId, token);
    // Done already: the value is pending, current, or in its grace period.
    if ([record.pendingHash, record.hash, record.previousHash].includes(hash)) return;
    if (!pending) throw notPending(secretId, token);
    await backend.store.addLookup(record, hash);
  });
  if (APIKEYS_FAILPOINTS) await failpoint("rotate.afterLookup");
}

// A paused, expired, not-yet-valid or address-restricted key rotates too: the test asks whether verify finds the new
// value as the key's, not whether this call may pass. Only a value verify does not find, or finds retired, fails it.
const NOT_WIRED_UP: readonly string[] = [VerifyCode.MALFORMED, VerifyCode.NOT_FOUND, VerifyCode.ROTATED_OUT];

/** testSecret: verify must find the pending value (read from the secret unless given); a failure stops the rotation before anything switches. */
export async function testPendingValue(backend: Backend, secretId: string, token: string, value?: string): Promise<void> {
  const result = await verifyKey(backend, { key: value ?? (await pendingValue(backend, secretId, token)) }, { recordUse: false });
  if (NOT_WIRED_UP.includes(result.code)) throw new Error(`testSecret: the pending value of ${secretId} answers ${result.code}`);
}

/** What a rotation that ran the earlier steps itself knows by its switch, so that finishSecret need not read it again. */
export interface RotationSoFar {
  /** The record as its setSecret wrote it, the value it stored, which was AWSPENDING after that record was read. */
  view: SwitchView;
  /** The version seen holding AWSCURRENT, where the record said, after the record was read. */
  holder?: string;
  /** Whether the replaced value's lookup item existed, read after the record. */
  replacedPresent?: boolean;
}

/**
 * finishSecret: makes the pending value current in DynamoDB (the old value retires after the grace period), then
 * moves AWSCURRENT to it. The switch is conditional on the record as read, and only for a version still AWSPENDING;
 * a switch done already is not redone, so the step is safe to repeat. `soFar` spares the first attempt its reads.
 */
export async function finishRotation(
  backend: Backend,
  secretId: string,
  token: string,
  settings?: RotationSettings,
  context: ChangeContext = { actor: "secretsmanager-rotation-schedule" },
  soFar?: RotationSoFar,
): Promise<KeyRecord> {
  let first = soFar?.view;
  let holder = soFar?.holder;
  if (!first) {
    const { record } = await keyOfSecret(backend, secretId);
    // Looked at after the record was read, the stages serve the switch below as well as the alignment.
    const { versions } = await backend.secrets.describe(secretId);
    // An earlier switch whose stage move never happened is finished first, so AWSPREVIOUS ends up on the value replaced.
    holder = await alignCurrentVersion(backend, record.keyId, { record, versions });
    // Alignment moves AWSCURRENT, and AWSPENDING only off the record's version: whether `token` is pending still holds.
    first = { record, value: await pendingValue(backend, secretId, token), pending: isPending(versions, token) };
  }
  const keyId = first.record.keyId;
  const rotated = await retryOnStale(async () => {
    const replacedPresent = first ? soFar?.replacedPresent : undefined;
    const view = first ?? (await readSwitchView(backend, secretId, token));
    first = undefined;
    const { record, value, pending } = view;
    const hash = hashKey(value);
    if (record.hash === hash) return record;
    if (!pending) throw notPending(secretId, token);
    const rotation = settings ?? record.rotation ?? {};
    const now = backend.now();
    const maskedKey = maskKey(value);
    return backend.store.rotate(record, {
      hash,
      maskedKey,
      secretVersionId: token,
      now: now.toISOString(),
      retiresAt: new Date(now.getTime() + gracePeriodSeconds(rotation) * 1000).toISOString(),
      rotation,
      audit: auditEvent(AuditAction.ROTATE, record.keyId, maskedKey, settings ? ["key", "rotation"] : ["key"], context, now),
      replacedPresent,
    });
  });
  if (APIKEYS_FAILPOINTS) await failpoint("rotate.afterSwitch");
  await followSwitch(backend, rotated, holder);
  log("info", "key rotated", { operation: "rotate", keyId, maskedKey: rotated.maskedKey });
  return rotated;
}

/** The record, then the version's value and stage: what a retried switch decides on. */
async function readSwitchView(backend: Backend, secretId: string, token: string): Promise<SwitchView> {
  const { record } = await keyOfSecret(backend, secretId);
  const { value, pending } = await versionAfter(backend, secretId, token);
  return { record, value, pending };
}

/**
 * After a switch to `switched`: AWSCURRENT moves to its version from `holder`, where it was seen after the record was
 * read, AWSPENDING comes off it, and a look at the record makes sure no newer switch came meanwhile. Anything else (no
 * holder known, the label moved since, a newer switch) goes through {@link alignCurrentVersion}.
 */
async function followSwitch(backend: Backend, switched: KeyRecord, holder: string | undefined): Promise<void> {
  const target = switched.secretVersionId;
  if (holder && target && holder !== target) {
    try {
      await backend.secrets.moveCurrent(switched.secretArn, target, holder);
      await backend.secrets.clearPending(switched.secretArn, target);
      const now = await backend.store.get(switched.keyId);
      if (!now || now.status === "deleted" || now.secretVersionId === target) return;
    } catch (error) {
      // Another mover got there first: look again.
      if ((error as Error).name !== "InvalidParameterException") throw error;
    }
  }
  await alignCurrentVersion(backend, switched.keyId);
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

// Each attempt either finds the stage aligned or moves it; more than this means switches keep coming.
const ALIGN_ATTEMPTS = 8;

/**
 * Makes AWSCURRENT the version the record treats as current, and takes AWSPENDING off it. Runs after every switch and
 * before every update and switch, so a stage move made on an old view (a rotation that lost to a newer one, or one
 * interrupted after its switch) is undone. The record is read before the stages, and a move names the holder it saw,
 * so it fails rather than undo a newer move: the last mover always acts on the latest switch. `known` is the record
 * the caller read and, optionally, the stages it looked at after: the first look uses them. Returns the version
 * holding AWSCURRENT once it is the record's; undefined when the key has none to align.
 */
export async function alignCurrentVersion(backend: Backend, keyId: string, known?: { record: KeyRecord; versions?: Record<string, string[]> }): Promise<string | undefined> {
  for (let attempt = 1; attempt <= ALIGN_ATTEMPTS; attempt++) {
    // What the caller read, in that order, serves the first look; every later one reads again.
    const given = attempt === 1 ? known : undefined;
    const record = given ? given.record : await backend.store.get(keyId);
    if (!record || record.status === "deleted" || !record.secretVersionId) return undefined;
    const versions = given?.versions ?? (await backend.secrets.describe(record.secretArn)).versions;
    const current = Object.keys(versions).find((id) => versions[id].includes(SecretStage.CURRENT));
    if (current === record.secretVersionId) {
      // A finished rotation leaves no AWSPENDING behind, or the next rotation would see one in progress.
      if (versions[current].includes(SecretStage.PENDING)) await backend.secrets.clearPending(record.secretArn, current);
      return current;
    }
    try {
      await backend.secrets.moveCurrent(record.secretArn, record.secretVersionId, current);
    } catch (error) {
      // Another mover got there first: look again.
      if ((error as Error).name !== "InvalidParameterException") throw error;
    }
  }
  throw new ConflictError(`the current version of key ${keyId}'s secret kept changing while aligning it; retry`);
}
