import { randomUUID } from "node:crypto";
import { DescribeSecretCommand, GetSecretValueCommand, UpdateSecretVersionStageCommand } from "@aws-sdk/client-secrets-manager";
import { hashKey } from "../../../contract";
import { useFailpoints } from "../../support/failpoints";
import { useLocalStack } from "../../support/useLocalStack";
import { invoke } from "../../support/invoke";

// moto does not call rotation Lambdas, so each step is invoked as Secrets Manager would: through the Lambda API.
// In IAM mode the role's policy refuses an unrelated secret before the code looks at it, as on AWS.
const failpoints = useFailpoints();
const aws = useLocalStack({ failpointFile: failpoints.file }, { refusalsExpected: (denial) => denial.resource.endsWith(":secret:unrelated") });

async function stages(secretArn: string): Promise<Record<string, string[]>> {
  return (await aws.secrets.send(new DescribeSecretCommand({ SecretId: secretArn }))).VersionIdsToStages ?? {};
}

async function valueOf(secretArn: string, versionId: string): Promise<string> {
  return (await aws.secrets.send(new GetSecretValueCommand({ SecretId: secretArn, VersionId: versionId }))).SecretString!;
}

async function step(Step: string, SecretId: string, ClientRequestToken: string) {
  return invoke(aws.stack, "rotation", { Step, SecretId, ClientRequestToken });
}

async function verify(key: string): Promise<string> {
  return (await invoke(aws.stack, "verify", { key })).payload.code;
}

async function createKey() {
  const { payload } = await invoke(aws.stack, "create", { name: "Rotated", rotation: { gracePeriod: "1h" } });
  expect(payload.ok).toBe(true);
  return { view: payload.result, key: await aws.plaintextOf(payload.result.secretArn) };
}

