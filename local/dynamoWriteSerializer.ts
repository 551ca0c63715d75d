import http from "node:http";
import type { AddressInfo } from "node:net";

/** DynamoDB operations that change items: moto must see them one at a time. */
const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);

/** A running proxy in front of moto's DynamoDB. */
export interface DynamoWriteSerializer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Forwards DynamoDB requests to moto, one write at a time. moto 5.2 deep-copies a whole table for every
 * TransactWriteItems and restores that copy when a condition fails, so concurrent writes there fail with "dictionary
 * changed size during iteration" or undo each other. DynamoDB itself serializes conflicting writes; this makes the
 * emulation do the same, while reads still run in parallel.
 */
export async function startDynamoWriteSerializer(motoUrl: string): Promise<DynamoWriteSerializer> {
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
          res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb#InternalServerError", message: `moto unreachable: ${error.message}` }));
        }
        done();
      });
      upstream.end(body);
    });
  const server = http.createServer((req, res) => {
    let gone = false;
    res.on("close", () => {
      if (!res.writableFinished) gone = true;
    });
    const clientGone = () => gone || res.destroyed;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
      if (!WRITES.has(operation)) return void forward(req, body, res, clientGone);
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
