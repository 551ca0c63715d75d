import { ANSWER_SHAPES, type AnswerOf, type AnsweringOperation } from "./answerShapes";
import { ErrorCode, LambdaInvocationError } from "./errors";
import { holdsKey } from "./redactKeys";

/** What a Lambda Invoke answered, as the AWS SDK returns it. */
export interface InvokeAnswer {
  Payload?: Uint8Array;
  /** Set when the function failed (threw, timed out, crashed): the payload then describes the failure. */
  FunctionError?: string;
}

/** Which call an answer belongs to, for the messages and the checks. */
export interface AnsweredCall<O extends AnsweringOperation> {
  functionName: string;
  operation: O;
  /** The key the call was about: an answer about another key is refused. */
  keyId?: string;
}

const KNOWN_CODES: readonly string[] = Object.values(ErrorCode);

function fail(call: AnsweredCall<AnsweringOperation>, message: string, options?: { code?: ErrorCode; mayHaveRun?: boolean; cause?: unknown }): never {
  throw new LambdaInvocationError(call.functionName, call.operation, message, options);
}

/**
 * Reads the answer of a backend function and checks it against the contract's shape for the operation; the one decoder
 * of the provider and the CLI. Every failure is a {@link LambdaInvocationError} naming the function and the operation
 * (its message redacts keys); a domain error keeps its code. An answer that is not what the contract says (wrong shape,
 * another key, a value that parses as a key) is refused as a whole, so none of it reaches Pulumi state or a terminal.
 */
export function decodeAnswer<O extends AnsweringOperation>(answer: InvokeAnswer, call: AnsweredCall<O>): AnswerOf<O> {
  const shape = ANSWER_SHAPES[call.operation];
  const text = answer.Payload ? Buffer.from(answer.Payload).toString("utf8") : "";
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch (error) {
    fail(call, `returned a response that is not JSON (${text.length} bytes)`, { cause: error });
  }
  if (answer.FunctionError) {
    const { errorType, errorMessage } = (typeof body === "object" && body !== null ? body : {}) as { errorType?: unknown; errorMessage?: unknown };
    fail(call, `the function failed: ${String(errorType ?? answer.FunctionError)}: ${String(errorMessage ?? "no message")}`);
  }
  let result: unknown = body;
  if (shape.enveloped) {
    const envelope = body as { ok?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
    if (typeof envelope !== "object" || envelope === null || typeof envelope.ok !== "boolean") fail(call, "returned a response that is not an apikeys handler response");
    if (!envelope.ok) {
      const code = KNOWN_CODES.includes(envelope.error?.code as string) ? (envelope.error!.code as ErrorCode) : ErrorCode.INTERNAL;
      const message = typeof envelope.error?.message === "string" ? envelope.error.message : "no error detail";
      // A domain answer means the function refused the request as a whole and left nothing behind.
      fail(call, message, { code, mayHaveRun: code === ErrorCode.INTERNAL });
    }
    result = envelope.result;
  }
  const decoded = shape.decode(result);
  if ("reason" in decoded) fail(call, `answered something that is not ${shape.description}: ${decoded.reason}`);
  const value = decoded.value as Record<string, unknown> | null;
  if (value !== null) {
    const leaked = Object.keys(value).find((field) => holdsKey(value[field]));
    if (leaked) fail(call, `answered a value that parses as an API key in ${leaked}; nothing of the answer is kept`);
    if (call.keyId !== undefined && value.keyId !== call.keyId) fail(call, `answered about another key than ${call.keyId}`);
  }
  return decoded.value as AnswerOf<O>;
}
