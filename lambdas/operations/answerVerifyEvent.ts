import { VerifyCode, type VerifyKeyRequest, type VerifyResult } from "../../contract";
import type { Backend } from "../Backend";
import { log } from "../log";
import { countVerification } from "../verifyMetrics";
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
  /** HTTP API payload 2.0: the matched route, "GET /orders/{id}". */
  routeKey?: string;
  /** REST API (and HTTP API payload 1.0) REQUEST events: the method and resource, which together name the route. */
  httpMethod?: string;
  resource?: string;
  /** Where the caller's address is: `http.sourceIp` in payload 2.0, `identity.sourceIp` in REST and payload 1.0. */
  requestContext?: { http?: { sourceIp?: unknown }; identity?: { sourceIp?: unknown } } | null;
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

/** The caller's address as API Gateway saw it; a TOKEN event carries none. */
function sourceIpOf(event: AuthorizerEvent): string | undefined {
  const context = event.requestContext;
  const address = context?.http?.sourceIp ?? context?.identity?.sourceIp;
  return typeof address === "string" ? address : undefined;
}

/** The route of the event, as the backend's route map names routes: its routeKey, or the REST method and resource. */
function routeOf(event: AuthorizerEvent): string | undefined {
  if (typeof event.routeKey === "string") return event.routeKey;
  return typeof event.httpMethod === "string" && typeof event.resource === "string" ? `${event.httpMethod} ${event.resource}` : undefined;
}

/** What verify is asked for an authorizer event: the key, the caller's address, and the scopes its route requires. */
function requestOf(backend: Backend, event: AuthorizerEvent, key: string): VerifyKeyRequest {
  const route = routeOf(event);
  const requiredScopes = route !== undefined && Object.hasOwn(backend.config.routeScopes, route) ? backend.config.routeScopes[route] : [];
  const sourceIp = sourceIpOf(event);
  return { key, requiredScopes, ...(sourceIp !== undefined ? { sourceIp } : {}) };
}

/** What an authorizer passes on to the integration: the code always, the key's details when it is valid. */
function authorizerContext(result: VerifyResult): Record<string, string> {
  if (!result.valid) {
    return { code: result.code, ...(result.keyId ? { keyId: result.keyId } : {}), ...(result.retryAfterSeconds !== undefined ? { retryAfterSeconds: String(result.retryAfterSeconds) } : {}) };
  }
  return { code: result.code, keyId: result.keyId, name: result.name, scopes: result.scopes.join(" "), metadata: JSON.stringify(result.metadata) };
}

function simpleResponse(result: VerifyResult): AuthorizerResponse {
  if (!result.valid) return { isAuthorized: false, context: { code: result.code, ...(result.retryAfterSeconds !== undefined ? { retryAfterSeconds: String(result.retryAfterSeconds) } : {}) } };
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

/**
 * Counts every answer in the usage metrics; logs refusals (code and keyId, never the key) but not successes, so
 * traffic becomes metrics rather than log volume.
 */
function reported(backend: Backend, result: VerifyResult): VerifyResult {
  countVerification(result, backend.config.serviceName);
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
  if (!isAuthorizerEvent(event)) return reported(backend, await verifyKey(backend, event as { key: string }));
  const key = event.type === "TOKEN" ? bearer(event.authorizationToken, true) : keyFromHeaders(event.headers);
  const wantsPolicy = event.type === "TOKEN" || (event.version !== "2.0" && typeof event.methodArn === "string");
  if (wantsPolicy) {
    // Without a method there is nothing to allow: deny everything rather than guess.
    if (typeof event.methodArn !== "string" || !event.methodArn) return policyResponse(reported(backend, MALFORMED), "*");
    return policyResponse(reported(backend, key ? await verifyKey(backend, requestOf(backend, event, key)) : MALFORMED), event.methodArn);
  }
  return simpleResponse(reported(backend, key ? await verifyKey(backend, requestOf(backend, event, key)) : MALFORMED));
}
