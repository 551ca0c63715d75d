import { VerifyCode, type VerifyResult } from "../../contract";
import type { Backend } from "../Backend";
import { log } from "../log";
import { verifyKey } from "./verifyKey";

type Headers = Record<string, unknown>;

/** An API Gateway Lambda authorizer event: HTTP API (payload 2.0 or 1.0) or REST API, REQUEST or TOKEN. */
interface AuthorizerEvent {
  type: "REQUEST" | "TOKEN";
  /** Payload version of an HTTP API: "2.0" answers the simple response, "1.0" an IAM policy. REST API sends none. */
  version?: string;
  /** The route of an HTTP API payload 2.0 event. */
  routeArn?: string;
  /** The method of a REST API (or HTTP API payload 1.0) event: what an IAM policy answer allows or denies. */
  methodArn?: string;
  /** REQUEST events: `null` when the request had none. */
  headers?: Headers | null;
  /** TOKEN events: the value of the authorizer's identity source header. */
  authorizationToken?: string;
}

/** The simple response of an HTTP API (payload 2.0) Lambda authorizer. */
export interface AuthorizerResponse {
  isAuthorized: boolean;
  context: Record<string, string>;
}

/** The IAM policy answer of a REST API (or HTTP API payload 1.0) Lambda authorizer. */
export interface PolicyResponse {
  /** The keyId of a known key; "anonymous" when there is none. */
  principalId: string;
  policyDocument: {
    Version: "2012-10-17";
    Statement: [{ Action: "execute-api:Invoke"; Effect: "Allow" | "Deny"; Resource: string }];
  };
  context: Record<string, string>;
}

/** Whatever verify answers: a VerifyResult to a direct call, an authorizer response to API Gateway. */
export type VerifyAnswer = VerifyResult | AuthorizerResponse | PolicyResponse;

function isAuthorizerEvent(event: unknown): event is AuthorizerEvent {
  const type = typeof event === "object" && event !== null ? (event as { type?: unknown }).type : undefined;
  return type === "REQUEST" || type === "TOKEN";
}

/** The key a bearer credential carries: `Bearer <key>`, or (for a TOKEN authorizer's header) the bare key. */
function bearer(value: unknown, bare: boolean): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  if (match) return match[1];
  return bare && value.trim() ? value.trim() : undefined;
}

/**
 * The key from `x-api-key`, or from `Authorization: Bearer <key>`. HTTP API lower-cases header names, REST API keeps
 * them as sent, so names are matched in any case; headers that are absent or `null` carry no key.
 */
export function keyFromHeaders(headers: unknown): string | undefined {
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) return undefined;
  const byName = new Map(Object.entries(headers as Headers).map(([name, value]) => [name.toLowerCase(), value]));
  const apiKey = byName.get("x-api-key");
  if (typeof apiKey === "string" && apiKey.trim()) return apiKey.trim();
  return bearer(byName.get("authorization"), false);
}

/** What an authorizer passes on to the integration: the code always, the key's details when it is valid. */
function authorizerContext(result: VerifyResult): Record<string, string> {
  if (!result.valid) return { code: result.code, ...(result.keyId ? { keyId: result.keyId } : {}) };
  return { code: result.code, keyId: result.keyId, name: result.name, scopes: result.scopes.join(" "), metadata: JSON.stringify(result.metadata) };
}

function simpleResponse(result: VerifyResult): AuthorizerResponse {
  if (!result.valid) return { isAuthorized: false, context: { code: result.code } };
  return { isAuthorized: true, context: authorizerContext(result) };
}

/** Allows exactly the method asked about for a valid key, denies it otherwise; never a wildcard. */
function policyResponse(result: VerifyResult, methodArn: string): PolicyResponse {
  return {
    principalId: result.keyId ?? "anonymous",
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: result.valid ? "Allow" : "Deny", Resource: methodArn }] },
    context: authorizerContext(result),
  };
}

/** Refusals are logged (code and keyId, never the key); successes are not, so traffic does not become log volume. */
function logRefusal(result: VerifyResult): VerifyResult {
  if (!result.valid) log("warn", "key refused", { operation: "verify", code: result.code, keyId: result.keyId });
  return result;
}

const MALFORMED: VerifyResult = { valid: false, code: VerifyCode.MALFORMED };

/**
 * Answers whatever reaches the verify function: `{ key }` with a VerifyResult; an HTTP API payload 2.0 REQUEST
 * authorizer event with the simple response; a REST API TOKEN or REQUEST event (and HTTP API payload 1.0) with an IAM
 * policy on its methodArn. An event without a usable key is MALFORMED, never an error.
 */
export async function answerVerifyEvent(backend: Backend, event: unknown): Promise<VerifyAnswer> {
  if (!isAuthorizerEvent(event)) return logRefusal(await verifyKey(backend, event as { key: string }));
  const key = event.type === "TOKEN" ? bearer(event.authorizationToken, true) : keyFromHeaders(event.headers);
  const wantsPolicy = event.type === "TOKEN" || (event.version !== "2.0" && typeof event.methodArn === "string");
  if (wantsPolicy) {
    // Without a method there is nothing to allow: deny everything rather than guess.
    if (typeof event.methodArn !== "string" || !event.methodArn) return policyResponse(logRefusal(MALFORMED), "*");
    return policyResponse(logRefusal(key ? await verifyKey(backend, { key }) : MALFORMED), event.methodArn);
  }
  return simpleResponse(logRefusal(key ? await verifyKey(backend, { key }) : MALFORMED));
}
