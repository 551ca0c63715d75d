/**
 * A local stand-in for the AWS Lambda Invoke API, good enough for the AWS SDK
 * v3 `LambdaClient` to talk to it unchanged. Each function gets a pool of warm
 * sandboxes, each AWS's own runtime client polling a Runtime API of its own
 * (see RuntimeSandbox.ts).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { AddressInfo } from "node:net";
import path from "node:path";
import { ensureTool } from "../tools/ensureTool";
import { RuntimeSandbox, type LambdaErrorBody, type RuntimeClient } from "./RuntimeSandbox";

/** One function the server can invoke. */
export interface LocalFunctionConfig {
  /** Path to a CommonJS file that exports the handler. */
  bundle: string;
  /** Name of the handler export; defaults to "handler". */
  handler?: string;
  env?: Record<string, string>;
  /** Defaults to 30000. */
  timeoutMs?: number;
  /** AWS_LAMBDA_FUNCTION_MEMORY_SIZE; defaults to 128. */
  memoryMb?: number;
}

/** Options for {@link startLambdaServer}. */
export interface LambdaServerOptions {
  functions: Record<string, LocalFunctionConfig>;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 8; further concurrent invocations queue. */
  maxWorkersPerFunction?: number;
  /** The runtime client every sandbox runs; defaults to {@link defaultRuntimeClient}. */
  runtimeClient?: RuntimeClient;
  /** Used in ARNs and as AWS_REGION for the functions; defaults to "us-east-1". */
  region?: string;
  /** Functions whose invocation is refused as IAM would refuse it, for tests of that failure. */
  accessDenied?: string[];
  /**
   * Asked about every Invoke request as it arrived, signature included, before anything runs: an answer is sent back
   * as the refusal; `undefined` lets the invocation run. The local stack's IAM mode asks moto's IAM this way.
   */
  authorize?: (request: SignedRequest) => Promise<Refusal | undefined>;
  /** The account in function ARNs; defaults to 000000000000 (the local stack passes moto's). */
  accountId?: string;
  /** Called once per answered invocation, for measurements; nothing is recorded without it. */
  onInvocation?: (record: InvocationRecord) => void;
}

/** An HTTP request as a client signed it. */
export interface SignedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** An HTTP answer refusing a request. */
export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One answered invocation: from the request's arrival to its answer, so queueing and cold starts count. */
export interface InvocationRecord {
  functionName: string;
  requestId: string;
  /** `performance.now()` at arrival and at the answer, in milliseconds. */
  start: number;
  end: number;
  ok: boolean;
}

/** A running local Lambda endpoint. */
export interface LambdaServer {
  url: string;
  port: number;
  /** Kills every worker and closes the server. */
  stop(): Promise<void>;
  /** Everything the function's workers wrote so far. */
  output(functionName: string): { stdout: string; stderr: string };
  /** Output of all functions, interleaved in arrival order. */
  allOutput(): string;
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: LambdaErrorBody };

interface Invocation {
  requestId: string;
  event: unknown;
  invokedFunctionArn: string;
  settle(outcome: Outcome): void;
}

interface Worker {
  /** Set once the sandbox's process and Runtime API exist. */
  sandbox?: RuntimeSandbox;
  /** Settles once {@link Worker.sandbox} is set, or failed to be. */
  starting: Promise<void>;
  state: "starting" | "idle" | "busy";
  current?: Invocation;
  timer?: NodeJS.Timeout;
}

const DEFAULT_ACCOUNT_ID = "000000000000";
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
// Matches the AWS init phase limit: a bundle that hangs while loading must not hang the caller.
const INIT_TIMEOUT_MS = 10_000;


