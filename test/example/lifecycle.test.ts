import path from "node:path";
import { DescribeSecretCommand, ListSecretsCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ItemKey, hashKey } from "../../contract";
import { useLocalStack } from "../support/useLocalStack";
import { createExampleStack, type ExampleStack } from "../support/pulumiStack";
import { invoke } from "../support/invoke";
import { useLeakScan } from "../support/leakScan";
import { runProcess } from "../support/runProcess";

// The real Pulumi CLI and engine, the example program, and the local backend, through every lifecycle step.
jest.setTimeout(300_000);

const aws = useLocalStack();
let example: ExampleStack;
const scan = useLeakScan(aws);

interface InventoryEntry {
  keyId: string;
  maskedKey: string;
  createdAt: string;
  status: string;
  name: string;
}

const DECLARED = {
  "partner-x": { name: "Swaggy M", description: "Partner X read API", rotation: { trigger: "2026-11", gracePeriod: "1h" } } as Record<string, unknown>,
  "billing-service": { name: "Billing service", description: "Billing to orders", prefix: "svc" },
  "legacy-import": { name: "Legacy import", status: "inactive" },
};

beforeAll(async () => {
  example = await createExampleStack(aws.stack);
});

afterAll(async () => {
  await example?.remove();
});

async function inventory(): Promise<Record<string, InventoryEntry>> {
  return (await example.stack.outputs()).inventory.value;
}

async function secretArnOf(keyId: string): Promise<string> {
  return (await aws.getRecord(keyId))!.secretArn;
}

/** After every step: no plaintext in the exported state or anywhere in the engine's output. */
async function expectNoPlaintextLeaked(): Promise<void> {
  await scan.expectAbsent({ state: await example.exportState(), engineOutput: example.output() });
}

