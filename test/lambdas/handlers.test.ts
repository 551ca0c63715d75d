import { DescribeSecretCommand, ListSecretsCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { createKey as generateKey, hashKey, maskKey, parseKey, type DeleteKeyResponse, type KeyFields, type KeyResponse, type KeyView, type ReadKeyResponse } from "../../contract";
import { invoke } from "../support/invoke";
import { useLocalStack } from "../support/useLocalStack";

const aws = useLocalStack();
let handlers: {
  create: (event: unknown) => Promise<KeyResponse>;
  read: (event: unknown) => Promise<ReadKeyResponse>;
  update: (event: unknown) => Promise<KeyResponse>;
  remove: (event: unknown) => Promise<DeleteKeyResponse>;
};

beforeAll(async () => {
  // The handlers read their configuration from the environment, as they do in Lambda.
  Object.assign(process.env, aws.stack.env, { APIKEYS_TABLE_NAME: aws.stack.tableName, APIKEYS_KMS_KEY_ID: aws.stack.kmsKeyId });
  handlers = {
    create: (await import("../../lambdas/handlers/create")).handler as never,
    read: (await import("../../lambdas/handlers/read")).handler as never,
    update: (await import("../../lambdas/handlers/update")).handler as never,
    remove: (await import("../../lambdas/handlers/delete")).handler as never,
  };
});

async function createKey(name = "Swaggy M"): Promise<KeyView> {
  const response = await handlers.create({ name, description: "Partner X read API", status: "active", prefix: "ak" });
  if (!response.ok) throw new Error(response.error.message);
  return response.result;
}

async function secretCount(): Promise<number> {
  const { SecretList } = await aws.secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
  return SecretList?.length ?? 0;
}

describe("the create handler", () => {
  it("stores the hash, not the plaintext, in DynamoDB and the plaintext only in the secret", async () => {
    const view = await createKey();
    const plaintext = await aws.plaintextOf(view.secretArn);

    expect(parseKey(plaintext)).toMatchObject({ prefix: "ak" });
    expect(view.maskedKey).toBe(maskKey(plaintext));
    expect(JSON.stringify(view)).not.toContain(plaintext);

    const items = await aws.scanItems();
    expect(JSON.stringify(items)).not.toContain(plaintext);
    expect(await aws.getRecord(view.keyId)).toMatchObject({ keyId: view.keyId, hash: hashKey(plaintext), status: "active", version: 1 });
    expect(await aws.getLookup(hashKey(plaintext))).toMatchObject({ keyId: view.keyId, status: "active", name: "Swaggy M" });
  });

  it("names the secret after the keyId, tags it and encrypts it with the configured KMS key", async () => {
    const view = await createKey();
    const secret = await aws.secrets.send(new DescribeSecretCommand({ SecretId: view.secretArn }));
    expect(secret.Name).toBe(`apikeys/${view.keyId}`);
    expect(secret.Tags).toEqual(expect.arrayContaining([{ Key: "keyId", Value: view.keyId }]));
    expect(secret.KmsKeyId).toBe(aws.stack.kmsKeyId);
  });

  it("answers VALIDATION naming the property and writes nothing for a bad name", async () => {
    const [itemsBefore, secretsBefore] = [(await aws.scanItems()).length, await secretCount()];
    const response = await handlers.create({ name: "", status: "active", prefix: "ak", description: "" });
    expect(response).toEqual({ ok: false, error: { code: "VALIDATION", property: "name", message: "name: must not be empty" } });
    expect((await aws.scanItems()).length).toBe(itemsBefore);
    expect(await secretCount()).toBe(secretsBefore);
  });
});

describe("the read handler", () => {
  it("returns the current record", async () => {
    const view = await createKey("Readable");
    expect(await handlers.read({ keyId: view.keyId })).toEqual({ ok: true, result: view });
  });

  it("returns null for a key that never existed", async () => {
    expect(await handlers.read({ keyId: "key_doesNotExist0000" })).toEqual({ ok: true, result: null });
  });
});

describe("the update handler", () => {
  it("changes name, description and status in place and keeps the secret's version", async () => {
    const view = await createKey("Before");
    const plaintext = await aws.plaintextOf(view.secretArn);
    const versionsBefore = await aws.secrets.send(new ListSecretVersionIdsCommand({ SecretId: view.secretArn }));

    const response = await handlers.update({ keyId: view.keyId, changes: { name: "After", description: "new", status: "inactive" }, expectedVersion: 1 });

    expect(response).toMatchObject({ ok: true, result: { keyId: view.keyId, name: "After", description: "new", status: "inactive", version: 2, secretArn: view.secretArn } });
    expect(await aws.plaintextOf(view.secretArn)).toBe(plaintext);
    const versionsAfter = await aws.secrets.send(new ListSecretVersionIdsCommand({ SecretId: view.secretArn }));
    expect(versionsAfter.Versions?.map((v) => v.VersionId)).toEqual(versionsBefore.Versions?.map((v) => v.VersionId));
    expect(await aws.getLookup(hashKey(plaintext))).toMatchObject({ status: "inactive", name: "After" });
  });

  it("refuses a write based on a stale version with CONFLICT", async () => {
    const view = await createKey("Raced");
    await handlers.update({ keyId: view.keyId, changes: { status: "inactive" }, expectedVersion: 1 });
    const response = await handlers.update({ keyId: view.keyId, changes: { name: "Lost" }, expectedVersion: 1 });
    expect(response).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringMatching(/expected version 1, found 2/) } });
    expect(await aws.getRecord(view.keyId)).toMatchObject({ name: "Raced", status: "inactive" });
  });

  it("answers VALIDATION for a field that cannot change in place", async () => {
    const view = await createKey();
    expect(await handlers.update({ keyId: view.keyId, changes: { prefix: "pk" } })).toMatchObject({ ok: false, error: { code: "VALIDATION", property: "prefix" } });
  });
});

