import { BackendEnv, METRICS_NAMESPACE, VERIFICATIONS_METRIC } from "../../../contract";
import { useLocalStack } from "../../support/useLocalStack";
import { invoke } from "../../support/invoke";

// The verify function's route map, as the backend component configures it.
const ROUTE_SCOPES = { "GET /orders/{id}": ["orders:read"], "DELETE /orders/{id}": ["orders:admin"] };
const aws = useLocalStack({ functionEnv: { [BackendEnv.ROUTE_SCOPES]: JSON.stringify(ROUTE_SCOPES) } });
let key: string;
let keyId: string;
let inactiveKey: string;
let inactiveKeyId: string;

beforeAll(async () => {
  const { payload } = await invoke(aws.stack, "create", { name: "Gateway client", scopes: ["orders:read", "orders:write"], metadata: { tier: "gold" } });
  keyId = payload.result.keyId;
  key = await aws.plaintextOf(payload.result.secretArn);
  const inactive = await invoke(aws.stack, "create", { name: "Paused client", status: "inactive" });
  inactiveKeyId = inactive.payload.result.keyId;
  inactiveKey = await aws.plaintextOf(inactive.payload.result.secretArn);
});

const METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/orders";

/** A REST API (v1) TOKEN authorizer event: the identity source header's value in authorizationToken. */
function tokenEvent(authorizationToken: string | undefined) {
  return { type: "TOKEN", authorizationToken, methodArn: METHOD_ARN };
}

/** A REST API (v1) REQUEST authorizer event: headers as the client sent them, not lower-cased. */
function restRequestEvent(headers: Record<string, string> | null) {
  return { type: "REQUEST", methodArn: METHOD_ARN, resource: "/orders", path: "/orders", httpMethod: "GET", headers, multiValueHeaders: null };
}

/** The IAM policy answer a REST API authorizer must give. */
function policy(effect: "Allow" | "Deny", principalId: string, context: Record<string, string>, resource = METHOD_ARN) {
  return { principalId, policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] }, context };
}

function authorizerEvent(headers: Record<string, string>) {
  return { version: "2.0", type: "REQUEST", routeArn: "arn:aws:execute-api:us-east-1:123456789012:api/$default/GET/orders", headers };
}

describe("the verify Lambda", () => {
  it("answers a direct call with the verify result", async () => {
    const { payload } = await invoke(aws.stack, "verify", { key });
    expect(payload).toEqual({ valid: true, code: "VALID", keyId, name: "Gateway client", scopes: ["orders:read", "orders:write"], metadata: { tier: "gold" } });
  });

  it("answers a direct call for a bad key with a code, not an error", async () => {
    expect(await invoke(aws.stack, "verify", { key: "ak_nope" })).toEqual({ payload: { valid: false, code: "MALFORMED" }, functionError: undefined });
  });

  it("authorizes an HTTP API request carrying the key in x-api-key", async () => {
    const { payload } = await invoke(aws.stack, "verify", authorizerEvent({ "x-api-key": key }));
    expect(payload).toEqual({
      isAuthorized: true,
      context: { code: "VALID", keyId, name: "Gateway client", scopes: "orders:read orders:write", metadata: '{"tier":"gold"}' },
    });
  });

  it("authorizes an HTTP API request carrying the key as a bearer token", async () => {
    const { payload } = await invoke(aws.stack, "verify", authorizerEvent({ authorization: `Bearer ${key}` }));
    expect(payload.isAuthorized).toBe(true);
  });

  it.each([
    ["no key at all", {}, "MALFORMED"],
    ["a Basic authorization", { authorization: "Basic dXNlcjpwYXNz" }, "MALFORMED"],
    ["a key never issued", { "x-api-key": "ak_0000000000000000000000000000002C8GjS" }, "NOT_FOUND"],
  ])("denies an HTTP API request with %s", async (_what, headers, code) => {
    expect((await invoke(aws.stack, "verify", authorizerEvent(headers as Record<string, string>))).payload).toEqual({ isAuthorized: false, context: { code } });
  });

  it("denies an HTTP API request whose headers are null with MALFORMED, not an error", async () => {
    expect(await invoke(aws.stack, "verify", { ...authorizerEvent({}), headers: null })).toEqual({ payload: { isAuthorized: false, context: { code: "MALFORMED" } }, functionError: undefined });
  });

  it("reads header names in any case", async () => {
    expect((await invoke(aws.stack, "verify", authorizerEvent({ "X-Api-Key": key }))).payload.isAuthorized).toBe(true);
  });
});

