import { LambdaInvocationError, createKey, decodeAnswer, type AnsweringOperation, type InvokeAnswer, type KeyView } from "../../contract";

const KEY_ID = "key_0123456789abcdef";
const VIEW: KeyView = {
  keyId: KEY_ID,
  name: "Swaggy M",
  description: "",
  status: "active",
  prefix: "ak",
  scopes: ["orders:read"],
  metadata: { partner: "x" },
  rotation: { gracePeriod: "24h" },
  maskedKey: "ak_0123…byp1",
  secretArn: "arn:aws:secretsmanager:us-east-1:000000000000:secret:apikeys/key_0123456789abcdef-AbCdEf",
  createdAt: "2026-11-28T13:34:00.000Z",
  updatedAt: "2026-11-28T13:34:00.000Z",
  version: 1,
};

function payload(value: unknown, functionError?: string): InvokeAnswer {
  return { Payload: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)), FunctionError: functionError };
}

/** The error a decode fails with, or a failure of the test when it succeeds. */
function refusal(answer: InvokeAnswer, operation: AnsweringOperation, keyId?: string): LambdaInvocationError {
  try {
    decodeAnswer(answer, { functionName: `fake-${operation}`, operation, keyId });
  } catch (error) {
    expect(error).toBeInstanceOf(LambdaInvocationError);
    return error as LambdaInvocationError;
  }
  throw new Error("the answer was accepted");
}

