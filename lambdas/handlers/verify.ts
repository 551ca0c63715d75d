import { VerifyCode, type VerifyResult } from "../../contract";
import { awsBackend } from "../Backend";
import { log } from "../log";
import { verifyKey } from "../operations/verifyKey";

/** The parts of an API Gateway HTTP API (payload 2.0) REQUEST authorizer event that verify reads. */
interface AuthorizerEvent {
  type: "REQUEST";
  routeArn?: string;
  headers?: Record<string, string | undefined>;
}

/** The simple response of an HTTP API Lambda authorizer. */
export interface AuthorizerResponse {
  isAuthorized: boolean;
  context: Record<string, string>;
}

function isAuthorizerEvent(event: unknown): event is AuthorizerEvent {
  return typeof event === "object" && event !== null && (event as { type?: unknown }).type === "REQUEST";
}

/** The key from `x-api-key`, or from `Authorization: Bearer <key>` (HTTP API lower-cases header names). */
export function keyFromHeaders(headers: Record<string, string | undefined> = {}): string | undefined {
  const apiKey = headers["x-api-key"];
  if (apiKey) return apiKey.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return match?.[1];
}

function authorizerResponse(result: VerifyResult): AuthorizerResponse {
  if (!result.valid) return { isAuthorized: false, context: { code: result.code } };
  return {
    isAuthorized: true,
    context: { code: result.code, keyId: result.keyId, name: result.name, scopes: result.scopes.join(" "), metadata: JSON.stringify(result.metadata) },
  };
}

/** Refusals are logged (code and keyId, never the key); successes are not, so traffic does not become log volume. */
function logRefusal(result: VerifyResult): void {
  if (!result.valid) log("warn", "key refused", { operation: "verify", code: result.code, keyId: result.keyId });
}

/** The verify Lambda: `{ key }` answers a VerifyResult; an HTTP API REQUEST authorizer event answers `{ isAuthorized, context }`. */
export async function handler(event: unknown): Promise<VerifyResult | AuthorizerResponse> {
  const backend = awsBackend();
  if (isAuthorizerEvent(event)) {
    const key = keyFromHeaders(event.headers);
    const result: VerifyResult = key ? await verifyKey(backend, { key }) : { valid: false, code: VerifyCode.MALFORMED };
    logRefusal(result);
    return authorizerResponse(result);
  }
  const result = await verifyKey(backend, event as { key: string });
  logRefusal(result);
  return result;
}
