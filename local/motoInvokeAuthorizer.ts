import http from "node:http";
import type { Refusal, SignedRequest } from "./lambdaServer";

/**
 * Asks moto's IAM whether a signed Lambda Invoke may run, by sending moto the request exactly as the caller signed
 * it. moto checks the signature and `lambda:InvokeFunction` on the function's ARN against the caller's policies
 * first, and then, hosting no function, answers ResourceNotFoundException: that answer means the caller was
 * allowed. Any other answer (AccessDeniedException, a bad signature) is the refusal, passed on as moto gave it.
 */
export function motoInvokeAuthorizer(motoUrl: string): (request: SignedRequest) => Promise<Refusal | undefined> {
  const target = new URL(motoUrl);
  return (request) =>
    new Promise((resolve, reject) => {
      const upstream = http.request(
        // Connection: close so no socket outlives the question; the Host header is the one the caller signed.
        { host: target.hostname, port: target.port, method: request.method, path: request.path, headers: { ...request.headers, connection: "close" } },
        (answer) => {
          let body = "";
          answer.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          answer.on("end", () => {
            const errorType = String(answer.headers["x-amzn-errortype"] ?? "");
            if (answer.statusCode === 404 && (errorType.startsWith("ResourceNotFoundException") || body.includes("ResourceNotFoundException"))) return resolve(undefined);
            const headers: Record<string, string> = { "Content-Type": String(answer.headers["content-type"] ?? "application/json") };
            if (errorType) headers["x-amzn-ErrorType"] = errorType;
            resolve({ status: answer.statusCode ?? 500, headers, body });
          });
        },
      );
      upstream.on("error", reject);
      upstream.end(request.body);
    });
}
