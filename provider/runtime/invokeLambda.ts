import { ErrorCode, LambdaInvocationError, type HandlerResponse } from "../../contract";
import type { LambdaClient } from "@aws-sdk/client-lambda";

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

/**
 * Invokes a backend Lambda (RequestResponse) and returns its result. Every failure becomes a
 * {@link LambdaInvocationError} that names the function and the operation; domain errors keep their code.
 */
export async function invokeLambda<T>(region: string, functionName: string, operation: string, request: unknown): Promise<T> {
  const { InvokeCommand } = require("@aws-sdk/client-lambda") as typeof import("@aws-sdk/client-lambda");
  let response;
  try {
    response = await client(region).send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", Payload: Buffer.from(JSON.stringify(request)) }),
    );
  } catch (error) {
    const name = (error as Error).name;
    // These are answered before the function runs; anything else (network, throttling, 5xx) may come after it ran.
    const refused = ["ResourceNotFoundException", "AccessDeniedException", "AccessDenied", "InvalidParameterValueException", "RequestTooLargeException"];
    throw new LambdaInvocationError(functionName, operation, describeInvokeFailure(error as Error, region), { cause: error, mayHaveRun: !refused.includes(name) });
  }
  const text = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "";
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch (error) {
    throw new LambdaInvocationError(functionName, operation, `returned a response that is not JSON (${text.length} bytes)`, { cause: error });
  }
  if (response.FunctionError) {
    const { errorType, errorMessage } = (body ?? {}) as { errorType?: string; errorMessage?: string };
    throw new LambdaInvocationError(functionName, operation, `the function failed: ${errorType ?? response.FunctionError}: ${errorMessage ?? "no message"}`);
  }
  const envelope = body as HandlerResponse<T> | undefined;
  if (!envelope || typeof envelope !== "object" || typeof envelope.ok !== "boolean") {
    throw new LambdaInvocationError(functionName, operation, "returned a response that is not an apikeys handler response");
  }
  if (!envelope.ok) {
    const { code, message } = envelope.error ?? { code: ErrorCode.INTERNAL, message: "no error detail" };
    // A domain answer means the function refused the request as a whole and left nothing behind.
    throw new LambdaInvocationError(functionName, operation, message, { code, mayHaveRun: code === ErrorCode.INTERNAL });
  }
  return envelope.result;
}
