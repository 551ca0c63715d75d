/**
 * One Lambda execution environment: AWS's Runtime Interface Client for Node.js (aws-lambda-ric, the runtime that
 * runs a function on AWS) in a process of its own, loading `index.handler` from its task root, and the Lambda
 * Runtime API it polls (GET /invocation/next, POST /invocation/{id}/response, /error, /init/error), served on a port
 * of its own. Handler resolution, module loading, the context object, error serialization and log formatting are
 * the runtime client's; the sandbox only hands it events and collects what it posts.
 */
import { ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/** The error document Lambda returns for an unhandled function error. */
export interface LambdaErrorBody {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** The runtime client to run: a Node.js binary and aws-lambda-ric's entry point. */
export interface RuntimeClient {
  node: string;
  /** `<aws-lambda-ric>/index.mjs`. */
  entry: string;
}

/** What a sandbox runs. */
export interface SandboxSpec {
  functionName: string;
  /** The handler module, `<task root>/<module>.js`. */
  bundle: string;
  /** The handler's export; the runtime client is told `<module>.<export>`. */
  handler: string;
  /** Environment on top of what Lambda sets itself. */
  env: Record<string, string>;
  region: string;
  memoryMb: number;
}

/** One event for the sandbox. */
export interface SandboxInvocation {
  requestId: string;
  event: unknown;
  invokedFunctionArn: string;
  /** Epoch milliseconds, as Lambda-Runtime-Deadline-Ms. */
  deadline: number;
}

/** What the sandbox reports to its pool. */
export interface SandboxEvents {
  /** The runtime client asked for its first event: initialisation is done. */
  ready(): void;
  /** The runtime client posted the outcome of `requestId`. */
  settled(requestId: string, outcome: { ok: true; result: unknown } | { ok: false; error: LambdaErrorBody }): void;
  initError(error: LambdaErrorBody): void;
  exit(code: number | null, signal: NodeJS.Signals | null): void;
  output(stream: "stdout" | "stderr", text: string): void;
}

const RUNTIME_PREFIX = "/2018-06-01/runtime";
const RESULT_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseError(text: string, fallbackType: string): LambdaErrorBody {
  try {
    const body = JSON.parse(text) as Partial<LambdaErrorBody>;
    return { errorType: String(body.errorType ?? fallbackType), errorMessage: String(body.errorMessage ?? ""), trace: Array.isArray(body.trace) ? body.trace.map(String) : [] };
  } catch {
    return { errorType: fallbackType, errorMessage: text, trace: [] };
  }
}

function parseResult(text: string): { ok: true; result: unknown } | { ok: false; error: LambdaErrorBody } {
  if (text === "") return { ok: true, result: null };
  try {
    return { ok: true, result: JSON.parse(text) };
  } catch {
    return { ok: false, error: { errorType: "Runtime.InvalidResponsePayload", errorMessage: "the function's response is not JSON", trace: [] } };
  }
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** A running sandbox; {@link RuntimeSandbox.start} makes one. */
export class RuntimeSandbox {
  readonly closed: Promise<void>;
  private pendingNext?: http.ServerResponse;
  private queued?: SandboxInvocation;
  private current?: string;
  private started = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly api: http.Server,
    private readonly events: SandboxEvents,
  ) {
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    this.closed = exited.then(() => new Promise<void>((resolve) => api.close(() => resolve())));
  }

  /** Starts the Runtime API and the runtime client; `events.ready` fires once the handler has loaded. */
  static async start(spec: SandboxSpec, client: RuntimeClient, events: SandboxEvents): Promise<RuntimeSandbox> {
    let sandbox: RuntimeSandbox | undefined;
    const api = http.createServer((req, res) => {
      if (!sandbox) return reply(res, 503, { errorMessage: "starting" });
      sandbox.serve(req, res).catch((error: Error) => reply(res, 500, { errorMessage: error.message }));
    });
    api.keepAliveTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      api.once("error", reject);
      api.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = api.address() as AddressInfo;
    const taskRoot = path.dirname(path.resolve(spec.bundle));
    const handlerModule = path.basename(spec.bundle).replace(/\.(c|m)?js$/, "");
    const env: Record<string, string> = {};
    // A clean environment like a real sandbox: nothing of the test runner's leaks in, NODE_OPTIONS included.
    if (process.env.PATH) env.PATH = process.env.PATH;
    if (process.env.HOME) env.HOME = process.env.HOME;
    Object.assign(
      env,
      { AWS_REGION: spec.region, AWS_DEFAULT_REGION: spec.region, TZ: ":UTC", LANG: "en_US.UTF-8" },
      spec.env,
      {
        AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
        AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${port}`,
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
        AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
        AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
        LAMBDA_TASK_ROOT: taskRoot,
        LAMBDA_RUNTIME_DIR: path.dirname(client.entry),
        _HANDLER: `${handlerModule}.${spec.handler}`,
      },
    );
    const child = spawn(client.node, [client.entry], { cwd: taskRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    sandbox = new RuntimeSandbox(child, api, events);
    child.stdout.setEncoding("utf8").on("data", (text: string) => events.output("stdout", text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => events.output("stderr", text));
    child.once("error", (error) => {
      events.output("stderr", `local Lambda sandbox could not start ${client.node}: ${error.message}\n`);
      events.exit(null, null);
    });
    child.once("exit", (code, signal) => events.exit(code, signal));
    return sandbox;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Hands the runtime client its next event, as soon as it asks for one. */
  invoke(invocation: SandboxInvocation): void {
    this.queued = invocation;
    this.deliver();
  }

  /** Kills the process at once, as Lambda does with a sandbox that timed out or failed. */
  kill(): void {
    this.pendingNext?.destroy();
    this.pendingNext = undefined;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    this.api.closeAllConnections();
  }

  private deliver(): void {
    const res = this.pendingNext;
    const invocation = this.queued;
    if (!res || !invocation) return;
    this.pendingNext = undefined;
    this.queued = undefined;
    this.current = invocation.requestId;
    const body = JSON.stringify(invocation.event ?? null);
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body),
      "Lambda-Runtime-Aws-Request-Id": invocation.requestId,
      "Lambda-Runtime-Deadline-Ms": String(invocation.deadline),
      "Lambda-Runtime-Invoked-Function-Arn": invocation.invokedFunctionArn,
      "Lambda-Runtime-Trace-Id": `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${invocation.requestId.replace(/-/g, "").slice(0, 24)};Sampled=0`,
    });
    res.end(body);
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? "";
    const body = await readBody(req);
    if (req.method === "GET" && url === `${RUNTIME_PREFIX}/invocation/next`) {
      this.pendingNext = res;
      if (!this.started) {
        this.started = true;
        this.events.ready();
      }
      this.deliver();
      return;
    }
    if (req.method === "POST" && url === `${RUNTIME_PREFIX}/init/error`) {
      reply(res, 202, { status: "OK" });
      this.events.initError(parseError(body, String(req.headers["lambda-runtime-function-error-type"] ?? "Runtime.Unknown")));
      return;
    }
    const result = req.method === "POST" ? RESULT_PATH.exec(url) : null;
    if (result) {
      const requestId = decodeURIComponent(result[1]);
      if (requestId !== this.current) return reply(res, 400, { errorMessage: `Invalid request ID: ${requestId}`, errorType: "InvalidRequestID" });
      this.current = undefined;
      reply(res, 202, { status: "OK" });
      if (result[2] === "response") this.events.settled(requestId, parseResult(body));
      else this.events.settled(requestId, { ok: false, error: parseError(body, String(req.headers["lambda-runtime-function-error-type"] ?? "Runtime.Unknown")) });
      return;
    }
    reply(res, 404, { errorMessage: `unknown Runtime API path ${req.method} ${url}`, errorType: "InvalidPath" });
  }
}
