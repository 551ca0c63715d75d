import { useLocalStack } from "../../support/useLocalStack";
import { invoke } from "../../support/invoke";

const aws = useLocalStack();
let key: string;
let keyId: string;

beforeAll(async () => {
  const { payload } = await invoke(aws.stack, "create", { name: "Gateway client", scopes: ["orders:read", "orders:write"], metadata: { tier: "gold" } });
  keyId = payload.result.keyId;
  key = await aws.plaintextOf(payload.result.secretArn);
});

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

  it("logs refusals by code, not successes, and never the key", async () => {
    const logs = aws.stack.lambda.output(aws.stack.functions.verify).stdout;
    expect(logs).toContain('"message":"key refused","operation":"verify","code":"NOT_FOUND"');
    expect(logs).not.toContain(keyId);
    expect(aws.stack.lambda.allOutput()).not.toContain(key);
  });
});