describe("the verify Lambda as a REST API TOKEN authorizer", () => {
  const valid = () => ({ code: "VALID", keyId, name: "Gateway client", scopes: "orders:read orders:write", metadata: '{"tier":"gold"}' });

  it("allows the method for a valid key given bare or as a bearer token, with the key's details", async () => {
    expect((await invoke(aws.stack, "verify", tokenEvent(key))).payload).toEqual(policy("Allow", keyId, valid()));
    expect((await invoke(aws.stack, "verify", tokenEvent(`Bearer ${key}`))).payload).toEqual(policy("Allow", keyId, valid()));
  });

  it("denies the method for an inactive key, naming the key", async () => {
    expect((await invoke(aws.stack, "verify", tokenEvent(inactiveKey))).payload).toEqual(policy("Deny", inactiveKeyId, { code: "INACTIVE", keyId: inactiveKeyId }));
  });

  it.each([
    ["a key never issued", "ak_0000000000000000000000000000002C8GjS", "NOT_FOUND"],
    ["something that is not a key", "let-me-in", "MALFORMED"],
    ["no token at all", undefined, "MALFORMED"],
  ])("denies the method for %s, to an anonymous principal", async (_what, token, code) => {
    expect(await invoke(aws.stack, "verify", tokenEvent(token))).toEqual({ payload: policy("Deny", "anonymous", { code }), functionError: undefined });
  });

  it("denies everything, never allows, when the event names no method", async () => {
    expect((await invoke(aws.stack, "verify", { type: "TOKEN", authorizationToken: key })).payload).toEqual(policy("Deny", "anonymous", { code: "MALFORMED" }, "*"));
  });
});

describe("the verify Lambda as a REST API REQUEST authorizer", () => {
  it("allows the method for a valid key in X-API-Key, whatever the header's case", async () => {
    expect((await invoke(aws.stack, "verify", restRequestEvent({ "X-API-Key": key }))).payload).toMatchObject(policy("Allow", keyId, expect.objectContaining({ code: "VALID", keyId })));
    expect((await invoke(aws.stack, "verify", restRequestEvent({ Authorization: `Bearer ${key}` }))).payload.policyDocument.Statement[0].Effect).toBe("Allow");
  });

  it("denies the method when the request had no headers (null)", async () => {
    expect(await invoke(aws.stack, "verify", restRequestEvent(null))).toEqual({ payload: policy("Deny", "anonymous", { code: "MALFORMED" }), functionError: undefined });
  });

  it("answers an HTTP API payload 1.0 event with a policy too", async () => {
    const event = { ...restRequestEvent({ "x-api-key": key }), version: "1.0" };
    expect((await invoke(aws.stack, "verify", event)).payload.policyDocument.Statement[0]).toEqual({ Action: "execute-api:Invoke", Effect: "Allow", Resource: METHOD_ARN });
  });
});

/** The JSON lines the verify function printed: its log lines, and the embedded-metric-format lines (`_aws`). */
function verifyOutput(): { logs: Record<string, unknown>[]; metrics: Record<string, any>[] } {
  const lines = aws.stack.lambda
    .output(aws.stack.functions.verify)
    .stdout.split("\n")
    .flatMap((line) => (line.includes("{") ? [JSON.parse(line.slice(line.indexOf("{")))] : []));
  return { logs: lines.filter((line) => !("_aws" in line)), metrics: lines.filter((line) => "_aws" in line) };
}

describe("the verify Lambda's logs", () => {
  it("logs refusals by code, not successes, and never the key", async () => {
    const { logs } = verifyOutput();
    expect(logs).toContainEqual(expect.objectContaining({ message: "key refused", operation: "verify", code: "NOT_FOUND" }));
    expect(JSON.stringify(logs)).not.toContain(keyId);
    expect(aws.stack.lambda.allOutput()).not.toContain(key);
  });
});

