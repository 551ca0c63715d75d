import { ValidationError } from "../../contract";
import type { Backend } from "../Backend";
import type { KeyRecord } from "../store/KeyStore";

/** Refuses, before anything is written, a schedule this backend cannot run. */
export function assertCanSchedule(backend: Backend, days: number | undefined): void {
  if (days !== undefined && !backend.config.rotationFunctionArn) {
    throw new ValidationError("rotation.automaticallyAfterDays", "this backend has no rotation function (APIKEYS_ROTATION_FUNCTION_ARN is not set)");
  }
}

/** Turns Secrets Manager's scheduled rotation on, off or to a new interval when `automaticallyAfterDays` changed. */
export async function applyRotationSchedule(backend: Backend, record: KeyRecord, previousDays: number | undefined): Promise<void> {
  const days = record.rotation?.automaticallyAfterDays;
  if (days === previousDays) return;
  if (days === undefined) return backend.secrets.cancelRotation(record.secretArn);
  assertCanSchedule(backend, days);
  await backend.secrets.scheduleRotation(record.secretArn, backend.config.rotationFunctionArn!, days);
}
