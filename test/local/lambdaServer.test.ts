import { InvocationType, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { InvocationRecord, LambdaServer, startLambdaServer } from "../../local/lambdaServer";

const repo = path.join(__dirname, "..", "..");
const echoBundle = path.join(repo, "test", "fixtures", "echoHandler.js");
const brokenBundle = path.join(repo, "test", "fixtures", "brokenHandler.js");

interface Invoked {
  status?: number;
  functionError?: string;
  executedVersion?: string;
  requestId?: string;
  payload: any;
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let tmp: string;
let server: LambdaServer;
let client: LambdaClient;

async function invoke(
  functionName: string,
  event: unknown,
  extra: { InvocationType?: InvocationType; Qualifier?: string; client?: LambdaClient } = {},
): Promise<Invoked> {
  const { client: via = client, ...params } = extra;
  const out = await via.send(
    new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)), ...params }),
  );
  const text = out.Payload ? Buffer.from(out.Payload).toString("utf8") : "";
  return {
    status: out.StatusCode,
    functionError: out.FunctionError,
    executedVersion: out.ExecutedVersion,
    requestId: out.$metadata.requestId,
    payload: text ? JSON.parse(text) : undefined,
  };
}

function clientFor(url: string): LambdaClient {
  return new LambdaClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-server-test-"));
  const fn = (extra: object = {}) => ({ bundle: echoBundle, ...extra });
  server = await startLambdaServer({
    functions: {
      echo: fn(),
      greeter: fn({ handler: "greet" }),
      alpha: fn({ env: { GREETING: "from alpha" } }),
      beta: fn({ env: { GREETING: "from beta" } }),
      counter: fn(),
      failing: fn(),
      slow: fn({ timeoutMs: 500 }),
      crashing: fn(),
      logger: fn(),
      parallel: fn(),
      broken: { bundle: brokenBundle },
      missing: { bundle: path.join(tmp, "missing.js") },
      unexported: fn({ handler: "nope" }),
    },
  });
  client = clientFor(server.url);
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the local Lambda server", () => {
  it("returns the handler's result to a real LambdaClient", async () => {
    const result = await invoke("echo", { action: "echo", value: 42 });
    expect(result.status).toBe(200);
    expect(result.functionError).toBeUndefined();
    expect(result.executedVersion).toBe("$LATEST");
    expect(result.payload).toMatchObject({
      event: { action: "echo", value: 42 },
      awsRequestId: result.requestId,
      functionName: "echo",
      invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:echo",
    });
    expect(result.payload.remainingMs).toBeGreaterThan(25_000);
    expect(result.payload.remainingMs).toBeLessThanOrEqual(30_000);
  });

  it("runs the handler under AWS's runtime client, on the Node.js of the nodejs24.x runtime, resolving <module>.<export> in its task root", async () => {
    expect((await invoke("echo", { action: "echo" })).payload.nodeVersion).toMatch(/^v24\./);
    expect((await invoke("echo", { action: "env", name: "_HANDLER" })).payload.value).toBe("echoHandler.handler");
    expect((await invoke("echo", { action: "env", name: "LAMBDA_TASK_ROOT" })).payload.value).toBe(path.dirname(echoBundle));
    expect((await invoke("echo", { action: "env", name: "AWS_LAMBDA_RUNTIME_API" })).payload.value).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("accepts a full ARN with a qualifier as the function name", async () => {
    const arn = "arn:aws:lambda:us-east-1:000000000000:function:echo";
    const result = await invoke(arn, { action: "echo" }, { Qualifier: "$LATEST" });
    expect(result.functionError).toBeUndefined();
    expect(result.payload.invokedFunctionArn).toBe(arn);
  });

  it("calls the export named by the handler option", async () => {
    expect((await invoke("greeter", { name: "Ada" })).payload).toEqual({ greeting: "hello Ada" });
  });

  it("answers null when the handler returns nothing", async () => {
    expect((await invoke("logger", { action: "log", stdout: "", stderr: "" })).payload).toBeNull();
  });

  it("keeps module scope alive between invocations on a warm worker", async () => {
    const first = await invoke("counter", { action: "count" });
    const second = await invoke("counter", { action: "count" });
    expect(second.payload.count).toBe(first.payload.count + 1);
    expect(second.payload.pid).toBe(first.payload.pid);
  });

  it("gives each function its own environment and nothing of the parent's", async () => {
    process.env.LAMBDA_SERVER_TEST_PARENT_ONLY = "leaked";
    try {
      expect((await invoke("alpha", { action: "env", name: "GREETING" })).payload.value).toBe("from alpha");
      expect((await invoke("beta", { action: "env", name: "GREETING" })).payload.value).toBe("from beta");
      expect((await invoke("beta", { action: "env", name: "AWS_LAMBDA_FUNCTION_NAME" })).payload.value).toBe("beta");
      expect((await invoke("beta", { action: "env", name: "LAMBDA_SERVER_TEST_PARENT_ONLY" })).payload.value).toBeNull();
      expect((await invoke("beta", { action: "env", name: "NODE_OPTIONS" })).payload.value).toBeNull();
    } finally {
      delete process.env.LAMBDA_SERVER_TEST_PARENT_ONLY;
    }
  });

  it("reports a thrown error as an Unhandled function error", async () => {
    const result = await invoke("failing", { action: "throw", message: "bad input" });
    expect(result.status).toBe(200);
    expect(result.functionError).toBe("Unhandled");
    expect(result.payload).toMatchObject({ errorType: "TypeError", errorMessage: "bad input" });
    expect(result.payload.trace[0]).toBe("TypeError: bad input");
  });

  it("kills a worker that runs past its timeout and serves the next call from a fresh one", async () => {
    const before = await invoke("slow", { action: "count" });
    const timedOut = await invoke("slow", { action: "sleep", ms: 10_000 });
    expect(timedOut.functionError).toBe("Unhandled");
    expect(timedOut.payload.errorType).toBe("Sandbox.Timedout");
    expect(timedOut.payload.errorMessage).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z ${timedOut.requestId} Task timed out after 0\\.50 seconds$`),
    );
    const after = await invoke("slow", { action: "count" });
    expect(after.functionError).toBeUndefined();
    expect(after.payload.count).toBe(1);
    expect(after.payload.pid).not.toBe(before.payload.pid);
  });

  it("reports a worker that exits mid-invocation as Runtime.ExitError and replaces it", async () => {
    const before = await invoke("crashing", { action: "count" });
    const crashed = await invoke("crashing", { action: "crash", code: 3 });
    expect(crashed.functionError).toBe("Unhandled");
    expect(crashed.payload.errorType).toBe("Runtime.ExitError");
    expect(crashed.payload.errorMessage).toBe(`RequestId: ${crashed.requestId} Error: Runtime exited with error: exit status 3`);
    const after = await invoke("crashing", { action: "count" });
    expect(after.payload.count).toBe(1);
    expect(after.payload.pid).not.toBe(before.payload.pid);
  });

  it("reports a handler whose promise never settles, with nothing left to wait for, as the runtime exiting", async () => {
    const abandoned = await invoke("crashing", { action: "abandon" });
    expect(abandoned.functionError).toBe("Unhandled");
    expect(abandoned.payload).toMatchObject({ errorType: "Runtime.ExitError", errorMessage: `RequestId: ${abandoned.requestId} Error: Runtime exited with error: exit status 0` });
  });

  it("reports a bundle that fails to load, a missing module and a missing export as the runtime client reports them", async () => {
    const broken = await invoke("broken", {});
    expect(broken.functionError).toBe("Unhandled");
    expect(broken.payload).toMatchObject({ errorType: "RangeError", errorMessage: "cannot initialise" });
    expect(broken.payload.trace[0]).toBe("RangeError: cannot initialise");
    const missing = await invoke("missing", {});
    expect(missing.functionError).toBe("Unhandled");
    expect(missing.payload).toMatchObject({ errorType: "Runtime.ImportModuleError", errorMessage: expect.stringMatching(/^Error: Cannot find module 'missing'/) });
    const unexported = await invoke("unexported", {});
    expect(unexported.payload).toMatchObject({ errorType: "Runtime.HandlerNotFound", errorMessage: "echoHandler.nope is undefined or not exported" });
    expect(server.output("unexported").stdout).toMatch(/\tERROR\tInit Error \t\{"errorType":"Runtime.HandlerNotFound"/);
  });

  it("rejects an unknown function with ResourceNotFoundException", async () => {
    const call = invoke("nobody", {});
    await expect(call).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nobody",
      $metadata: { httpStatusCode: 404 },
    });
  });

  it("captures what functions write, as the runtime client writes it: console lines with request id and level, raw stderr apart", async () => {
    const { requestId } = await invoke("logger", { action: "log", stdout: "to-stdout-7f3a", stderr: "to-console-error-7f3a", raw: "to-stderr-7f3a" });
    // The pipes and the Runtime API are separate channels, so the output may trail the response a little.
    await eventually(() => server.output("logger").stderr.includes("to-stderr-7f3a"));
    await eventually(() => server.output("logger").stdout.includes("to-console-error-7f3a"));
    const stdout = server.output("logger").stdout;
    expect(stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z\\t${requestId}\\tINFO\\tto-stdout-7f3a$`, "m"));
    expect(stdout).toMatch(new RegExp(`\\t${requestId}\\tERROR\\tto-console-error-7f3a$`, "m"));
    expect(stdout).not.toContain("to-stderr-7f3a");
    expect(server.allOutput()).toContain("to-stderr-7f3a");
    expect(server.output("nobody")).toEqual({ stdout: "", stderr: "" });
  });

  it("runs concurrent invocations in parallel on separate workers", async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => invoke("parallel", { action: "sleep", ms: 1000 })));
    const runs = results.map((result) => result.payload as { startedAt: number; endedAt: number; pid: number });
    expect(new Set(runs.map((run) => run.pid)).size).toBe(4);
    // Every run started before any finished, so all four overlapped.
    expect(Math.max(...runs.map((run) => run.startedAt))).toBeLessThan(Math.min(...runs.map((run) => run.endedAt)));
  });

  it("acknowledges an Event invocation with 202 and runs it in the background", async () => {
    const result = await invoke("logger", { action: "log", stdout: "event-run-91c2", stderr: "" }, { InvocationType: "Event" });
    expect(result.status).toBe(202);
    await eventually(() => server.output("logger").stdout.includes("event-run-91c2"));
  });

  it("logs the error of a failed Event invocation, as the runtime client logs every invocation error", async () => {
    const result = await invoke("logger", { action: "throw", message: "nobody-listens-3b7e" }, { InvocationType: "Event" });
    expect(result.status).toBe(202);
    await eventually(() => server.output("logger").stdout.includes("nobody-listens-3b7e"));
    expect(server.output("logger").stdout).toMatch(new RegExp(`\\t${result.requestId}\\tERROR\\tInvoke Error \\t\\{"errorType":"TypeError","errorMessage":"nobody-listens-3b7e"`));
  });

  it("answers a DryRun with 204 without running the handler", async () => {
    const result = await invoke("logger", { action: "log", stdout: "dry-run-5d0e", stderr: "" }, { InvocationType: "DryRun" });
    expect(result.status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.output("logger").stdout).not.toContain("dry-run-5d0e");
  });

});

