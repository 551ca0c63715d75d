import { awsBackend } from "../Backend";
import { answerVerifyEvent, type VerifyAnswer } from "../operations/answerVerifyEvent";

/** The verify Lambda: a direct `{ key }` call, or an API Gateway authorizer (HTTP API or REST API). */
export async function handler(event: unknown): Promise<VerifyAnswer> {
  return answerVerifyEvent(awsBackend(), event);
}
