import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { StackStateLoader } from "./drift/loadStackState";

/** Where a command writes text: process.stdout and process.stderr, or a buffer in tests. */
export interface TextOutput {
  write(text: string): unknown;
  /** Progress and prompts depend on it: a terminal gets them, a pipe or file does not. */
  isTTY?: boolean;
}

/** Where verify reads the key from: process.stdin, or a stream in tests. */
export interface TextInput extends AsyncIterable<string | Buffer> {
  isTTY?: boolean;
  /** Present on a terminal: lets verify read the key without echoing it. */
  setRawMode?(raw: boolean): unknown;
  on?(event: "data", listener: (chunk: string | Buffer) => void): unknown;
  off?(event: "data", listener: (chunk: string | Buffer) => void): unknown;
  pause?(): unknown;
  resume?(): unknown;
}

/** A client that sends DynamoDB document commands; the real one, or a stub. */
export type DocumentSender = Pick<DynamoDBDocumentClient, "send">;
/** A client that sends Lambda commands. */
export type LambdaSender = Pick<LambdaClient, "send">;

/** Everything the commands touch outside themselves, so tests can inject each part. */
export interface CliContext {
  stdout: TextOutput;
  stderr: TextOutput;
  stdin: TextInput;
  env: NodeJS.ProcessEnv;
  /** The DynamoDB client, created on first use (verify needs none). */
  dynamo(): DocumentSender;
  /** The Lambda client, created on first use. */
  lambda(): LambdaSender;
  loadStackState: StackStateLoader;
  /** The caller's AWS identity ARN (STS GetCallerIdentity), for audit events; undefined when it cannot be told. */
  callerArn(): Promise<string | undefined>;
  now(): Date;
}
