import { ValidationError } from "../../contract";
import type { Backend } from "../Backend";
import type { KeyRecord } from "../store/KeyStore";

/** Refuses, before anything is written, a schedule this backend cannot run. */
export function assertCanSchedule(backend: Backend, days: number | undefined): void {
  if (days !== undefined && !backend.config.rotationFunctionArn) {
    throw new ValidationError("rotation.automaticallyAfterDays", "this backend has no rotation function (APIKEYS_ROTATION_FUNCTION_ARN is not set)");
  }
}

/**
 * Makes Secrets Manager's scheduled rotation match the record: on at `automaticallyAfterDays`, or off. It compares
 * with the secret itself, not with what the record said before, so a retry after a failure still converges.
 */
export async function applyRotationSchedule(backend: Backend, record: KeyRecord): Promise<void> {
  const days = record.rotation?.automaticallyAfterDays;
  const { rotationDays } = await backend.secrets.describe(record.secretArn);
  if (days === rotationDays) return;
  if (days === undefined) return backend.secrets.cancelRotation(record.secretArn);
  assertCanSchedule(backend, days);
  await backend.secrets.scheduleRotation(record.secretArn, backend.config.rotationFunctionArn!, days);
}
