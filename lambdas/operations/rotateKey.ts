import { randomUUID } from "node:crypto";
import { KeyNotFoundError, StaleRecordError, createKey, hashKey, type ChangeContext, type RotationSettings } from "../../contract";
import type { Backend } from "../Backend";
import { failpoint } from "../failpoint";
import type { KeyRecord } from "../store/KeyStore";
import { finishRotation, putPendingValue, setPendingValue, testPendingValue } from "./rotationSteps";

/** What the caller read after `record`, which the rotation then need not read again. */
export interface RotationStart {
  /** The version holding AWSCURRENT, where the record says (as alignment left it). */
  holder?: string;
  /** Whether the current value's lookup item exists. */
  replacedPresent?: boolean;
}

/**
 * Rotates a key now, through the same four steps as a scheduled rotation: a new version of the same secret, the
 * old value verifying until the grace period ends, keyId and secretArn unchanged. Stores `settings` with the switch.
 * The steps run in one invocation, so each carries on from what the one before wrote instead of reading it back.
 */
export async function rotateKey(backend: Backend, record: KeyRecord, settings: RotationSettings, context?: ChangeContext, start: RotationStart = {}): Promise<KeyRecord> {
  const token = randomUUID();
  const value = createKey(record.prefix).key;
  // createSecret: a new token has no version yet, so there is none to look for first. A delete since the record was
  // read makes the secret refuse it: that is the answer, as a step that read the record again would have given.
  await putPendingValue(backend, record.secretArn, token, value).catch(async (error: Error) => {
    const now = await backend.store.get(record.keyId);
    if (!now || now.status === "deleted") throw new KeyNotFoundError(record.keyId, { cause: error });
    throw error;
  });
  // setSecret: the version was made AWSPENDING after the record was read, so the record can take its lookup item as
  // read. If another write got there first, the step runs as Secrets Manager would run it: reading everything again.
  const pending = await backend.store.addLookup(record, hashKey(value)).catch((error: Error) => {
    if (error instanceof StaleRecordError) return undefined;
    throw error;
  });
  if (!pending) await setPendingValue(backend, record.secretArn, token);
  else if (APIKEYS_FAILPOINTS) await failpoint("rotate.afterLookup");
  await testPendingValue(backend, record.secretArn, token, value);
  // finishSecret: nothing wrote the record since setSecret did if the switch's revision condition holds.
  const soFar = pending ? { view: { record: pending, value, pending: true }, ...start } : undefined;
  return finishRotation(backend, record.secretArn, token, settings, context, soFar);
}