describe("the delete handler", () => {
  it("leaves nothing that verifies, keeps a tombstone and schedules the secret for deletion", async () => {
    const view = await createKey("Doomed");
    const plaintext = await aws.plaintextOf(view.secretArn);

    const response = await handlers.remove({ keyId: view.keyId, recoveryWindowInDays: 7 });

    expect(response).toMatchObject({ ok: true, result: { keyId: view.keyId, deleted: true } });
    expect(await aws.getLookup(hashKey(plaintext))).toBeUndefined();
    const tombstone = await aws.getRecord(view.keyId);
    expect(tombstone).toMatchObject({ status: "deleted", deletedAt: expect.any(String) });
    expect(tombstone).not.toHaveProperty("hash");
    const secret = await aws.secrets.send(new DescribeSecretCommand({ SecretId: view.secretArn }));
    expect(secret.DeletedDate).toBeInstanceOf(Date);
    expect(await handlers.read({ keyId: view.keyId })).toEqual({ ok: true, result: null });
  });

  it("succeeds again for a key that is already deleted, and for one that never existed", async () => {
    const view = await createKey("Twice");
    await handlers.remove({ keyId: view.keyId, recoveryWindowInDays: 7 });
    expect(await handlers.remove({ keyId: view.keyId, recoveryWindowInDays: 7 })).toMatchObject({ ok: true, result: { deleted: false } });
    expect(await handlers.remove({ keyId: "key_0000000000000000", recoveryWindowInDays: 7 })).toMatchObject({ ok: true, result: { deleted: false } });
  });

  it("does not let an update resurrect a deleted key", async () => {
    const view = await createKey("Gone");
    await handlers.remove({ keyId: view.keyId, recoveryWindowInDays: 0 });
    expect(await handlers.update({ keyId: view.keyId, changes: { status: "active" } })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await aws.getRecord(view.keyId)).toMatchObject({ status: "deleted" });
  });
});

