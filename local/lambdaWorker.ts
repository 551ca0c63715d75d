/**
 * One warm Lambda execution environment, run by `startLambdaServer` through
 * child_process.fork: `node lambdaWorker.js <bundle> [handlerExport]`.
 *
 * The bundle is required once, so its module scope survives between
 * invocations exactly as it does in a warm AWS sandbox. The server sends one
 * {@link InvokeMessage} at a time and waits for the matching {@link WorkerReply}.
 */
import path from "node:path";

/** What the server sends for each invocation. */
export interface InvokeMessage {
  id: string;
  event: unknown;
  /** Epoch milliseconds after which the server kills this worker. */
  deadline: number;
  invokedFunctionArn: string;
}

/** The error document Lambda returns for an unhandled function error. */
export interface LambdaErrorBody {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** The worker's answer to one {@link InvokeMessage}. */
export type WorkerReply =
  | { id: string; ok: true; result?: unknown }
  | { id: string; ok: false; error: LambdaErrorBody };

/** Sent once after start-up: the bundle loaded, or why it did not. */
export type WorkerStatus = { type: "ready" } | { type: "initError"; error: LambdaErrorBody };

/** The subset of the Lambda context object handlers in this project rely on. */
export interface LocalLambdaContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

type Handler = (event: unknown, context: LocalLambdaContext, callback: (err?: unknown, value?: unknown) => void) => unknown;

/** Turns anything thrown into Lambda's error document (errorType = error.name, trace = stack lines). */
export function toLambdaError(thrown: unknown): LambdaErrorBody {
  if (typeof thrown === "object" && thrown !== null && "message" in thrown) {
    const error = thrown as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      errorType: typeof error.name === "string" && error.name ? error.name : "Error",
      errorMessage: String(error.message),
      trace: typeof error.stack === "string" ? error.stack.split("\n") : [],
    };
  }
  // The Node.js runtime reports a thrown primitive by its type, e.g. `throw "x"` gives errorType "string".
  return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
}

/** Requires the bundle and picks the export, classifying failures the way the AWS runtime does. */
function loadHandler(bundle: string, exportName: string): Handler | LambdaErrorBody {
  let exported: Record<string, unknown>;
  try {
    exported = require(path.resolve(bundle)) as Record<string, unknown>;
  } catch (thrown) {
    const error = toLambdaError(thrown);
    const code = (thrown as { code?: unknown } | null)?.code;
    if (code === "MODULE_NOT_FOUND") return { ...error, errorType: "Runtime.ImportModuleError" };
    if (error.errorType === "SyntaxError") return { ...error, errorType: "Runtime.UserCodeSyntaxError" };
    return error;
  }
  const handler = exported[exportName];
  if (typeof handler !== "function") {
    return {
      errorType: "Runtime.HandlerNotFound",
      errorMessage: `${path.basename(bundle)}.${exportName} is undefined or not exported`,
      trace: [],
    };
  }
  return handler as Handler;
}

/** Supports both async handlers and the older (event, context, callback) style. */
function callHandler(handler: Handler, event: unknown, context: LocalLambdaContext): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback = (err?: unknown, value?: unknown): void => (err ? reject(err) : resolve(value));
    const returned = handler(event, context, callback);
    const isThenable = typeof (returned as { then?: unknown } | null)?.then === "function";
    if (handler.length < 3 || isThenable) Promise.resolve(returned).then(resolve, reject);
  });
}

function send(message: WorkerReply | WorkerStatus): void {
  process.send?.(message);
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  const context: LocalLambdaContext = {
    awsRequestId: message.id,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? "",
    functionVersion: "$LATEST",
    invokedFunctionArn: message.invokedFunctionArn,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
  let reply: WorkerReply;
  try {
    reply = { id: message.id, ok: true, result: await callHandler(handler, message.event, context) };
  } catch (thrown) {
    reply = { id: message.id, ok: false, error: toLambdaError(thrown) };
  }
  try {
    send(reply);
  } catch (thrown) {
    // A result IPC cannot serialise (e.g. circular) is the handler's fault, not a crash.
    send({ id: message.id, ok: false, error: toLambdaError(thrown) });
  }
}

function main(): void {
  const [bundle, exportName = "handler"] = process.argv.slice(2);
  const loaded: Handler | LambdaErrorBody = bundle
    ? loadHandler(bundle, exportName)
    : { errorType: "Runtime.ImportModuleError", errorMessage: "no bundle given to the worker", trace: [] };
  if (typeof loaded !== "function") {
    send({ type: "initError", error: loaded });
    return;
  }
  process.on("message", (message: InvokeMessage) => void invoke(loaded, message));
  send({ type: "ready" });
}

// Only a forked child has an IPC channel; importing this file for its types must not start a worker.
if (process.send) main();