describe("decodeAnswer", () => {
  it("reads a KeyView out of the handler envelope, keeping only the contract's fields", () => {
    const answer = payload({ ok: true, result: { ...VIEW, owner: "billing", surprise: { nested: true } } });
    expect(decodeAnswer(answer, { functionName: "fake-create", operation: "create", keyId: KEY_ID })).toEqual({ ...VIEW, owner: "billing" });
  });

  it("reads null from the read function: the key is gone", () => {
    expect(decodeAnswer(payload({ ok: true, result: null }), { functionName: "fake-read", operation: "read", keyId: KEY_ID })).toBeNull();
  });

  it("reads a delete result and a verify result", () => {
    const deleted = { keyId: KEY_ID, deletedAt: "2026-11-28T13:34:00.000Z", deleted: true };
    expect(decodeAnswer(payload({ ok: true, result: deleted }), { functionName: "fake-delete", operation: "delete", keyId: KEY_ID })).toEqual(deleted);
    const valid = { valid: true, code: "VALID", keyId: KEY_ID, name: "Swaggy M", scopes: [], metadata: {} };
    expect(decodeAnswer(payload(valid), { functionName: "fake-verify", operation: "verify" })).toEqual(valid);
    expect(decodeAnswer(payload({ valid: false, code: "MALFORMED" }), { functionName: "fake-verify", operation: "verify" })).toEqual({ valid: false, code: "MALFORMED" });
  });

  it("reads the lookup by hash: which key a value belongs to, with only the contract's fields, or null", () => {
    const match = { keyId: KEY_ID, code: "ROTATED_OUT", role: "previous", key: { ...VIEW, surprise: 1 }, extra: true };
    expect(decodeAnswer(payload({ ok: true, result: match }), { functionName: "fake-read", operation: "lookup" })).toEqual({ keyId: KEY_ID, code: "ROTATED_OUT", role: "previous", key: VIEW });
    const orphan = { keyId: KEY_ID, code: "VALID", role: "unnamed" };
    expect(decodeAnswer(payload({ ok: true, result: orphan }), { functionName: "fake-read", operation: "lookup" })).toEqual(orphan);
    expect(decodeAnswer(payload({ ok: true, result: null }), { functionName: "fake-read", operation: "lookup" })).toBeNull();
  });

  const WRONG: [string, AnsweringOperation, InvokeAnswer, string][] = [
    ["lookup answering an unknown role", "lookup", payload({ ok: true, result: { keyId: KEY_ID, code: "VALID", role: "spare" } }), 'lookup via Lambda function "fake-lookup": answered something that is not a KeyValueMatch or null: role is not one of current, previous, pending, unnamed'],
    ["lookup answering an unknown code", "lookup", payload({ ok: true, result: { keyId: KEY_ID, code: "MAYBE", role: "current" } }), 'lookup via Lambda function "fake-lookup": answered something that is not a KeyValueMatch or null: code is not a verify code'],
    ["lookup answering a broken key", "lookup", payload({ ok: true, result: { keyId: KEY_ID, code: "VALID", role: "current", key: { ...VIEW, version: "x" } } }), 'lookup via Lambda function "fake-lookup": answered something that is not a KeyValueMatch or null: key: version is not a whole number'],
    ["lookup answering another key's view", "lookup", payload({ ok: true, result: { keyId: "key_fedcba9876543210", code: "VALID", role: "current", key: VIEW } }), 'lookup via Lambda function "fake-lookup": answered something that is not a KeyValueMatch or null: key is about another key than keyId'],
    ["create answering a null result", "create", payload({ ok: true, result: null }), 'create via Lambda function "fake-create": answered something that is not a KeyView: it is null'],
    ["create answering a string", "create", payload({ ok: true, result: "surprise" }), 'create via Lambda function "fake-create": answered something that is not a KeyView: it is a string'],
    ["create answering a list", "create", payload({ ok: true, result: [1] }), 'create via Lambda function "fake-create": answered something that is not a KeyView: it is a list'],
    ["update answering no keyId", "update", payload({ ok: true, result: { ...VIEW, keyId: undefined } }), 'update via Lambda function "fake-update": answered something that is not a KeyView: keyId is missing'],
    ["update answering a bad version", "update", payload({ ok: true, result: { ...VIEW, version: "2" } }), 'update via Lambda function "fake-update": answered something that is not a KeyView: version is not a whole number'],
    ["read answering a string", "read", payload({ ok: true, result: "surprise" }), 'read via Lambda function "fake-read": answered something that is not a KeyView or null: it is a string'],
    ["read answering an unknown status", "read", payload({ ok: true, result: { ...VIEW, status: "deleted" } }), 'read via Lambda function "fake-read": answered something that is not a KeyView or null: status is not one of active, inactive'],
    ["read answering metadata of numbers", "read", payload({ ok: true, result: { ...VIEW, metadata: { a: 1 } } }), 'read via Lambda function "fake-read": answered something that is not a KeyView or null: metadata is not a map of strings'],
    ["delete answering a KeyView", "delete", payload({ ok: true, result: VIEW }), 'delete via Lambda function "fake-delete": answered something that is not a DeleteResult: deletedAt is missing'],
    ["verify answering an envelope", "verify", payload({ ok: true, result: {} }), 'verify via Lambda function "fake-verify": answered something that is not a verify result: valid is missing'],
    ["verify answering an unknown code", "verify", payload({ valid: false, code: "MAYBE" }), 'verify via Lambda function "fake-verify": answered something that is not a verify result: code is not a refusal code'],
    ["verify answering VALID without a keyId", "verify", payload({ valid: true, code: "VALID", name: "n", scopes: [], metadata: {} }), 'verify via Lambda function "fake-verify": answered something that is not a verify result: keyId is missing'],
    ["create answering HTML", "create", payload("<html>502</html>"), 'create via Lambda function "fake-create": returned a response that is not JSON (16 bytes)'],
    ["create answering no envelope", "create", payload({ hello: "world" }), 'create via Lambda function "fake-create": returned a response that is not an apikeys handler response'],
    ["create answering nothing", "create", {}, 'create via Lambda function "fake-create": returned a response that is not an apikeys handler response'],
  ];

  it.each(WRONG)("refuses %s, naming the function and the operation", (_case, operation, answer, message) => {
    const error = refusal(answer, operation);
    expect(error.message).toBe(message);
    expect(error.mayHaveRun).toBe(true);
  });

  it("refuses an answer about another key than the one asked about", () => {
    expect(refusal(payload({ ok: true, result: VIEW }), "read", "key_fedcba9876543210").message).toBe(
      'read via Lambda function "fake-read": answered about another key than key_fedcba9876543210',
    );
  });

  it("refuses an answer holding a value that parses as a key, naming the field and not the value", () => {
    const key = createKey().key;
    const error = refusal(payload({ ok: true, result: { ...VIEW, maskedKey: key } }), "create");
    expect(error.message).toBe('create via Lambda function "fake-create": answered a value that parses as an API key in maskedKey; nothing of the answer is kept');
    expect(refusal(payload({ valid: true, code: "VALID", keyId: KEY_ID, name: "n", scopes: [key], metadata: {} }), "verify").message).toMatch(/API key in scopes;/);
    expect(refusal(payload({ ok: true, result: { keyId: KEY_ID, code: "VALID", role: "current", key: { ...VIEW, description: key } } }), "lookup").message).toMatch(/API key in key;/);
  });

  it("reports a function error with its type and message, keys redacted", () => {
    const key = createKey().key;
    const error = refusal(payload({ errorType: "RangeError", errorMessage: `bad ${key}` }, "Unhandled"), "update");
    expect(error.message).toBe('update via Lambda function "fake-update": the function failed: RangeError: bad [redacted key]');
    expect(error.mayHaveRun).toBe(true);
  });

  it("keeps a domain error's code, and knows such a refusal left nothing behind", () => {
    const error = refusal(payload({ ok: false, error: { code: "VALIDATION", message: "name: must not be empty", property: "name" } }), "create");
    expect({ message: error.message, code: error.code, mayHaveRun: error.mayHaveRun }).toEqual({
      message: 'create via Lambda function "fake-create": name: must not be empty',
      code: "VALIDATION",
      mayHaveRun: false,
    });
  });

  it("treats an error envelope with an unknown code as an internal failure that may have left work behind", () => {
    const error = refusal(payload({ ok: false, error: { code: "TEAPOT", message: 7 } }), "create");
    expect({ message: error.message, code: error.code, mayHaveRun: error.mayHaveRun }).toEqual({
      message: 'create via Lambda function "fake-create": no error detail',
      code: "INTERNAL",
      mayHaveRun: true,
    });
  });
});
