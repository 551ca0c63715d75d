import { DescribeSecretCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { ItemKey, VerifyCode } from "../../../contract";
import { issueKey } from "../../../lambdas/operations/issueKey";
import { updateKey } from "../../../lambdas/operations/updateKey";
import { verifyKey } from "../../../lambdas/operations/verifyKey";
import { useLocalStack } from "../../support/useLocalStack";
import { useLocalBackend } from "../../support/localBackend";
import { useFailpoints } from "../../support/failpoints";

const aws = useLocalStack();
const failpoints = useFailpoints();
const backend = useLocalBackend(aws);

async function currentVersionId(secretArn: string): Promise<string> {
  const stages = (await aws.secrets.send(new DescribeSecretCommand({ SecretId: secretArn }))).VersionIdsToStages!;
  return Object.keys(stages).find((id) => stages[id].includes("AWSCURRENT"))!;
}

async function versionCount(secretArn: string): Promise<number> {
  return (await aws.secrets.send(new ListSecretVersionIdsCommand({ SecretId: secretArn }))).Versions!.length;
}

async function code(key: string): Promise<string> {
  return (await verifyKey(backend, { key }, { recordUse: false })).code;
}

describe("updateKey rotating a key", () => {
  it.each([
    ["limited to an address range", { allowedCidrs: ["10.0.0.0/8"] }],
    ["not valid yet", { notBefore: "2999-01-01T00:00:00Z" }],
    ["limited in rate and credits", { rateLimit: { limit: 1, window: "1h" }, credits: { remaining: 1 } }],
  ])("rotates a key %s: the test of the new value asks whether it is wired up, not whether this call may use it", async (_case, fields) => {
    const view = await issueKey(backend, { name: "Restricted", rotation: { trigger: "1" }, ...fields });
    const oldKey = await aws.plaintextOf(view.secretArn);
    const rotated = await updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "2" } } });
    expect(rotated.rotation.trigger).toBe("2");
    const newKey = await aws.plaintextOf(view.secretArn);
    expect(newKey).not.toBe(oldKey);
    expect(await code(oldKey)).toBe(VerifyCode.ROTATED_OUT);
  });

  it("changes nothing that verify sees when it stops after staging the new value, and a retry converges", async () => {
    const view = await issueKey(backend, { name: "Staged", rotation: { trigger: "1", gracePeriod: "1h" } });
    const oldKey = await aws.plaintextOf(view.secretArn);
    failpoints.arm("rotate.afterPending");

    await expect(updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "2", gracePeriod: "1h" } } })).rejects.toThrow("failpoint");

    expect(await aws.getRecord(view.keyId)).toMatchObject({ version: 1, rotation: { trigger: "1" } });
    expect(await aws.plaintextOf(view.secretArn)).toBe(oldKey);
    expect(await code(oldKey)).toBe(VerifyCode.VALID);
    failpoints.disarm();
    const rotated = await updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "2", gracePeriod: "1h" } } });
    expect(rotated.rotation.trigger).toBe("2");
    expect(await code(await aws.plaintextOf(view.secretArn))).toBe(VerifyCode.VALID);
  });

  it("finishes the AWSCURRENT move on the next update when it stopped after the DynamoDB switch, without rotating twice", async () => {
    const view = await issueKey(backend, { name: "Switched", rotation: { trigger: "1", gracePeriod: "1h" } });
    const oldKey = await aws.plaintextOf(view.secretArn);
    failpoints.arm("rotate.afterSwitch");

    await expect(updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "2", gracePeriod: "1h" } } })).rejects.toThrow("failpoint");

    const record = (await aws.getRecord(view.keyId))!;
    expect(record.rotation.trigger).toBe("2");
    expect(await currentVersionId(view.secretArn)).not.toBe(record.secretVersionId);
    // Both values verify meanwhile: the old one is in its grace period, the new one is current in DynamoDB.
    expect(await code(oldKey)).toBe(VerifyCode.VALID);
    const versions = await versionCount(view.secretArn);

    failpoints.disarm();
    await updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "2", gracePeriod: "1h" } } });

    expect(await currentVersionId(view.secretArn)).toBe(record.secretVersionId);
    expect(await versionCount(view.secretArn)).toBe(versions);
    expect(await code(await aws.plaintextOf(view.secretArn))).toBe(VerifyCode.VALID);
  });

  it("keeps an abandoned rotation's pending value under the key's status, and drops it when a later rotation runs", async () => {
    const view = await issueKey(backend, { name: "Abandoned rotation", rotation: { trigger: "1", gracePeriod: "1h" } });
    failpoints.arm("rotate.afterLookup");
    await expect(updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "2", gracePeriod: "1h" } } })).rejects.toThrow("failpoint");
    failpoints.disarm();
    const pendingHash = (await aws.getRecord(view.keyId))!.pendingHash;
    const stages = (await aws.secrets.send(new DescribeSecretCommand({ SecretId: view.secretArn }))).VersionIdsToStages!;
    const pendingVersion = Object.keys(stages).find((id) => stages[id].includes("AWSPENDING"))!;
    const pendingKey = (await backend.secrets.getValue(view.secretArn, { versionId: pendingVersion }))!;
    expect(await code(pendingKey)).toBe(VerifyCode.VALID);

    await updateKey(backend, { keyId: view.keyId, changes: { status: "inactive" } });
    expect(await code(pendingKey)).toBe(VerifyCode.INACTIVE);

    await updateKey(backend, { keyId: view.keyId, changes: { status: "active", rotation: { trigger: "2", gracePeriod: "1h" } } });
    expect(await code(pendingKey)).toBe(VerifyCode.NOT_FOUND);
    expect(await aws.getLookup(pendingHash)).toBeUndefined();
    expect(await aws.getRecord(view.keyId)).not.toHaveProperty("pendingHash");
  });

  it("updates and rotates a key whose record names a value with no lookup item, as a race of an earlier release left some", async () => {
    const view = await issueKey(backend, { name: "Damaged", rotation: { trigger: "1", gracePeriod: "1h" } });
    await updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "2", gracePeriod: "1h" } } });
    const damaged = (await aws.getRecord(view.keyId))!;
    await aws.dynamo.send(new DeleteCommand({ TableName: aws.stack.tableName, Key: { pk: ItemKey.lookup(damaged.previousHash) } }));
    await aws.dynamo.send(new DeleteCommand({ TableName: aws.stack.tableName, Key: { pk: ItemKey.lookup(damaged.hash) } }));

    expect((await updateKey(backend, { keyId: view.keyId, changes: { status: "inactive" } })).status).toBe("inactive");
    expect(await aws.getLookup(damaged.previousHash)).toBeUndefined();
    await updateKey(backend, { keyId: view.keyId, changes: { status: "active", rotation: { trigger: "3", gracePeriod: "1h" } } });
    const healed = (await aws.getRecord(view.keyId))!;
    expect(healed.hash).not.toBe(damaged.hash);
    expect(await code(await aws.plaintextOf(view.secretArn))).toBe(VerifyCode.VALID);
    expect(await aws.getLookup(damaged.hash)).toBeUndefined();
  });

  it("answers a retried update whose first answer was lost with success, not a conflict", async () => {
    const view = await issueKey(backend, { name: "Retried" });
    const request = { keyId: view.keyId, changes: { description: "once" }, expectedVersion: 1 };
    const first = await updateKey(backend, request);
    const again = await updateKey(backend, request);
    expect(again).toEqual(first);
    await expect(updateKey(backend, { ...request, changes: { description: "something else" } })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("does not move the version on a rotation, so a scheduled rotation never fails the next update", async () => {
    const view = await issueKey(backend, { name: "Rotated", rotation: { trigger: "1" } });
    const rotated = await updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "2" } }, expectedVersion: 1 });
    expect(rotated.version).toBe(1);
    expect((await updateKey(backend, { keyId: view.keyId, changes: { description: "after" }, expectedVersion: 1 })).version).toBe(2);
  });

  it("clears an optional field sent as null", async () => {
    const view = await issueKey(backend, { name: "Owned", owner: "team-a", expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    const updated = await updateKey(backend, { keyId: view.keyId, changes: { owner: null, expiresAt: null } });
    expect(updated).not.toHaveProperty("owner");
    expect(updated).not.toHaveProperty("expiresAt");
    expect(await aws.getRecord(view.keyId)).not.toHaveProperty("owner");
  });

  it("refuses to clear a field that cannot be empty", async () => {
    const view = await issueKey(backend, { name: "Named" });
    await expect(updateKey(backend, { keyId: view.keyId, changes: { name: null } })).rejects.toMatchObject({ code: "VALIDATION", property: "name" });
  });
});