/** Warm sandboxes of one function, the queue in front of them and their captured output. */
class FunctionPool {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  private readonly workers = new Set<Worker>();
  private readonly queue: Invocation[] = [];
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly config: LocalFunctionConfig,
    private readonly client: RuntimeClient,
    private readonly maxWorkers: number,
    private readonly region: string,
    private readonly onOutput: (text: string) => void,
  ) {}

  invoke(event: unknown, invokedFunctionArn: string, requestId: string): Promise<Outcome> {
    return new Promise((resolve) => {
      this.queue.push({ requestId, event, invokedFunctionArn, settle: resolve });
      this.dispatch();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const invocation of this.queue.splice(0)) {
      invocation.settle({ ok: false, error: { errorType: "ServiceException", errorMessage: "local Lambda server stopped" } });
    }
    const workers = [...this.workers];
    const starting = workers.map((worker) => worker.starting);
    for (const worker of workers) this.retire(worker);
    // A sandbox still starting is retired once it exists; wait for it and for every process to be gone.
    await Promise.all(starting);
    await Promise.all(workers.map((worker) => worker.sandbox?.closed));
  }

  private dispatch(): void {
    while (!this.stopped && this.queue.length > 0) {
      const idle = [...this.workers].find((worker) => worker.state === "idle");
      if (idle) this.run(idle, this.queue.shift()!);
      else if (this.workers.size < this.maxWorkers) this.spawn(this.queue.shift()!);
      else return;
    }
  }

  /** Starts a cold sandbox that takes `invocation` as soon as the runtime client has loaded the handler. */
  private spawn(invocation: Invocation): void {
    const worker: Worker = { state: "starting", current: invocation, starting: Promise.resolve() };
    this.workers.add(worker);
    const spec = {
      functionName: this.name,
      bundle: this.config.bundle,
      handler: this.config.handler ?? "handler",
      env: this.config.env ?? {},
      region: this.region,
      memoryMb: this.config.memoryMb ?? 128,
    };
    worker.starting = RuntimeSandbox.start(spec, this.client, {
      ready: () => this.onReady(worker),
      settled: (requestId, outcome) => this.onSettled(worker, requestId, outcome),
      initError: (error) => this.fail(worker, error),
      exit: (code, signal) => this.onExit(worker, code, signal),
      output: (stream, text) => this.capture(stream === "stdout" ? this.stdout : this.stderr, text),
    }).then(
      (sandbox) => {
        worker.sandbox = sandbox;
        if (!this.workers.has(worker)) sandbox.kill();
      },
      (error: Error) => this.fail(worker, { errorType: "ServiceException", errorMessage: `could not start a sandbox: ${error.message}` }),
    );
    worker.timer = setTimeout(() => {
      this.fail(worker, { errorType: "Runtime.InitTimeout", errorMessage: `init did not finish within ${INIT_TIMEOUT_MS / 1000} seconds` });
    }, INIT_TIMEOUT_MS);
  }

  private onReady(worker: Worker): void {
    if (worker.state !== "starting" || !worker.current) return;
    clearTimeout(worker.timer);
    this.run(worker, worker.current);
  }

  private run(worker: Worker, invocation: Invocation): void {
    const timeoutMs = this.config.timeoutMs ?? 30_000;
    worker.state = "busy";
    worker.current = invocation;
    worker.sandbox!.invoke({ requestId: invocation.requestId, event: invocation.event, invokedFunctionArn: invocation.invokedFunctionArn, deadline: Date.now() + timeoutMs });
    worker.timer = setTimeout(() => {
      const seconds = (timeoutMs / 1000).toFixed(2);
      this.fail(worker, {
        errorType: "Sandbox.Timedout",
        errorMessage: `${new Date().toISOString()} ${invocation.requestId} Task timed out after ${seconds} seconds`,
      });
    }, timeoutMs);
  }

  private onSettled(worker: Worker, requestId: string, outcome: Outcome): void {
    const invocation = worker.current;
    if (!invocation || requestId !== invocation.requestId || !this.workers.has(worker)) return;
    clearTimeout(worker.timer);
    worker.current = undefined;
    worker.state = "idle";
    invocation.settle(outcome);
    this.dispatch();
  }

  private onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.workers.has(worker)) return;
    const status = signal ? `signal: ${signal === "SIGKILL" ? "killed" : signal}` : `exit status ${code}`;
    const requestId = worker.current?.requestId ?? "";
    this.fail(worker, { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${status}` });
  }

  /** Answers the worker's invocation (if any) with `error` and replaces the worker by killing it. */
  private fail(worker: Worker, error: LambdaErrorBody): void {
    if (!this.workers.has(worker)) return;
    const invocation = worker.current;
    this.retire(worker);
    invocation?.settle({ ok: false, error });
    this.dispatch();
  }

  private retire(worker: Worker): void {
    clearTimeout(worker.timer);
    worker.current = undefined;
    this.workers.delete(worker);
    worker.sandbox?.kill();
  }

  private capture(into: string[], text: string): void {
    into.push(text);
    this.onOutput(text);
  }
}

function sendJson(res: http.ServerResponse, status: number, headers: Record<string, string>, body?: unknown): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Accepts a bare name, `name:qualifier`, a full ARN or a partial ARN (`acct:function:name`). */
function functionNameOf(identifier: string): string {
  const arn = /(?:^|:)function:([^:]+)/.exec(identifier);
  return arn ? arn[1] : identifier.split(":")[0];
}

/**
 * AWS's runtime client for Node.js (scripts/ensure-ric.sh) on the Node.js of Lambda's nodejs24.x runtime
 * (scripts/ensure-node.sh): aws-lambda-ric needs Node.js 22 or later, whatever runs the tests.
 */
export function defaultRuntimeClient(): RuntimeClient {
  return { node: path.join(ensureTool("node"), "node"), entry: path.join(ensureTool("ric"), "index.mjs") };
}

/** Starts the local Lambda endpoint; workers start lazily on the first invocation of each function. */
export async function startLambdaServer(options: LambdaServerOptions): Promise<LambdaServer> {
  const region = options.region ?? "us-east-1";
  const client = options.runtimeClient ?? defaultRuntimeClient();
  const everything: string[] = [];
  const pools = new Map<string, FunctionPool>();
  for (const [name, config] of Object.entries(options.functions)) {
    const pool = new FunctionPool(name, config, client, options.maxWorkersPerFunction ?? 8, region, (text) => everything.push(text));
    pools.set(name, pool);
  }
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const functionArn = (name: string): string => `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  const record = (functionName: string, requestId: string, start: number, outcome: Outcome): void =>
    options.onInvocation?.({ functionName, requestId, start, end: performance.now(), ok: outcome.ok });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrived = performance.now();
    const requestId = randomUUID();
    const idHeader = { "x-amzn-RequestId": requestId };
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = INVOKE_PATH.exec(url.pathname);
    const raw = await readBody(req);
    const body = raw.toString("utf8");
    if (req.method !== "POST" || !route) {
      sendJson(res, 404, { ...idHeader, "x-amzn-ErrorType": "UnknownOperationException" }, { Type: "User", message: "Unknown operation" });
      return;
    }
    const refusal = await options.authorize?.({ method: req.method, path: req.url ?? "/", headers: req.headers, body: raw });
    if (refusal) {
      res.writeHead(refusal.status, { ...refusal.headers, ...idHeader, "Content-Length": Buffer.byteLength(refusal.body) });
      res.end(refusal.body);
      return;
    }
    let identifier: string;
    try {
      identifier = decodeURIComponent(route[1]);
    } catch {
      identifier = route[1];
    }
    const name = functionNameOf(identifier);
    if (options.accessDenied?.includes(name)) {
      sendJson(res, 403, { ...idHeader, "x-amzn-ErrorType": "AccessDeniedException" }, {
        Message: `User: arn:aws:iam::${accountId}:user/local is not authorized to perform: lambda:InvokeFunction on resource: ${functionArn(name)}`,
      });
      return;
    }
    const pool = pools.get(name);
    if (!pool) {
      // The SDK maps x-amzn-ErrorType to the exception class, so callers can test err.name.
      sendJson(res, 404, { ...idHeader, "x-amzn-ErrorType": "ResourceNotFoundException" }, {
        Type: "User",
        message: `Function not found: ${functionArn(name)}`,
      });
      return;
    }
    let event: unknown = {};
    if (body.trim() !== "") {
      try {
        event = JSON.parse(body);
      } catch (error) {
        sendJson(res, 400, { ...idHeader, "x-amzn-ErrorType": "InvalidRequestContentException" }, {
          Type: "User",
          message: `Could not parse request body into json: ${(error as Error).message}`,
        });
        return;
      }
    }
    const qualifier = url.searchParams.get("Qualifier");
    const invokedFunctionArn = identifier.startsWith("arn:")
      ? identifier
      : functionArn(name) + (qualifier ? `:${qualifier}` : "");
    const invocationType = String(req.headers["x-amz-invocation-type"] ?? "RequestResponse");
    if (invocationType === "DryRun") {
      sendJson(res, 204, idHeader);
      return;
    }
    if (invocationType === "Event") {
      sendJson(res, 202, idHeader);
      // Nobody waits for the answer: a failure is in the function's log, as the runtime client wrote it.
      void pool.invoke(event, invokedFunctionArn, requestId).then((outcome) => record(name, requestId, arrived, outcome));
      return;
    }
    const outcome = await pool.invoke(event, invokedFunctionArn, requestId);
    record(name, requestId, arrived, outcome);
    const headers = { ...idHeader, "X-Amz-Executed-Version": "$LATEST" };
    if (outcome.ok) sendJson(res, 200, headers, outcome.result ?? null);
    else sendJson(res, 200, { ...headers, "X-Amz-Function-Error": "Unhandled" }, outcome.error);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { "x-amzn-ErrorType": "ServiceException" }, { Type: "Server", message: error.message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...pools.values()].map((pool) => pool.stop()));
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
        await closed;
      })();
      return stopping;
    },
    output(functionName) {
      const pool = pools.get(functionName);
      return { stdout: pool?.stdout.join("") ?? "", stderr: pool?.stderr.join("") ?? "" };
    },
    allOutput: () => everything.join(""),
  };
}