describe("the rotation Lambda", () => {
  it("runs createSecret, setSecret, testSecret and finishSecret in order, each safe to repeat", async () => {
    const { view, key: oldKey } = await createKey();
    const token = randomUUID();

    for (let i = 0; i < 2; i++) expect(await step("createSecret", view.secretArn, token)).toEqual({ payload: null, functionError: undefined });
    expect((await stages(view.secretArn))[token]).toEqual(["AWSPENDING"]);
    const newKey = await valueOf(view.secretArn, token);
    expect(newKey).not.toBe(oldKey);
    expect(newKey.startsWith("ak_")).toBe(true);

    for (let i = 0; i < 2; i++) expect((await step("setSecret", view.secretArn, token)).functionError).toBeUndefined();
    expect(await verify(newKey)).toBe("VALID");
    expect(await verify(oldKey)).toBe("VALID");

    for (let i = 0; i < 2; i++) expect((await step("testSecret", view.secretArn, token)).functionError).toBeUndefined();

    for (let i = 0; i < 2; i++) expect((await step("finishSecret", view.secretArn, token)).functionError).toBeUndefined();
    expect((await stages(view.secretArn))[token]).toEqual(["AWSCURRENT"]);
    expect(await aws.plaintextOf(view.secretArn)).toBe(newKey);
    const record = await aws.getRecord(view.keyId);
    expect(record).toMatchObject({ keyId: view.keyId, secretArn: view.secretArn, hash: hashKey(newKey), previousHash: hashKey(oldKey), version: 1 });
    expect(await aws.getLookup(hashKey(oldKey))).toMatchObject({ retiresAt: expect.any(String) });
    expect(await verify(oldKey)).toBe("VALID"); // within the one-hour grace period
    expect(await verify(newKey)).toBe("VALID");
  });

  it("survives steps out of order without losing the current value", async () => {
    const { view, key: firstKey } = await createKey();
    const first = randomUUID();
    for (const name of ["createSecret", "setSecret", "testSecret", "finishSecret"]) await step(name, view.secretArn, first);
    const secondKey = await aws.plaintextOf(view.secretArn);

    const token = randomUUID();
    // finishSecret before createSecret: there is nothing to finish, and nothing changes.
    expect((await step("finishSecret", view.secretArn, token)).functionError).toBe("Unhandled");
    expect(await aws.plaintextOf(view.secretArn)).toBe(secondKey);

    await step("createSecret", view.secretArn, token);
    const thirdKey = await valueOf(view.secretArn, token);
    // testSecret before setSecret: the pending value does not verify yet, so the step fails.
    const early = await step("testSecret", view.secretArn, token);
    expect(early.functionError).toBe("Unhandled");
    expect(early.payload.errorMessage).toMatch(/answers NOT_FOUND/);
    expect(early.payload.errorMessage).not.toContain(thirdKey);

    // finishSecret before setSecret still switches both DynamoDB and the secret, in one go.
    expect((await step("finishSecret", view.secretArn, token)).functionError).toBeUndefined();
    for (const name of ["setSecret", "testSecret", "createSecret", "finishSecret"]) {
      expect((await step(name, view.secretArn, token)).functionError).toBeUndefined();
    }
    expect(await aws.plaintextOf(view.secretArn)).toBe(thirdKey);
    expect(await verify(thirdKey)).toBe("VALID");
    expect(await verify(secondKey)).toBe("VALID");
    // Only the value just replaced keeps a lookup item; the one before it is gone.
    expect(await verify(firstKey)).toBe("NOT_FOUND");
    expect(aws.stack.lambda.allOutput()).not.toContain(thirdKey);
  });

  it("answers a late step of a version a newer rotation replaced with CONFLICT, and brings none of its values back", async () => {
    const { view } = await createKey();
    const [replaced, newer, next] = [randomUUID(), randomUUID(), randomUUID()];
    for (const name of ["createSecret", "setSecret"]) await step(name, view.secretArn, replaced);
    const replacedKey = await valueOf(view.secretArn, replaced);
    expect(await verify(replacedKey)).toBe("VALID");
    for (const name of ["createSecret", "setSecret", "testSecret", "finishSecret"]) expect((await step(name, view.secretArn, newer)).functionError).toBeUndefined();
    const newerKey = await valueOf(view.secretArn, newer);
    expect(await verify(replacedKey)).toBe("NOT_FOUND");

    for (const name of ["setSecret", "finishSecret"]) {
      const late = await step(name, view.secretArn, replaced);
      expect(late.functionError).toBe("Unhandled");
      expect(late.payload.errorMessage).toMatch(/is no longer pending: a newer rotation replaced it/);
    }
    expect(await verify(replacedKey)).toBe("NOT_FOUND");
    expect((await aws.getRecord(view.keyId))!.hash).toBe(hashKey(newerKey));

    // Two rotations on, the value of `newer` is gone; repeating its finishSecret does not make it current again.
    for (const token of [next, randomUUID()]) {
      for (const name of ["createSecret", "setSecret", "testSecret", "finishSecret"]) expect((await step(name, view.secretArn, token)).functionError).toBeUndefined();
    }
    expect(await verify(newerKey)).toBe("NOT_FOUND");
    expect((await step("finishSecret", view.secretArn, newer)).functionError).toBe("Unhandled");
    expect(await verify(newerKey)).toBe("NOT_FOUND");
  });

  it("keeps the first value when two createSecret steps of one token race, so the value setSecret used is the one that becomes current", async () => {
    const { view } = await createKey();
    const token = randomUUID();
    // The first createSecret found no version of the token, and is held just before storing its own.
    const held = failpoints.pauseOnce("rotate.beforePending");
    const late = step("createSecret", view.secretArn, token);
    expect(await held).toBe(true);
    // Meanwhile the same step runs again, and the rotation carries on with its value.
    for (const name of ["createSecret", "setSecret"]) expect((await step(name, view.secretArn, token)).functionError).toBeUndefined();
    const pendingKey = await valueOf(view.secretArn, token);
    failpoints.disarm();
    // Secrets Manager refuses other data under an existing version's token; the late step counts the version as made.
    expect((await late).functionError).toBeUndefined();
    expect(await valueOf(view.secretArn, token)).toBe(pendingKey);
    for (const name of ["testSecret", "finishSecret"]) expect((await step(name, view.secretArn, token)).functionError).toBeUndefined();
    expect(await aws.plaintextOf(view.secretArn)).toBe(pendingKey);
    expect((await aws.getRecord(view.keyId))!.hash).toBe(hashKey(pendingKey));
    expect(await verify(pendingKey)).toBe("VALID");
  });

  it("moves AWSCURRENT back to the record's version before and after a switch when a stale move left it elsewhere", async () => {
    const { view, key: firstKey } = await createKey();
    const first = Object.keys(await stages(view.secretArn))[0];
    const token = randomUUID();
    for (const name of ["createSecret", "setSecret", "testSecret", "finishSecret"]) await step(name, view.secretArn, token);
    // A mover acting on an old view of the record puts AWSCURRENT back on the first version.
    await aws.secrets.send(new UpdateSecretVersionStageCommand({ SecretId: view.secretArn, VersionStage: "AWSCURRENT", MoveToVersionId: first, RemoveFromVersionId: token }));
    expect(await aws.plaintextOf(view.secretArn)).toBe(firstKey);

    expect((await step("finishSecret", view.secretArn, token)).functionError).toBeUndefined();
    expect((await stages(view.secretArn))[token]).toEqual(["AWSCURRENT"]);
    expect(hashKey(await aws.plaintextOf(view.secretArn))).toBe((await aws.getRecord(view.keyId))!.hash);
  });

  it("refuses a secret that is not an apikeys secret", async () => {
    const result = await step("createSecret", "arn:aws:secretsmanager:us-east-1:123456789012:secret:unrelated", randomUUID());
    expect(result.functionError).toBe("Unhandled");
  });
});
