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
  const forward = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) =>
    new Promise<void>((done) => {
      // The Host header stays the one the client signed: moto checks signatures in IAM mode.
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on("end", () => done());
        },
      );
      upstream.on("error", (error) => {
        res.writeHead(502, { "content-type": "application/x-amz-json-1.0" });
        res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb#InternalServerError", message: `moto unreachable: ${error.message}` }));
        done();
      });
      upstream.end(body);
    });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
      if (!WRITES.has(operation)) return void forward(req, body, res);
      const turn = queue.then(() => forward(req, body, res));
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
