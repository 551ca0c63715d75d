import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { LocalStack } from "../../local/localStack";

/** What one invocation answered: the parsed payload and Lambda's function-error marker. */
export interface Invocation<T> {
  payload: T;
  functionError?: string;
}

/** Invokes a local function with the real Lambda client, as the provider and API Gateway would. */
export async function invoke<T = any>(stack: LocalStack, operation: keyof LocalStack["functions"], event: unknown): Promise<Invocation<T>> {
  const client = new LambdaClient(stack.clientConfig("lambda"));
  try {
    const response = await client.send(new InvokeCommand({ FunctionName: stack.functions[operation], Payload: Buffer.from(JSON.stringify(event)) }));
    const text = Buffer.from(response.Payload ?? []).toString("utf8");
    return { payload: text ? JSON.parse(text) : undefined, functionError: response.FunctionError };
  } finally {
    client.destroy();
  }
}