const KEY = generateKey().key;
/** Every declared field (the Record type makes the compiler insist on each), with a key pasted into it. */
const KEY_PASTED_INTO: Record<keyof KeyFields, Record<string, unknown>> = {
  name: { name: KEY },
  description: { description: `the key is ${KEY}` },
  status: { status: KEY },
  prefix: { prefix: KEY },
  owner: { owner: KEY },
  scopes: { scopes: [KEY] },
  metadata: { metadata: { [KEY]: "x" } },
  expiresAt: { expiresAt: KEY },
  rotation: { rotation: { gracePeriod: KEY } },
  rateLimit: { rateLimit: { limit: 10, window: KEY } },
  credits: { credits: { remaining: 10, refill: { amount: 5, interval: KEY } } },
  allowedCidrs: { allowedCidrs: [KEY] },
  notBefore: { notBefore: KEY },
};

describe("every handler, given a key by mistake", () => {
  const cases = Object.entries(KEY_PASTED_INTO);

  it("is tested with a well-formed key", () => {
    expect(parseKey(KEY)).toBeDefined();
  });

  it.each(cases)("create answers VALIDATION for one in %s, naming the property, and repeats it nowhere", async (field, change) => {
    const logged = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const response = await handlers.create({ name: "Pasted", ...change });
      expect(response).toEqual({ ok: false, error: { code: "VALIDATION", property: field, message: expect.stringMatching(new RegExp(`^${field}: .*parses as an API key`)) } });
      expect(logged).toHaveBeenCalled();
      expect(JSON.stringify([response, logged.mock.calls])).not.toContain(KEY.slice(3));
    } finally {
      logged.mockRestore();
    }
  });

  it.each(cases.filter(([field]) => field !== "prefix"))("update answers VALIDATION for one in %s, naming the property", async (field, change) => {
    const view = await createKey("Updated by mistake");
    const response = await handlers.update({ keyId: view.keyId, changes: change });
    expect(response).toEqual({ ok: false, error: { code: "VALIDATION", property: field, message: expect.stringMatching(/parses as an API key/) } });
    expect(JSON.stringify(response)).not.toContain(KEY.slice(3));
  });

  it("redacts a key named as an unknown property, and one given as a keyId", async () => {
    const unknown = await handlers.create({ name: "Pasted", [KEY]: true });
    expect(unknown).toEqual({ ok: false, error: { code: "VALIDATION", property: "[redacted key]", message: expect.stringMatching(/^\[redacted key\]: is not a known property/) } });
    const asKeyId = await handlers.read({ keyId: KEY });
    expect(JSON.stringify(asKeyId)).not.toContain(KEY.slice(3));
  });

  it("leaves no key in the Lambda logs of the real functions", async () => {
    const { payload } = await invoke(aws.stack, "create", { name: "Logged", owner: KEY, [KEY]: 1 });
    expect(payload).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    expect(aws.stack.lambda.output(aws.stack.functions.create).stdout).toContain('"code":"VALIDATION"');
    expect(aws.stack.lambda.allOutput()).not.toContain(KEY.slice(3));
  });
});

describe("the create and update functions, given metadata keys that name parts of every object", () => {
  it.each(["__proto__", "constructor", "prototype"])("refuse %s, naming the metadata property, and write nothing", async (name) => {
    const itemsBefore = (await aws.scanItems()).length;
    // Parsed from JSON as the Lambda runtime parses an event, so that __proto__ is an own property.
    const metadata = JSON.parse(`{"tier":"gold",${JSON.stringify(name)}:"x"}`);
    const created = await invoke(aws.stack, "create", { name: "Reserved", metadata });
    const reason = `.${name} is a reserved name of JavaScript objects: __proto__, constructor, prototype are not allowed as metadata keys`;
    expect(created.payload).toEqual({ ok: false, error: { code: "VALIDATION", property: "metadata", message: `metadata: ${reason}` } });
    expect((await aws.scanItems()).length).toBe(itemsBefore);

    const view = await createKey("Reserved later");
    const updated = await invoke(aws.stack, "update", { keyId: view.keyId, changes: { metadata } });
    expect(updated.payload).toEqual({ ok: false, error: { code: "VALIDATION", property: "metadata", message: `metadata: ${reason}` } });
  });
});
