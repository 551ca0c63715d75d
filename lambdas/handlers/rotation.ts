import { awsBackend } from "../Backend";
import { log } from "../log";
import { runRotationStep, type RotationEvent } from "../operations/rotationSteps";

/** The Secrets Manager rotation Lambda: createSecret, setSecret, testSecret, finishSecret, each safe to repeat. */
export async function handler(event: RotationEvent): Promise<void> {
  log("info", "rotation step", { operation: "rotation", step: event?.Step });
  await runRotationStep(awsBackend(), event);
}
