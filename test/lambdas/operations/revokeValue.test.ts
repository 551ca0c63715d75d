import { DescribeSecretCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { VerifyCode, createKey, hashKey, maskKey } from "../../../contract";
import { issueKey } from "../../../lambdas/operations/issueKey";
import { updateKey } from "../../../lambdas/operations/updateKey";
import { verifyKey } from "../../../lambdas/operations/verifyKey";
import { useFailpoints } from "../../support/failpoints";
import { useLocalBackend } from "../../support/localBackend";
import { useLocalStack } from "../../support/useLocalStack";

// updateKey with `revoke`: a leaked value dies at once by a rotation, and the declared settings stay as they were.
const aws = useLocalStack();
const failpoints = useFailpoints();
const backend = useLocalBackend(aws);
const REASON = "found in a public gist, INC-42";
const DECLARED = { trigger: "2026-11", gracePeriod: "1h" };

async function code(key: string): Promise<string> {
  return (await verifyKey(backend, { key }, { recordUse: false })).code;
}

async function trailOf(keyId: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await aws.dynamo.send(
    new QueryCommand({ TableName: aws.stack.auditTableName, KeyConditionExpression: "keyId = :keyId", ExpressionAttributeValues: { ":keyId": keyId }, ConsistentRead: true }),
  );
  return Items;
}

/** The revoke events of a key (in no particular order: the test's clock may stand still between them). */
async function revokesOf(keyId: string): Promise<Record<string, any>[]> {
  return (await trailOf(keyId)).filter((event) => event.action === "revoke");
}

async function versionCount(secretArn: string): Promise<number> {
  return (await aws.secrets.send(new ListSecretVersionIdsCommand({ SecretId: secretArn }))).Versions!.length;
}

async function declaredKey(name: string) {
  const view = await issueKey(backend, { name, rotation: DECLARED });
  return { view, key: await aws.plaintextOf(view.secretArn) };
}

describe("updateKey revoking a value", () => {
  it("rotates the current value out at once, keeps keyId, secret and the declared rotation, and audits rotate then revoke", async () => {
    const { view, key: leaked } = await declaredKey("Leaked");
    const revoked = await updateKey(backend, { keyId: view.keyId, changes: {}, revoke: { hash: hashKey(leaked) }, context: { actor: "arn:aws:iam::1:user/oncall", reason: REASON } });

    expect(await code(leaked)).toBe(VerifyCode.ROTATED_OUT);
    const fresh = await aws.plaintextOf(view.secretArn);
    expect(fresh).not.toBe(leaked);
    expect(await code(fresh)).toBe(VerifyCode.VALID);
    expect(revoked).toMatchObject({ keyId: view.keyId, secretArn: view.secretArn, maskedKey: maskKey(fresh), rotation: DECLARED, version: view.version + 1 });
    expect(await aws.getRecord(view.keyId)).toMatchObject({ rotation: DECLARED, hash: hashKey(fresh), previousHash: hashKey(leaked) });
    // The test's clock stands still, so both events of the revoke carry one instant: compare them by action.
    const trail = (await trailOf(view.keyId)).sort((a, b) => a.action.localeCompare(b.action));
    expect(trail.map((event) => [event.action, event.changedFields, event.reason])).toEqual([
      ["create", expect.any(Array), undefined],
      ["revoke", ["key"], REASON],
      ["rotate", ["key", "rotation"], REASON],
    ]);
    expect(trail[1]).toMatchObject({ maskedKey: maskKey(leaked), actor: "arn:aws:iam::1:user/oncall" });
  });

  it("leaves the next update of the unchanged declaration nothing to rotate: the leaked value stays refused", async () => {
    const { view, key: leaked } = await declaredKey("Declared after");
    const revoked = await updateKey(backend, { keyId: view.keyId, changes: {}, revoke: { hash: hashKey(leaked) }, context: { reason: REASON } });
    const versions = await versionCount(view.secretArn);
    // What a deployment sends when its state holds other rotation settings than the backend: the declared ones.
    const redeployed = await updateKey(backend, { keyId: view.keyId, changes: { rotation: DECLARED } });
    expect(redeployed.maskedKey).toBe(revoked.maskedKey);
    expect(await versionCount(view.secretArn)).toBe(versions);
    expect(await code(leaked)).toBe(VerifyCode.ROTATED_OUT);
  });

  it("where a revoke by a new trigger would make that same redeployment rotate once more, which the check above sees", async () => {
    const { view } = await declaredKey("Trigger revoke");
    const byTrigger = await updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "revoked", gracePeriod: "0s" } } });
    const redeployed = await updateKey(backend, { keyId: view.keyId, changes: { rotation: DECLARED } });
    expect(redeployed.maskedKey).not.toBe(byTrigger.maskedKey);
  });

  it("switches the key off too when asked, in the revoke event", async () => {
    const { view, key: leaked } = await declaredKey("Leaked and off");
    await updateKey(backend, { keyId: view.keyId, changes: { status: "inactive" }, revoke: { hash: hashKey(leaked) }, context: { reason: REASON } });
    expect(await code(leaked)).toBe(VerifyCode.ROTATED_OUT);
    expect(await code(await aws.plaintextOf(view.secretArn))).toBe(VerifyCode.INACTIVE);
    expect(await revokesOf(view.keyId)).toEqual([expect.objectContaining({ changedFields: ["key", "status"], reason: REASON })]);
    // Switching it on again never brings the leaked value back: it is rotated out, not switched off.
    await updateKey(backend, { keyId: view.keyId, changes: { status: "active" } });
    expect(await code(leaked)).toBe(VerifyCode.ROTATED_OUT);
  });

  it("drops a leaked previous value and gives the current one, which did not leak, its declared grace", async () => {
    const { view, key: leaked } = await declaredKey("Previous leaked");
    await updateKey(backend, { keyId: view.keyId, changes: { rotation: { ...DECLARED, trigger: "2026-12" } } });
    const current = await aws.plaintextOf(view.secretArn);
    expect(await code(leaked)).toBe(VerifyCode.VALID);

    await updateKey(backend, { keyId: view.keyId, changes: {}, revoke: { hash: hashKey(leaked) }, context: { reason: REASON } });

    expect(await code(leaked)).toBe(VerifyCode.NOT_FOUND);
    expect(await code(current)).toBe(VerifyCode.VALID);
    backend.advance(3_600_000);
    expect(await code(current)).toBe(VerifyCode.ROTATED_OUT);
    expect(await code(await aws.plaintextOf(view.secretArn))).toBe(VerifyCode.VALID);
    expect((await aws.getRecord(view.keyId))!.rotation).toEqual({ ...DECLARED, trigger: "2026-12" });
  });

  it("rotates nothing for a value that is refused already, and still records the revoke", async () => {
    const { view, key: leaked } = await declaredKey("Already out");
    await updateKey(backend, { keyId: view.keyId, changes: {}, revoke: { hash: hashKey(leaked) }, context: { reason: REASON } });
    const [record, versions] = [await aws.getRecord(view.keyId), await versionCount(view.secretArn)];
    await updateKey(backend, { keyId: view.keyId, changes: {}, revoke: { hash: hashKey(leaked) }, context: { reason: `${REASON}, again` } });
    expect((await aws.getRecord(view.keyId))!.hash).toBe(record!.hash);
    expect(await versionCount(view.secretArn)).toBe(versions);
    expect((await revokesOf(view.keyId)).map((event) => [event.reason, event.changedFields]).sort(([a], [b]) => a.length - b.length)).toEqual([
      [REASON, ["key"]],
      [`${REASON}, again`, []],
    ]);
  });

  it("leaves the leaked value working when its rotation stops half way, so the failure is seen, and a retry kills it", async () => {
    const { view, key: leaked } = await declaredKey("Interrupted");
    failpoints.arm("rotate.afterLookup");
    await expect(updateKey(backend, { keyId: view.keyId, changes: {}, revoke: { hash: hashKey(leaked) }, context: { reason: REASON } })).rejects.toThrow("failpoint");
    expect(await code(leaked)).toBe(VerifyCode.VALID);
    failpoints.disarm();
    await updateKey(backend, { keyId: view.keyId, changes: {}, revoke: { hash: hashKey(leaked) }, context: { reason: REASON } });
    expect(await code(leaked)).toBe(VerifyCode.ROTATED_OUT);
    expect((await aws.getRecord(view.keyId))!.rotation).toEqual(DECLARED);
  });

  it.each([
    ["no reason", { context: {} }, "context.reason"],
    ["a hash that is not one", { revoke: { hash: "nope" } }, "revoke.hash"],
    ["the key itself instead of its hash", "key", "revoke.hash"],
    ["new rotation settings in the same request", { changes: { rotation: { trigger: "x" } } }, "rotation"],
    ["the hash of another key's value", "other", "revoke.hash"],
  ])("refuses %s, naming the property, and changes nothing", async (_case, variant, property) => {
    const { view, key: leaked } = await declaredKey("Refused");
    const other = await declaredKey("Other");
    const base = { keyId: view.keyId, changes: {}, revoke: { hash: hashKey(leaked) }, context: { reason: REASON } };
    const request =
      variant === "key" ? { ...base, revoke: { hash: leaked } } : variant === "other" ? { ...base, revoke: { hash: hashKey(other.key) } } : { ...base, ...(variant as object) };
    const error = await updateKey(backend, request as never).catch((caught) => caught);
    expect(error).toMatchObject({ code: "VALIDATION", property });
    expect(error.message).not.toContain(leaked);
    expect(await code(leaked)).toBe(VerifyCode.VALID);
    expect(await aws.getRecord(view.keyId)).toMatchObject({ version: 1, hash: hashKey(leaked) });
    expect((await trailOf(view.keyId)).map((event) => event.action)).toEqual(["create"]);
  });

  it("answers NOT_FOUND for a deleted key, leaving nothing behind", async () => {
    const leaked = createKey().key;
    await expect(updateKey(backend, { keyId: "key_0000000000000000", changes: {}, revoke: { hash: hashKey(leaked) }, context: { reason: REASON } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("moves AWSCURRENT to the new value, so applications reading the secret get it", async () => {
    const { view, key: leaked } = await declaredKey("Secret moved");
    const revoked = await updateKey(backend, { keyId: view.keyId, changes: {}, revoke: { hash: hashKey(leaked) }, context: { reason: REASON } });
    const stages = (await aws.secrets.send(new DescribeSecretCommand({ SecretId: view.secretArn }))).VersionIdsToStages!;
    const record = (await aws.getRecord(view.keyId))!;
    expect(stages[record.secretVersionId]).toContain("AWSCURRENT");
    expect(maskKey(await aws.plaintextOf(view.secretArn))).toBe(revoked.maskedKey);
  });
});
