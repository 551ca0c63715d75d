import http from "node:http";
import type { AddressInfo } from "node:net";

/** How the fake answers one invocation: a payload (and a function-error marker), or nothing at all. */
export type FakeAnswer = { payload: string; functionError?: string } | { hang: true };

/** One invocation the fake received. */
export interface FakeInvocation {
  functionName: string;
  event: unknown;
}

/** A local HTTP server speaking the Lambda Invoke API, whose functions answer whatever a test tells them to. */
export interface FakeLambdaEndpoint {
  url: string;
  invocations: FakeInvocation[];
  /** Makes `functionName` answer with `answer`, or with what `answer` returns for the event. */
  define(functionName: string, answer: FakeAnswer | ((event: any) => FakeAnswer)): void;
  /** Closes the server, and the connections of invocations it never answered. */
  stop(): Promise<void>;
}

/** An answer whose payload is `value` as JSON, as a function returning it would give. */
export function answering(value: unknown): FakeAnswer {
  return { payload: JSON.stringify(value) };
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

/**
 * Starts the fake on a free port. Unknown functions get Lambda's ResourceNotFoundException; any other request (an STS
 * call of the provider, say) gets a 404 at once, so nothing waits on a network that is not there.
 */
export async function startFakeLambdaEndpoint(): Promise<FakeLambdaEndpoint> {
  const answers = new Map<string, FakeAnswer | ((event: unknown) => FakeAnswer)>();
  const invocations: FakeInvocation[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = req.method === "POST" ? INVOKE_PATH.exec(req.url ?? "") : null;
    if (!match) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not here");
      return;
    }
    const functionName = decodeURIComponent(match[1]);
    const text = Buffer.concat(chunks).toString("utf8");
    const event = text ? JSON.parse(text) : undefined;
    invocations.push({ functionName, event });
    const defined = answers.get(functionName);
    if (!defined) {
      const body = JSON.stringify({ Type: "User", message: `Function not found: ${functionName}` });
      res.writeHead(404, { "Content-Type": "application/json", "x-amzn-ErrorType": "ResourceNotFoundException" }).end(body);
      return;
    }
    const answer = typeof defined === "function" ? defined(event) : defined;
    // Never answered: the connection stays open until the client gives up or the fake stops.
    if ("hang" in answer) return;
    const headers: Record<string, string> = { "Content-Type": "application/json", "X-Amz-Executed-Version": "$LATEST" };
    if (answer.functionError) headers["X-Amz-Function-Error"] = answer.functionError;
    res.writeHead(200, headers).end(answer.payload);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    define: (functionName, answer) => void answers.set(functionName, answer),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
