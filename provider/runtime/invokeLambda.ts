import { LambdaInvocationError, decodeAnswer, type AnswerOf } from "../../contract";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { INVOKE_TIMEOUT_ENV, invokeTimeoutMs } from "./invokeTimeout";

/** The operations the provider runs through a backend function. */
export type ProviderOperation = "create" | "read" | "update" | "delete";

// One client per region for the life of the provider process; never serialized into state.
const clients = new Map<string, LambdaClient>();

function client(region: string): LambdaClient {
  let existing = clients.get(region);
  if (!existing) {
    const { LambdaClient } = require("@aws-sdk/client-lambda") as typeof import("@aws-sdk/client-lambda");
    existing = new LambdaClient({ region, maxAttempts: 3 });
    clients.set(region, existing);
  }
  return existing;
}

/** Why an Invoke call itself failed, worded for the person reading `pulumi up` output. */
function describeInvokeFailure(error: Error, region: string): string {
  switch (error.name) {
    case "ResourceNotFoundException":
      return `lambda:InvokeFunction failed: no such function in ${region}; deploy the backend or fix the function name`;
    case "AccessDeniedException":
    case "AccessDenied":
      return `lambda:InvokeFunction was denied: ${error.message}`;
    default:
      return `lambda:InvokeFunction failed: ${error.name}: ${error.message}`;
  }
}

// Answered before the function runs; anything else (network, throttling, 5xx, no answer) may come after it ran.
const REFUSED = ["ResourceNotFoundException", "AccessDeniedException", "AccessDenied", "InvalidParameterValueException", "RequestTooLargeException"];

/**
 * Invokes a backend Lambda (RequestResponse) and returns its answer, checked against the contract's shape for the
 * operation (see {@link decodeAnswer}); `keyId`, when given, is the key the answer must be about. Gives up when no
 * answer came within the function's timeout plus a margin ({@link invokeTimeoutMs}). Every failure becomes a
 * {@link LambdaInvocationError} that names the function and the operation; domain errors keep their code.
 */
export async function invokeLambda<O extends ProviderOperation>(region: string, functionName: string, operation: O, request: unknown, keyId?: string): Promise<AnswerOf<O>> {
  const { InvokeCommand } = require("@aws-sdk/client-lambda") as typeof import("@aws-sdk/client-lambda");
  const timeoutMs = invokeTimeoutMs(operation);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  let response;
  try {
    response = await client(region).send(new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", Payload: Buffer.from(JSON.stringify(request)) }), {
      abortSignal: deadline.signal,
    });
  } catch (error) {
    if (deadline.signal.aborted) {
      const message = `no answer within ${timeoutMs / 1000} s (the function's timeout and a margin; ${INVOKE_TIMEOUT_ENV} sets another), so the function may still be running`;
      throw new LambdaInvocationError(functionName, operation, message, { cause: error, mayHaveRun: true });
    }
    const name = (error as Error).name;
    throw new LambdaInvocationError(functionName, operation, describeInvokeFailure(error as Error, region), { cause: error, mayHaveRun: !REFUSED.includes(name) });
  } finally {
    clearTimeout(timer);
  }
  return decodeAnswer(response, { functionName, operation, keyId });
}
