import { InvokeCommand } from "@aws-sdk/client-lambda";
import { DEFAULT_BACKEND_PREFIX, KEY_ID_PATTERN, KeyStatus, changeReasonRule, decodeAnswer, functionName, type UpdateKeyRequest } from "../../contract";
import type { LambdaSender, TextOutput } from "../CliContext";
import { ExitCode } from "../ExitCode";

/** The update function when none is configured. */
export const DEFAULT_UPDATE_FUNCTION = functionName(DEFAULT_BACKEND_PREFIX, "update");

/** Options of {@link setKeyStatus}. */
export interface SetKeyStatusOptions {
  keyId: string;
  status: KeyStatus;
  /** Why: recorded in the audit event, for whoever reviews the change later. */
  reason: string;
  /** The update function, by name or ARN. */
  functionName: string;
}

/** What {@link setKeyStatus} reads from and writes to. */
export interface SetKeyStatusIo {
  lambda: LambdaSender;
  stdout: TextOutput;
  /** The caller's AWS identity, for the audit event; undefined when it cannot be told. */
  callerArn(): Promise<string | undefined>;
}

const WHAT_IT_MEANS: Record<KeyStatus, string> = {
  inactive: "verify refuses it from its next call on",
  active: "verify accepts it again",
};

/**
 * `apikeys deactivate|activate <keyId> --reason <text>`: the supported out-of-band Status toggle, for emergencies.
 * It goes through the update function like a deployment (record and lookup items change in one transaction, with an
 * audit event that carries the reason), so verify sees it at once; editing the table by hand does neither. Exit 0
 * when the key has the status; failures throw (exit 2), a key given as keyId or reason is refused without echo.
 */
export async function setKeyStatus(options: SetKeyStatusOptions, io: SetKeyStatusIo): Promise<ExitCode> {
  // The keyId is echoed back, so it must be one; a key pasted here by mistake is refused, never printed.
  if (!KEY_ID_PATTERN.test(options.keyId)) throw new Error('<keyId> must be a keyId such as "key_0123456789abcdef"');
  const reason = changeReasonRule(options.reason);
  if ("reason" in reason) throw new Error(`--reason ${reason.reason}`);
  if (!reason.value) throw new Error("--reason is required: say why, for the audit trail");
  const actor = await io.callerArn();
  const request: UpdateKeyRequest = { keyId: options.keyId, changes: { status: options.status }, context: { ...(actor ? { actor } : {}), reason: reason.value } };
  const response = await io.lambda.send(new InvokeCommand({ FunctionName: options.functionName, InvocationType: "RequestResponse", Payload: Buffer.from(JSON.stringify(request)) }));
  const view = decodeAnswer(response, { functionName: options.functionName, operation: "update", keyId: options.keyId });
  io.stdout.write(
    `${view.keyId} (${view.name}) is ${view.status}: ${WHAT_IT_MEANS[options.status]}.\n` +
      "Change the key's declaration to match, or the next pulumi refresh and pulumi up of its stack set the declared status again.\n",
  );
  return ExitCode.OK;
}
