import http from "node:http";
import type { AddressInfo } from "node:net";

/** DynamoDB operations that change items: moto must see them one at a time. */
const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);

/** One AWS API call that reached moto through the front. */
export interface AwsCall {
  /** The signing name in the request's credential scope: `dynamodb`, `secretsmanager`, `kms`, `sts`, `iam`. */
  service: string;
  /** `X-Amz-Target`'s operation (JSON protocols), or the `Action` parameter (query protocols). */
  operation: string;
  /** Whose credentials signed it, as the Authorization header names them. */
  accessKeyId: string;
  /** `performance.now()` when the request arrived, in milliseconds. */
  at: number;
}

/** Options of {@link startMotoFront}. */
export interface MotoFrontOptions {
  /** Told about every request as it arrives; nothing is parsed for it without one. */
  onCall?: (call: AwsCall) => void;
}

/** A running front of moto. */
export interface MotoFront {
  url: string;
  stop(): Promise<void>;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/[^/]+\/[^/]+\/([^/]+)\//;

/** Service, operation and signer of a request, read from its headers and (for query protocols) its form body. */
export function describeCall(req: Pick<http.IncomingMessage, "headers" | "url">, body: Buffer, at: number): AwsCall {
  const [, accessKeyId = "", service = ""] = CREDENTIAL.exec(String(req.headers.authorization ?? "")) ?? [];
  const target = String(req.headers["x-amz-target"] ?? "");
  let operation = target.split(".").pop() ?? "";
  if (!operation) {
    const form = String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded") ? body.toString("utf8") : "";
    operation = new URLSearchParams(form).get("Action") ?? new URL(req.url ?? "/", "http://front").searchParams.get("Action") ?? "";
  }
  return { service, operation, accessKeyId, at };
}

function isDynamoWrite(req: http.IncomingMessage): boolean {
  const target = String(req.headers["x-amz-target"] ?? "");
  return target.startsWith("DynamoDB_") && WRITES.has(target.split(".").pop() ?? "");
}

/**
 * Forwards every request to moto, DynamoDB writes one at a time, and can report each call. moto 5.2 deep-copies a
 * whole table for every TransactWriteItems and restores that copy when a condition fails, so concurrent writes there
 * fail with "dictionary changed size during iteration" or undo each other. DynamoDB itself serializes conflicting
 * writes; this makes the emulation do the same, while reads and other services' calls still run in parallel. With
 * every client of the stack behind it, it sees every AWS call the functions make.
 */
export async function startMotoFront(motoUrl: string, options: MotoFrontOptions = {}): Promise<MotoFront> {
  const target = new URL(motoUrl);
  let queue: Promise<unknown> = Promise.resolve();
  /**
   * Settles once moto is done with the request, whether or not the client is still there to hear the answer: a write
   * that reached moto keeps the queue until moto has applied it, so writes never overlap there, and then it goes.
   */
  const forward = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, clientGone: () => boolean) =>
    new Promise<void>((done) => {
      // A client that went away while its write waited for its turn (a killed or timed-out Lambda worker) gets
      // nothing: its request never reaches moto, like a request lost on the way.
      if (clientGone()) return done();
      // The Host header stays the one the client signed: moto checks signatures in IAM mode.
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          answer.on("end", () => done());
          answer.on("error", () => done());
          // With nobody to answer, the answer is drained: a paused one would never end and would hold the queue.
          if (clientGone()) return void answer.resume();
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          // A client gone mid-answer makes the pipe let go of a paused answer: drain it too.
          res.on("close", () => answer.resume());
        },
      );
      upstream.on("error", (error) => {
        if (!res.headersSent && !clientGone()) {
          res.writeHead(502, { "content-type": "application/x-amz-json-1.0" });
          const type = String(req.headers["x-amz-target"] ?? "").startsWith("DynamoDB_") ? "com.amazonaws.dynamodb#InternalServerError" : "InternalFailure";
          res.end(JSON.stringify({ __type: type, message: `moto unreachable: ${error.message}` }));
        }
        done();
      });
      upstream.end(body);
    });
  const server = http.createServer((req, res) => {
    const arrived = performance.now();
    let gone = false;
    res.on("close", () => {
      if (!res.writableFinished) gone = true;
    });
    const clientGone = () => gone || res.destroyed;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      options.onCall?.(describeCall(req, body, arrived));
      if (!isDynamoWrite(req)) return void forward(req, body, res, clientGone);
      const turn = queue.then(() => forward(req, body, res, clientGone));
      queue = turn.catch(() => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