describe("the verify Lambda's usage metrics", () => {
  it("count each verification in embedded metric format, by code and by key and code, carrying nothing but them", async () => {
    const before = verifyOutput().metrics.length;
    await invoke(aws.stack, "verify", { key });
    await invoke(aws.stack, "verify", { key: inactiveKey });
    await invoke(aws.stack, "verify", { key: "ak_nope" });
    const lines = verifyOutput().metrics.slice(before);
    const directive = { Namespace: METRICS_NAMESPACE, Dimensions: [["service", "code"], ["service", "keyId", "code"]], Metrics: [{ Name: VERIFICATIONS_METRIC, Unit: "Count" }] };
    expect(lines).toEqual([
      { _aws: { Timestamp: expect.any(Number), CloudWatchMetrics: [directive] }, service: "apikeys", code: "VALID", keyId, [VERIFICATIONS_METRIC]: 1 },
      { _aws: { Timestamp: expect.any(Number), CloudWatchMetrics: [directive] }, service: "apikeys", code: "INACTIVE", keyId: inactiveKeyId, [VERIFICATIONS_METRIC]: 1 },
      // Without a known key there is no key dimension.
      { _aws: { Timestamp: expect.any(Number), CloudWatchMetrics: [{ ...directive, Dimensions: [["service", "code"]] }] }, service: "apikeys", code: "MALFORMED", [VERIFICATIONS_METRIC]: 1 },
    ]);
    expect(JSON.stringify(lines)).not.toContain(key);
  });
});

describe("the verify Lambda checking routes and addresses", () => {
  let fencedKey: string;
  beforeAll(async () => {
    const { payload } = await invoke(aws.stack, "create", { name: "Fenced client", scopes: ["orders:read"], allowedCidrs: ["198.51.100.0/24", "2001:db8::/32"] });
    fencedKey = await aws.plaintextOf(payload.result.secretArn);
  });

  /** An HTTP API payload 2.0 event of a route, from an address. */
  function routeEvent(routeKey: string, sourceIp: string | undefined, apiKey = key) {
    return { version: "2.0", type: "REQUEST", routeKey, headers: { "x-api-key": apiKey }, requestContext: { http: { method: routeKey.split(" ")[0], sourceIp } } };
  }

  /** A REST API REQUEST event of a method and resource, from an address. */
  function restEvent(httpMethod: string, resource: string, sourceIp: string | undefined, apiKey = key) {
    return { ...restRequestEvent({ "X-API-Key": apiKey }), httpMethod, resource, requestContext: { identity: { sourceIp } } };
  }

  it("authorizes a route whose required scopes the key holds, and refuses one it does not with INSUFFICIENT_SCOPES", async () => {
    expect((await invoke(aws.stack, "verify", routeEvent("GET /orders/{id}", "192.0.2.1"))).payload).toMatchObject({ isAuthorized: true, context: { code: "VALID" } });
    expect((await invoke(aws.stack, "verify", routeEvent("DELETE /orders/{id}", "192.0.2.1"))).payload).toEqual({ isAuthorized: false, context: { code: "INSUFFICIENT_SCOPES" } });
    expect((await invoke(aws.stack, "verify", restEvent("DELETE", "/orders/{id}", "192.0.2.1"))).payload).toEqual(policy("Deny", keyId, { code: "INSUFFICIENT_SCOPES", keyId }));
  });

  it("requires nothing on a route the map does not list", async () => {
    expect((await invoke(aws.stack, "verify", routeEvent("POST /carts", "192.0.2.1"))).payload).toMatchObject({ isAuthorized: true });
  });

  it("takes the address from requestContext.http.sourceIp (HTTP API) and requestContext.identity.sourceIp (REST API)", async () => {
    expect((await invoke(aws.stack, "verify", routeEvent("GET /orders/{id}", "198.51.100.9", fencedKey))).payload).toMatchObject({ isAuthorized: true });
    expect((await invoke(aws.stack, "verify", routeEvent("GET /orders/{id}", "2001:db8::9", fencedKey))).payload).toMatchObject({ isAuthorized: true });
    expect((await invoke(aws.stack, "verify", routeEvent("GET /orders/{id}", "203.0.113.9", fencedKey))).payload).toEqual({ isAuthorized: false, context: { code: "FORBIDDEN" } });
    expect((await invoke(aws.stack, "verify", restEvent("GET", "/orders/{id}", "198.51.100.9", fencedKey))).payload.policyDocument.Statement[0].Effect).toBe("Allow");
    expect((await invoke(aws.stack, "verify", restEvent("GET", "/orders/{id}", "203.0.113.9", fencedKey))).payload.context).toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses a fenced key as FORBIDDEN when the event carries no address (a TOKEN event, a direct call without sourceIp)", async () => {
    expect((await invoke(aws.stack, "verify", { type: "TOKEN", authorizationToken: fencedKey, methodArn: METHOD_ARN })).payload.context).toMatchObject({ code: "FORBIDDEN" });
    expect((await invoke(aws.stack, "verify", { key: fencedKey })).payload).toMatchObject({ valid: false, code: "FORBIDDEN" });
    expect((await invoke(aws.stack, "verify", { key: fencedKey, sourceIp: "::ffff:198.51.100.1" })).payload).toMatchObject({ valid: true });
  });
});
