import { SERIALIZED_PROVIDER } from "../../../provider/serializedProvider";
import { consumerProject } from "../../../tools/consumerProject";
import { keyIdFor, type KeyView } from "../../../contract";
import { INVOKE_TIMEOUT_ENV } from "../../../provider/runtime/invokeTimeout";
import { initFailureOf, startDynamicProviderHost, type DynamicProviderHost } from "../../support/dynamicProviderHost";
import { answering, startFakeLambdaEndpoint, type FakeLambdaEndpoint } from "../../support/fakeLambdaEndpoint";

// The real dynamic-provider host against backend functions that break the contract: each wrong answer is an error
// naming the function and the operation, a create that may have run is recorded as not initialized, and nothing of a
// wrong answer reaches the state.
const URN = "urn:pulumi:dev::apikeys::pulumi-nodejs:dynamic/apikeys:ApiKey::untrusted";
const REGION = "us-east-1";
const KEY_ID = "key_0123456789abcdef";
let fake: FakeLambdaEndpoint;
let host: DynamicProviderHost;
let serializedProvider: string;

/** A KeyView as the create function would answer for `event`: about the key its request token names. */
function viewFor(event: { requestToken?: string; name?: string }, keyId = event.requestToken ? keyIdFor(event.requestToken) : KEY_ID): KeyView {
  return {
    keyId,
    name: event.name ?? "Untrusted",
    description: "",
    status: "active",
    prefix: "ak",
    scopes: [],
    metadata: {},
    rotation: {},
    maskedKey: "ak_0123…byp1",
    secretArn: `arn:aws:secretsmanager:us-east-1:000000000000:secret:apikeys/${keyId}-AbCdEf`,
    createdAt: "2026-11-28T13:34:00.000Z",
    updatedAt: "2026-11-28T13:34:00.000Z",
    version: 1,
  };
}

beforeAll(async () => {
  fake = await startFakeLambdaEndpoint();
  fake.define("good-create", (event) => answering({ ok: true, result: viewFor(event) }));
  fake.define("good-read", (event) => answering({ ok: true, result: viewFor({}, event.keyId) }));
  fake.define("good-update", (event) => answering({ ok: true, result: { ...viewFor({}, event.keyId), version: 2 } }));
  fake.define("null-create", answering({ ok: true, result: null }));
  fake.define("string-create", answering({ ok: true, result: "surprise" }));
  fake.define("other-key-create", (event) => answering({ ok: true, result: viewFor(event, "key_fedcba9876543210") }));
  fake.define("silent-create", { hang: true });
  fake.define("string-read", answering({ ok: true, result: "surprise" }));
  fake.define("null-read", answering({ ok: true, result: null }));
  fake.define("silent-read", { hang: true });
  fake.define("surprise-update", answering({ ok: true, result: { keyId: KEY_ID } }));
  fake.define("surprise-delete", answering({ ok: true, result: "deleted" }));
  fake.define("good-delete", (event) => answering({ ok: true, result: { keyId: event.keyId, deletedAt: "2026-11-28T13:35:00.000Z", deleted: true } }));
  serializedProvider = SERIALIZED_PROVIDER;
  host = await startDynamicProviderHost(consumerProject().dir, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_LAMBDA: fake.url,
    // The audit context's STS call gets a quick 404: the actor is then unknown, which the provider tolerates.
    AWS_ENDPOINT_URL_STS: fake.url,
    [INVOKE_TIMEOUT_ENV]: "2",
  });
  await host.configure();
});

afterAll(async () => {
  await host?.stop();
  await fake?.stop();
});

function functions(overrides: Partial<Record<"create" | "read" | "update" | "delete", string>> = {}) {
  return { create: "good-create", read: "good-read", update: "good-update", delete: "good-delete", ...overrides };
}

async function checked(overrides: Record<string, unknown> = {}) {
  const { inputs, failures } = await host.check(URN, {}, { name: "Untrusted", region: REGION, functions: functions(), __provider: serializedProvider, ...overrides });
  expect(failures).toEqual([]);
  return inputs;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe("the provider, given answers that break the contract", () => {
  it("creates, reads, updates and deletes through functions that keep it", async () => {
    const created = await host.create(URN, await checked());
    expect(created.properties).toMatchObject({ keyId: created.id, name: "Untrusted", version: 1 });
    expect(await host.read(URN, created.id, created.properties)).toMatchObject({ id: created.id, properties: { keyId: created.id } });
    const renamed = await checked({ name: "Renamed" });
    expect((await host.update(URN, created.id, created.properties, renamed)).properties).toMatchObject({ keyId: created.id, version: 2 });
    await host.delete(URN, created.id, created.properties);
  });

  it.each([
    ["a null result", "null-create", "answered something that is not a KeyView: it is null"],
    ["a string", "string-create", "answered something that is not a KeyView: it is a string"],
    ["another key", "other-key-create", "answered about another key than key_"],
    ["nothing in time", "silent-create", `no answer within 2 s (the function's timeout and a margin; ${INVOKE_TIMEOUT_ENV} sets another)`],
  ])("fails a create answered with %s, naming the function, and records the key as not initialized", async (_case, create, reason) => {
    const error = await rejection(host.create(URN, await checked({ functions: functions({ create }) })));
    expect(error.message).toContain(`create via Lambda function "${create}": ${reason}`);
    expect(error.message).toMatch(/not yet initialized: the next pulumi up finishes it, pulumi destroy removes it/);
    const failure = initFailureOf(error);
    expect(failure.id).toBe(keyIdFor(failure.properties.requestToken));
    expect(failure.properties).toMatchObject({ keyId: failure.id, name: "Untrusted", __provider: serializedProvider });
    // Nothing of the answer is recorded: only what the declaration and the token say.
    expect(failure.properties).not.toHaveProperty("version");
    expect(JSON.stringify(failure.properties)).not.toContain("surprise");
    expect(failure.properties).not.toHaveProperty("0");
  });

  it("fails a read answered with a string, naming the function, instead of putting it into state", async () => {
    const created = await host.create(URN, await checked());
    const props = { ...created.properties, functions: functions({ read: "string-read" }) };
    const error = await rejection(host.read(URN, created.id, props));
    expect(error.message).toContain('read via Lambda function "string-read": answered something that is not a KeyView or null: it is a string');
  });

  it("drops a key the read function answers null for: it was deleted", async () => {
    const created = await host.create(URN, await checked());
    expect(await host.read(URN, created.id, { ...created.properties, functions: functions({ read: "null-read" }) })).toEqual({ id: "", properties: { __provider: serializedProvider } });
  });

  it("gives up on a read that never answers, naming the function", async () => {
    const created = await host.create(URN, await checked());
    const error = await rejection(host.read(URN, created.id, { ...created.properties, functions: functions({ read: "silent-read" }) }));
    expect(error.message).toContain('read via Lambda function "silent-read": no answer within 2 s');
  });

  it("fails an update or a delete answered with the wrong shape, naming the function", async () => {
    const created = await host.create(URN, await checked());
    const update = await rejection(host.update(URN, created.id, created.properties, await checked({ name: "Renamed", functions: functions({ update: "surprise-update" }) })));
    expect(update.message).toContain('update via Lambda function "surprise-update": answered something that is not a KeyView: name is missing');
    const remove = await rejection(host.delete(URN, created.id, { ...created.properties, functions: functions({ delete: "surprise-delete" }) }));
    expect(remove.message).toContain('delete via Lambda function "surprise-delete": answered something that is not a DeleteResult: it is a string');
  });
});
