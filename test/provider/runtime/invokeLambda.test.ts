import { LambdaInvocationError, type KeyView } from "../../../contract";
import { invokeLambda } from "../../../provider/runtime/invokeLambda";
import { INVOKE_TIMEOUT_ENV } from "../../../provider/runtime/invokeTimeout";
import { answering, startFakeLambdaEndpoint, type FakeLambdaEndpoint } from "../../support/fakeLambdaEndpoint";

// The provider's Lambda client, in this process, against a local server speaking the Invoke API.
const REGION = "eu-north-1";
const KEY_ID = "key_0123456789abcdef";
const VIEW: KeyView = {
  keyId: KEY_ID,
  name: "Swaggy M",
  description: "",
  status: "active",
  prefix: "ak",
  scopes: [],
  metadata: {},
  rotation: {},
  maskedKey: "ak_0123…byp1",
  secretArn: "arn:aws:secretsmanager:eu-north-1:000000000000:secret:apikeys/key_0123456789abcdef-AbCdEf",
  createdAt: "2026-11-28T13:34:00.000Z",
  updatedAt: "2026-11-28T13:34:00.000Z",
  version: 1,
};
let fake: FakeLambdaEndpoint;
const saved = { ...process.env };

beforeAll(async () => {
  fake = await startFakeLambdaEndpoint();
  // The client reads its endpoint when it is first built, for this test's region.
  Object.assign(process.env, { AWS_ENDPOINT_URL_LAMBDA: fake.url, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
  fake.define("good-read", answering({ ok: true, result: VIEW }));
  fake.define("null-create", answering({ ok: true, result: null }));
  fake.define("surprise-read", answering({ ok: true, result: "surprise" }));
  fake.define("silent-read", { hang: true });
});

afterAll(async () => {
  process.env = saved;
  await fake.stop();
});

afterEach(() => {
  delete process.env[INVOKE_TIMEOUT_ENV];
});

async function failure(promise: Promise<unknown>): Promise<LambdaInvocationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LambdaInvocationError);
  return error as LambdaInvocationError;
}

describe("invokeLambda", () => {
  it("returns the checked answer of a function that keeps the contract", async () => {
    expect(await invokeLambda(REGION, "good-read", "read", { keyId: KEY_ID }, KEY_ID)).toEqual(VIEW);
    expect(fake.invocations.at(-1)).toEqual({ functionName: "good-read", event: { keyId: KEY_ID } });
  });

  it("fails naming the function and the operation when the answer has the wrong shape", async () => {
    expect((await failure(invokeLambda(REGION, "null-create", "create", { name: "x" }))).message).toBe(
      'create via Lambda function "null-create": answered something that is not a KeyView: it is null',
    );
    expect((await failure(invokeLambda(REGION, "surprise-read", "read", { keyId: KEY_ID }, KEY_ID))).message).toBe(
      'read via Lambda function "surprise-read": answered something that is not a KeyView or null: it is a string',
    );
  });

  it("fails naming another key when the answer is about one", async () => {
    const other = "key_fedcba9876543210";
    expect((await failure(invokeLambda(REGION, "good-read", "read", { keyId: other }, other))).message).toBe(
      `read via Lambda function "good-read": answered about another key than ${other}`,
    );
  });

  it("gives up on a function that never answers, saying it may still run", async () => {
    process.env[INVOKE_TIMEOUT_ENV] = "1";
    const before = fake.invocations.length;
    const error = await failure(invokeLambda(REGION, "silent-read", "read", { keyId: KEY_ID }, KEY_ID));
    expect(error.message).toBe(
      `read via Lambda function "silent-read": no answer within 1 s (the function's timeout and a margin; ${INVOKE_TIMEOUT_ENV} sets another), so the function may still be running`,
    );
    expect(error.mayHaveRun).toBe(true);
    // Given up, not retried: one request reached the function.
    expect(fake.invocations.length).toBe(before + 1);
  });

  it("refuses a bad timeout setting before invoking anything", async () => {
    process.env[INVOKE_TIMEOUT_ENV] = "soon";
    const before = fake.invocations.length;
    await expect(invokeLambda(REGION, "good-read", "read", { keyId: KEY_ID }, KEY_ID)).rejects.toThrow(`${INVOKE_TIMEOUT_ENV}: must be a whole number`);
    expect(fake.invocations.length).toBe(before);
  });

  it("says a function that does not exist surely did not run", async () => {
    const error = await failure(invokeLambda(REGION, "missing-create", "create", { name: "x" }));
    expect(error.message).toMatch(/^create via Lambda function "missing-create": lambda:InvokeFunction failed: no such function in eu-north-1/);
    expect(error.mayHaveRun).toBe(false);
  });
});