describe("updateKey changing limits, credits, allowed ranges and notBefore", () => {
  const LIMITS = { rateLimit: { limit: 50, window: "1m" }, credits: { remaining: 100, refill: { amount: 10, interval: "daily" as const } }, allowedCidrs: ["10.0.0.0/8"], notBefore: "2000-01-01T00:00:00.000Z" };

  it("stores them on the record and copies them to the lookup item, keeping the key's value", async () => {
    const view = await issueKey(backend, { name: "Limited", ...LIMITS });
    expect(view).toMatchObject({ ...LIMITS, creditsRemaining: 100 });
    const before = await aws.getRecord(view.keyId);
    expect(before).toMatchObject({ ...LIMITS, creditsSetAt: expect.any(String) });
    expect(await aws.getLookup(before!.hash as string)).toMatchObject({ ...LIMITS, creditsSetAt: before!.creditsSetAt });

    const changes = { rateLimit: { limit: 5, window: "1s" }, credits: { remaining: 7 }, allowedCidrs: ["2001:db8::/32"], notBefore: null };
    backend.advance(1000);
    const updated = await updateKey(backend, { keyId: view.keyId, changes });
    expect(updated).toMatchObject({ rateLimit: changes.rateLimit, credits: changes.credits, allowedCidrs: changes.allowedCidrs, creditsRemaining: 7, maskedKey: view.maskedKey });
    expect(updated.notBefore).toBeUndefined();
    const after = await aws.getRecord(view.keyId);
    expect(after!.hash).toBe(before!.hash);
    expect(after!.creditsSetAt).not.toBe(before!.creditsSetAt);
    const lookup = await aws.getLookup(after!.hash as string);
    expect(lookup).toMatchObject({ rateLimit: changes.rateLimit, credits: changes.credits, allowedCidrs: changes.allowedCidrs, creditsSetAt: after!.creditsSetAt });
    expect(lookup!.notBefore).toBeUndefined();
  });

  it("refuses a notBefore after the key's stored expiry, naming notBefore", async () => {
    const expiresAt = new Date(backend.now().getTime() + 86_400_000).toISOString();
    const view = await issueKey(backend, { name: "Window", expiresAt });
    await expect(updateKey(backend, { keyId: view.keyId, changes: { notBefore: new Date(backend.now().getTime() + 2 * 86_400_000).toISOString() } })).rejects.toMatchObject({
      property: "notBefore",
      message: expect.stringMatching(/must be before expiresAt/),
    });
  });

  it("clears a rate limit and credits when sent null", async () => {
    const view = await issueKey(backend, { name: "Unlimited later", rateLimit: LIMITS.rateLimit, credits: LIMITS.credits });
    const updated = await updateKey(backend, { keyId: view.keyId, changes: { rateLimit: null, credits: null } });
    expect(updated.rateLimit).toBeUndefined();
    expect(updated.credits).toBeUndefined();
    const record = await aws.getRecord(view.keyId);
    expect(record).not.toHaveProperty("creditsSetAt");
    expect(await aws.getLookup(record!.hash as string)).not.toHaveProperty("rateLimit");
  });
});
