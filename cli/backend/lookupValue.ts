import { InvokeCommand } from "@aws-sdk/client-lambda";
import { DEFAULT_BACKEND_PREFIX, decodeAnswer, functionName, type KeyValueMatch, type LookupKeyRequest } from "../../contract";
import type { LambdaSender } from "../CliContext";

/** The read function when none is configured. */
export const DEFAULT_READ_FUNCTION = functionName(DEFAULT_BACKEND_PREFIX, "read");

/**
 * Which key a value belongs to, asked of the read function by the value's hash (the value itself is never sent), and
 * what verify answers for it now; null when no value of the backend has that hash. Records no use of the key.
 */
export async function lookupValue(lambda: LambdaSender, readFunction: string, hash: string): Promise<KeyValueMatch | null> {
  const request: LookupKeyRequest = { hash };
  const response = await lambda.send(new InvokeCommand({ FunctionName: readFunction, InvocationType: "RequestResponse", Payload: Buffer.from(JSON.stringify(request)) }));
  return decodeAnswer(response, { functionName: readFunction, operation: "lookup" });
}
