import { randomUUID } from "node:crypto";
import type { ChangeContext, RotationSettings } from "../../contract";
import type { Backend } from "../Backend";
import type { KeyRecord } from "../store/KeyStore";
import { createPendingValue, finishRotation, setPendingValue, testPendingValue } from "./rotationSteps";

/**
 * Rotates a key now, through the same four steps as a scheduled rotation: a new version of the same secret, the
 * old value verifying until the grace period ends, keyId and secretArn unchanged. Stores `settings` with the switch.
 */
export async function rotateKey(backend: Backend, record: KeyRecord, settings: RotationSettings, context?: ChangeContext): Promise<KeyRecord> {
  const token = randomUUID();
  await createPendingValue(backend, record.secretArn, token);
  await setPendingValue(backend, record.secretArn, token);
  await testPendingValue(backend, record.secretArn, token);
  return finishRotation(backend, record.secretArn, token, settings, context);
}