describe("a local Lambda server with one worker per function", () => {
  let single: LambdaServer;
  let singleClient: LambdaClient;

  beforeAll(async () => {
    single = await startLambdaServer({ maxWorkersPerFunction: 1, functions: { queued: { bundle: echoBundle } } });
    singleClient = clientFor(single.url);
  });

  afterAll(async () => {
    singleClient?.destroy();
    await single?.stop();
  });

  it("queues invocations beyond the limit and runs them one after another", async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => invoke("queued", { action: "sleep", ms: 150 }, { client: singleClient })),
    );
    const runs = results
      .map((result) => result.payload as { startedAt: number; endedAt: number; pid: number })
      .sort((a, b) => a.startedAt - b.startedAt);
    expect(new Set(runs.map((run) => run.pid)).size).toBe(1);
    for (let i = 1; i < runs.length; i++) expect(runs[i].startedAt).toBeGreaterThanOrEqual(runs[i - 1].endedAt);
  });

  it("stops with no workers left running", async () => {
    const { payload } = await invoke("queued", { action: "count" }, { client: singleClient });
    await single.stop();
    expect(() => process.kill(payload.pid, 0)).toThrow();
  });
});

describe("a local Lambda server asked to record invocations", () => {
  const records: InvocationRecord[] = [];
  let recording: LambdaServer;
  let recordingClient: LambdaClient;

  beforeAll(async () => {
    recording = await startLambdaServer({
      maxWorkersPerFunction: 1,
      functions: { timed: { bundle: echoBundle } },
      onInvocation: (record) => records.push(record),
    });
    recordingClient = clientFor(recording.url);
  });

  afterAll(async () => {
    recordingClient?.destroy();
    await recording?.stop();
  });

  it("reports each answered invocation with its function, request id, outcome and duration", async () => {
    records.length = 0;
    const slept = await invoke("timed", { action: "sleep", ms: 120 }, { client: recordingClient });
    const failed = await invoke("timed", { action: "throw", message: "recorded" }, { client: recordingClient });
    expect(records.map(({ functionName, requestId, ok }) => ({ functionName, requestId, ok }))).toEqual([
      { functionName: "timed", requestId: slept.requestId, ok: true },
      { functionName: "timed", requestId: failed.requestId, ok: false },
    ]);
    // The record spans the handler's own run, as the handler itself timed it (to the millisecond Date.now gives).
    const ran = slept.payload as { startedAt: number; endedAt: number };
    expect(records[0].end - records[0].start).toBeGreaterThanOrEqual(ran.endedAt - ran.startedAt - 1);
  });

  it("counts the time an invocation waited for a busy worker", async () => {
    records.length = 0;
    const results = await Promise.all([1, 2].map(() => invoke("timed", { action: "sleep", ms: 150 }, { client: recordingClient })));
    const runs = results.map((result) => result.payload as { startedAt: number; endedAt: number });
    const durations = records.map((record) => record.end - record.start).sort((a, b) => a - b);
    // One worker: the later answer waited for the first run, so its record spans both runs.
    expect(durations[1]).toBeGreaterThanOrEqual(runs.reduce((sum, run) => sum + (run.endedAt - run.startedAt - 1), 0));
  });
});