describe("the example stack with the real Pulumi engine", () => {
  it("creates three keys, and a preview afterwards shows no changes", async () => {
    example.declare(DECLARED);
    const up = await example.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 4 }); // three keys and the stack
    const keys = await inventory();
    expect(Object.keys(keys).sort()).toEqual(["billing-service", "legacy-import", "partner-x"]);
    for (const entry of Object.values(keys)) {
      expect(entry).toMatchObject({ keyId: expect.stringMatching(/^key_/), maskedKey: expect.stringMatching(/…/), createdAt: expect.any(String) });
    }
    expect(keys["billing-service"].maskedKey).toMatch(/^svc_/);
    expect(keys["legacy-import"].status).toBe("inactive");

    const preview = await example.preview();
    expect(preview.changeSummary).toEqual({ same: 4 });
    await expectNoPlaintextLeaked();
  });

  it("updates a description in place and leaves the secret's value alone", async () => {
    const keyId = (await inventory())["partner-x"].keyId;
    const before = await aws.plaintextOf(await secretArnOf(keyId));
    example.declare({ ...DECLARED, "partner-x": { ...DECLARED["partner-x"], description: "Partner X read and write API" } });
    const up = await example.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1, same: 3 });
    expect(await aws.plaintextOf(await secretArnOf(keyId))).toBe(before);
    expect((await inventory())["partner-x"].keyId).toBe(keyId);
    await expectNoPlaintextLeaked();
  });

  it("toggles status active, inactive, active in place", async () => {
    const keyId = (await inventory())["partner-x"].keyId;
    const partner = { ...DECLARED["partner-x"], description: "Partner X read and write API" };
    for (const status of ["inactive", "active"]) {
      example.declare({ ...DECLARED, "partner-x": { ...partner, status } });
      const up = await example.up();
      expect(up.summary.resourceChanges).toMatchObject({ update: 1, same: 3 });
      expect(await inventory()).toMatchObject({ "partner-x": { keyId, status } });
      expect((await aws.getRecord(keyId))!.status).toBe(status);
    }
    DECLARED["partner-x"] = partner;
    await expectNoPlaintextLeaked();
  });

  it("rotates a key in place when its trigger changes; the old value verifies during the grace period", async () => {
    const before = (await inventory())["partner-x"];
    const secretArn = await secretArnOf(before.keyId);
    const oldKey = await aws.plaintextOf(secretArn);
    const versions = async () => (await aws.secrets.send(new ListSecretVersionIdsCommand({ SecretId: secretArn }))).Versions!.length;
    const versionsBefore = await versions();
    DECLARED["partner-x"] = { ...DECLARED["partner-x"], rotation: { trigger: "2026-12", gracePeriod: "1h" } };
    example.declare(DECLARED);

    const up = await example.up();

    expect(up.summary.resourceChanges).toMatchObject({ update: 1, same: 3 });
    const after = (await inventory())["partner-x"];
    expect(after.keyId).toBe(before.keyId);
    expect(after.maskedKey).not.toBe(before.maskedKey);
    expect(await secretArnOf(after.keyId)).toBe(secretArn);
    expect(await versions()).toBe(versionsBefore + 1);
    const newKey = await aws.plaintextOf(secretArn);
    expect((await invoke(aws.stack, "verify", { key: oldKey })).payload.code).toBe("VALID");
    expect((await invoke(aws.stack, "verify", { key: newKey })).payload.code).toBe("VALID");
    const state = JSON.parse(await example.exportState());
    expect(state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::partner-x")).outputs.rotatedAt).toEqual(expect.any(String));
    expect((await example.preview()).changeSummary).toEqual({ same: 4 });
    await expectNoPlaintextLeaked();
  });

  it("revokes a leaked value with the installed apikeys bin; the unchanged declaration brings it back neither by up nor by refresh and up", async () => {
    const { keyId } = (await inventory())["partner-x"];
    const secretArn = await secretArnOf(keyId);
    const leaked = await aws.plaintextOf(secretArn);
    const versions = async () => (await aws.secrets.send(new ListSecretVersionIdsCommand({ SecretId: secretArn }))).Versions!.length;
    const code = async (key: string) => (await invoke(aws.stack, "verify", { key })).payload.code;
    const bin = path.join(example.project.dir, "node_modules/.bin/apikeys");
    const env = { ...example.env, APIKEYS_READ_FUNCTION: aws.stack.functions.read, APIKEYS_UPDATE_FUNCTION: aws.stack.functions.update };

    const revoke = await runProcess(bin, ["revoke", "--deactivate", "--reason", "pasted in a public issue", "--stack", example.stack.name, "--cwd", example.project.dir], { env, stdin: leaked });

    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain(`Managed by stack ${example.stack.name}: urn:pulumi:${example.stack.name}::`);
    expect(revoke.stdout).toMatch(/::partner-x\n/);
    expect(revoke.stdout + revoke.stderr).not.toContain(leaked);
    const revokedTo = (await aws.getRecord(keyId))!;
    const fresh = await aws.plaintextOf(secretArn);
    expect([await code(leaked), await code(fresh)]).toEqual(["ROTATED_OUT", "INACTIVE"]);
    expect(revokedTo.rotation).toEqual(DECLARED["partner-x"].rotation);
    const versionsAfterRevoke = await versions();

    // The unchanged declaration, state not refreshed: nothing to do, nothing rotates.
    const up = await example.up();
    expect(up.summary.resourceChanges).toEqual({ same: 4 });
    expect([await code(leaked), (await aws.getRecord(keyId))!.maskedKey, await versions()]).toEqual(["ROTATED_OUT", revokedTo.maskedKey, versionsAfterRevoke]);

    // Refreshed, the state learns the new masked key and the status; the next up switches the key on as declared,
    // and rotates nothing: the stored trigger is still the declared one.
    const refresh = await example.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1, same: 3 });
    const refreshed = JSON.parse(await example.exportState()).deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::partner-x")).outputs;
    expect(refreshed).toMatchObject({ maskedKey: revokedTo.maskedKey, status: "inactive", rotation: DECLARED["partner-x"].rotation });
    const again = await example.up();
    expect(again.summary.resourceChanges).toEqual({ update: 1, same: 3 });
    expect(await aws.getRecord(keyId)).toMatchObject({ status: "active", maskedKey: revokedTo.maskedKey, rotation: DECLARED["partner-x"].rotation });
    expect([await code(leaked), await code(fresh), await versions()]).toEqual(["ROTATED_OUT", "VALID", versionsAfterRevoke]);
    expect((await example.preview()).changeSummary).toEqual({ same: 4 });
    await expectNoPlaintextLeaked();
  });

  it("replaces a key whose prefix changes: new secret, old one scheduled for deletion", async () => {
    const old = (await inventory())["billing-service"];
    const oldArn = await secretArnOf(old.keyId);
    DECLARED["billing-service"] = { ...DECLARED["billing-service"], prefix: "bill" };
    example.declare(DECLARED);
    const up = await example.up();
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1, same: 3 });
    const replaced = (await inventory())["billing-service"];
    expect(replaced.keyId).not.toBe(old.keyId);
    expect(replaced.maskedKey).toMatch(/^bill_/);
    expect((await aws.secrets.send(new DescribeSecretCommand({ SecretId: oldArn }))).DeletedDate).toBeInstanceOf(Date);
    const newArn = await secretArnOf(replaced.keyId);
    expect((await aws.secrets.send(new DescribeSecretCommand({ SecretId: newArn }))).DeletedDate).toBeUndefined();
    await expectNoPlaintextLeaked();
  });

  it("shows out-of-band changes on refresh, and the next up restores the declared state", async () => {
    const keys = await inventory();
    const deactivated = keys["partner-x"].keyId;
    const deleted = keys["legacy-import"].keyId;
    const deletedPlaintext = await aws.plaintextOf(await secretArnOf(deleted));
    await aws.dynamo.send(
      new UpdateCommand({
        TableName: aws.stack.tableName,
        Key: { pk: ItemKey.record(deactivated) },
        UpdateExpression: "SET #status = :inactive",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":inactive": "inactive" },
      }),
    );
    // An operator deletes the other key with the backend's own delete function, outside Pulumi.
    const removed = await invoke(aws.stack, "delete", { keyId: deleted, recoveryWindowInDays: 7 });
    expect(removed.payload).toMatchObject({ ok: true, result: { deleted: true } });
    expect(await aws.getLookup(hashKey(deletedPlaintext))).toBeUndefined();

    const refresh = await example.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1, delete: 1 });
    const state = JSON.parse(await example.exportState());
    const stateOf = (name: string) => state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith(`::${name}`));
    expect(stateOf("partner-x").outputs.status).toBe("inactive");
    expect(stateOf("legacy-import")).toBeUndefined();

    const up = await example.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1, create: 1 });
    const restored = await inventory();
    expect(restored["partner-x"]).toMatchObject({ keyId: deactivated, status: "active" });
    expect(restored["legacy-import"].keyId).not.toBe(deleted);
    expect(await aws.plaintextOf(await secretArnOf(restored["legacy-import"].keyId))).not.toBe(deletedPlaintext);
    await expectNoPlaintextLeaked();
  });

  it("fails a bad declaration at preview, naming the property, and creates nothing", async () => {
    const [items, secrets] = [(await aws.scanItems()).length, (await aws.secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList!.length];
    example.declare({ ...DECLARED, "empty-name": { name: "" } });
    await expect(example.preview()).rejects.toThrow(/must not be empty/);
    expect(example.output()).toMatch(/empty-name/);
    expect(example.output()).toMatch(/name.*must not be empty/);
    expect((await aws.scanItems()).length).toBe(items);
    expect((await aws.secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList!.length).toBe(secrets);
  });

  it("destroys every key: nothing verifies and every secret is scheduled for deletion", async () => {
    example.declare(DECLARED);
    const destroy = await example.destroy();
    expect(destroy.summary.resourceChanges).toMatchObject({ delete: 4 });
    const items = await aws.scanItems();
    expect(items.filter((item) => item.type === "lookup")).toEqual([]);
    expect(items.filter((item) => item.type === "key").every((item) => item.status === "deleted")).toBe(true);
    const { SecretList = [] } = await aws.secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    expect(SecretList.length).toBeGreaterThan(0);
    expect(SecretList.every((secret) => secret.DeletedDate)).toBe(true);
    await expectNoPlaintextLeaked();
  });
});
