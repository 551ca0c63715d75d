import { useLocalStack } from "../../support/useLocalStack";
import { invoke } from "../../support/invoke";

const aws = useLocalStack();
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

describe("the verify Lambda's logs", () => {
  it("logs refusals by code, not successes, and never the key", async () => {
    const logs = aws.stack.lambda.output(aws.stack.functions.verify).stdout;
    expect(logs).toContain('"message":"key refused","operation":"verify","code":"NOT_FOUND"');
    expect(logs).not.toContain(keyId);
    expect(aws.stack.lambda.allOutput()).not.toContain(key);
  });
});
