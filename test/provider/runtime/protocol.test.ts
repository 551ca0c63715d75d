import { DescribeSecretCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { hashKey } from "../../../contract";
import { useLocalStack } from "../../support/useLocalStack";
import { startDynamicProviderHost, type DynamicProviderHost } from "../../support/dynamicProviderHost";
import { invoke } from "../../support/invoke";
import { SERIALIZED_PROVIDER } from "../../../provider/serializedProvider";
import { consumerProject } from "../../../tools/consumerProject";

const URN = "urn:pulumi:dev::apikeys::pulumi-nodejs:dynamic/apikeys:ApiKey::partner-x";
/** Every function the Lambda server invoked, in order. */
const invoked: string[] = [];
// In IAM mode the deployer may invoke the backend's functions only, so another name is refused before it is looked up.
const aws = useLocalStack({ onInvocation: (record) => invoked.push(record.functionName) }, { refusalsExpected: (denial) => denial.resource.endsWith(":function:no-such-function") });
let host: DynamicProviderHost;
let serializedProvider: string;

beforeAll(async () => {
  // Exactly what every ApiKey stores in state, resolved from a project that installed the packed package.
  serializedProvider = SERIALIZED_PROVIDER;
  console.log(`serialized provider: ${Buffer.byteLength(serializedProvider)} bytes`);
  host = await startDynamicProviderHost(consumerProject().dir, aws.stack.env);
  await host.configure();
});

afterAll(async () => {
  await host?.stop();
});

function declaration(overrides: Record<string, unknown> = {}) {
  return {
    name: "Swaggy M",
    description: "Partner X read API",
    status: "active",
    region: aws.stack.region,
    functions: aws.stack.keyFunctions,
    __provider: serializedProvider,
    ...overrides,
  };
}

describe("the ApiKey provider in the real dynamic-provider host", () => {
  it("keeps the serialized provider tiny", () => {
    expect(Buffer.byteLength(serializedProvider)).toBeLessThan(512);
  });

  it("runs Check, Create, Diff, Update, Read and Delete against the local stack without leaking the key", async () => {
    const checked = await host.check(URN, {}, declaration());
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ prefix: "ak", recoveryWindowInDays: 7 });

    const created = await host.create(URN, checked.inputs);
    expect(created.id).toMatch(/^key_/);
    expect(created.properties).toMatchObject({ keyId: created.id, name: "Swaggy M", status: "active", maskedKey: expect.stringMatching(/^ak_.{4}….{4}$/), version: 1 });
    const plaintext = await aws.plaintextOf(created.properties.secretArn as string);
    expect((await aws.getRecord(created.id))?.hash).toBe(hashKey(plaintext));

    const again = await host.check(URN, created.properties, declaration());
    expect(await host.diff(URN, created.id, created.properties, again.inputs)).toEqual({ changes: "none", replaces: [] });

    const inactive = await host.check(URN, created.properties, declaration({ status: "inactive" }));
    expect(await host.diff(URN, created.id, created.properties, inactive.inputs)).toEqual({ changes: "some", replaces: [] });
    const updated = await host.update(URN, created.id, created.properties, inactive.inputs);
    expect(updated.properties).toMatchObject({ status: "inactive", secretArn: created.properties.secretArn, version: 2 });
    expect(await aws.plaintextOf(created.properties.secretArn as string)).toBe(plaintext);

    const read = await host.read(URN, created.id, updated.properties);
    expect(read).toMatchObject({ id: created.id, properties: { status: "inactive", name: "Swaggy M", version: 2 } });
    // Never used: stored as null, so a preview knows there is no value rather than reporting it unknown.
    expect(read.properties.lastUsedAt).toBeNull();

    // A verification records the use; the next refresh shows it.
    const reactivated = await host.update(URN, created.id, read.properties, (await host.check(URN, read.properties, declaration())).inputs);
    expect((await invoke(aws.stack, "verify", { key: plaintext })).payload.code).toBe("VALID");
    const used = await host.read(URN, created.id, reactivated.properties);
    expect(used.properties.lastUsedAt).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));

    const replaced = await host.check(URN, updated.properties, declaration({ status: "inactive", prefix: "pk" }));
    expect(await host.diff(URN, created.id, updated.properties, replaced.inputs)).toEqual({ changes: "some", replaces: ["prefix"] });

    await host.delete(URN, created.id, used.properties);
    expect(await aws.getLookup(hashKey(plaintext))).toBeUndefined();
    const secret = await aws.secrets.send(new DescribeSecretCommand({ SecretId: created.properties.secretArn as string }));
    expect(secret.DeletedDate).toBeInstanceOf(Date);
    expect(await host.read(URN, created.id, read.properties)).toEqual({ id: "", properties: expect.any(Object) });
    await host.delete(URN, created.id, read.properties);

    expect(JSON.stringify(host.responses)).not.toContain(plaintext);
    expect(aws.stack.lambda.allOutput()).not.toContain(plaintext);
    expect(host.stderr()).not.toContain(plaintext);
  });

  it("rotates in place when the rotation trigger changes, keeping keyId and secretArn", async () => {
    const rotation = { trigger: "2026-11", gracePeriod: "1h" };
    const checked = await host.check(URN, {}, declaration({ rotation, scopes: ["orders:read"], owner: "team-payments" }));
    expect(checked.failures).toEqual([]);
    const created = await host.create(URN, checked.inputs);
    const secretArn = created.properties.secretArn as string;
    const oldKey = await aws.plaintextOf(secretArn);
    const versions = async () => (await aws.secrets.send(new ListSecretVersionIdsCommand({ SecretId: secretArn }))).Versions!.length;
    const versionsBefore = await versions();

    const next = await host.check(URN, created.properties, declaration({ rotation: { ...rotation, trigger: "2026-12" }, scopes: ["orders:read"], owner: "team-payments" }));
    expect(await host.diff(URN, created.id, created.properties, next.inputs)).toEqual({ changes: "some", replaces: [] });
    const updated = await host.update(URN, created.id, created.properties, next.inputs);

    expect(updated.properties).toMatchObject({ keyId: created.id, secretArn, rotatedAt: expect.any(String), rotation: { trigger: "2026-12", gracePeriod: "1h" }, owner: "team-payments" });
    expect(updated.properties.maskedKey).not.toBe(created.properties.maskedKey);
    expect(await versions()).toBe(versionsBefore + 1);
    const newKey = await aws.plaintextOf(secretArn);
    expect(newKey).not.toBe(oldKey);
    expect((await invoke(aws.stack, "verify", { key: oldKey })).payload.code).toBe("VALID");
    expect((await invoke(aws.stack, "verify", { key: newKey })).payload).toMatchObject({ code: "VALID", scopes: ["orders:read"] });

    // The same declaration again changes nothing: no second rotation.
    const again = await host.check(URN, updated.properties, next.inputs);
    expect(await host.diff(URN, created.id, updated.properties, again.inputs)).toEqual({ changes: "none", replaces: [] });
    for (const plaintext of [oldKey, newKey]) expect(JSON.stringify(host.responses)).not.toContain(plaintext);
    expect(aws.stack.lambda.allOutput()).not.toContain(newKey);
  });

  it("fails Check with the property named and invokes nothing for bad input", async () => {
    const before = invoked.length;
    const checked = await host.check(URN, {}, declaration({ name: "", prefix: "X" }));
    expect(checked.failures).toEqual([
      { property: "name", reason: "must not be empty" },
      { property: "prefix", reason: expect.stringMatching(/must match/) },
    ]);
    expect(invoked.length).toBe(before);
  });

  it("names the function and the call when the function does not exist", async () => {
    const functions = { ...aws.stack.keyFunctions, create: "no-such-function" };
    const checked = await host.check(URN, {}, declaration({ functions }));
    const expected = aws.stack.iam
      ? /create via Lambda function "no-such-function": lambda:InvokeFunction was denied: User: .*user\/apikeys-deployer is not authorized to perform: lambda:InvokeFunction on resource: .*:function:no-such-function /
      : /create via Lambda function "no-such-function": lambda:InvokeFunction failed: no such function/;
    await expect(host.create(URN, checked.inputs)).rejects.toThrow(expected);
  });

  it("turns a Lambda's VALIDATION answer into a message naming the property", async () => {
    // Skip Check on purpose: the Lambda validates again, so a bad request is refused on both sides.
    await expect(host.create(URN, declaration({ name: "bad/name", prefix: "ak" }))).rejects.toThrow(/create via Lambda function ".*-create": name: may contain only/);
  });
});
