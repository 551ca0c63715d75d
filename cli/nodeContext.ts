import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CliContext, DocumentSender, LambdaSender } from "./CliContext";
import { loadStackState } from "./drift/loadStackState";

/** The context of a real run, and how to end it. */
export interface NodeContext {
  context: CliContext;
  /** Releases the clients' sockets so the process can exit. */
  close(): void;
}

/**
 * The context of `apikeys` as a process. The clients use the SDK's standard configuration, like the provider:
 * AWS_REGION, the credential chain, and AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_LAMBDA for a local backend.
 * Each is created on first use, so a command that needs no DynamoDB does not need its configuration either.
 */
export function nodeContext(): NodeContext {
  const closers: (() => void)[] = [];
  let dynamo: DocumentSender | undefined;
  let lambda: LambdaSender | undefined;
  const context: CliContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    dynamo() {
      if (!dynamo) {
        const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
        closers.push(() => client.destroy());
        dynamo = client;
      }
      return dynamo;
    },
    lambda() {
      if (!lambda) {
        const client = new LambdaClient({});
        closers.push(() => client.destroy());
        lambda = client;
      }
      return lambda;
    },
    loadStackState: (stackName, cwd) => loadStackState(stackName, cwd),
    async callerArn() {
      const client = new STSClient({});
      try {
        return (await client.send(new GetCallerIdentityCommand({}))).Arn;
      } catch {
        // The audit event then names no actor; CloudTrail's record of the invocation still does.
        return undefined;
      } finally {
        client.destroy();
      }
    },
    now: () => new Date(),
  };
  return { context, close: () => closers.forEach((close) => close()) };
}
