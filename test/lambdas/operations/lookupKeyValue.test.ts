import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ItemKey, KeyValueRole, VerifyCode, createKey, hashKey } from "../../../contract";
import { deleteKey } from "../../../lambdas/operations/deleteKey";
import { issueKey } from "../../../lambdas/operations/issueKey";
import { lookupKeyValue } from "../../../lambdas/operations/lookupKeyValue";
import { readKey } from "../../../lambdas/operations/readKey";
import { updateKey } from "../../../lambdas/operations/updateKey";
import { useLocalBackend } from "../../support/localBackend";
import { useLocalStack } from "../../support/useLocalStack";

// The lookup by hash that apikeys scan and revoke make: which key a value belongs to, and whether it is live.
const aws = useLocalStack();
const backend = useLocalBackend(aws);

describe("lookupKeyValue", () => {
  it("names the key of its current value and says it is live, through the read operation, recording no use", async () => {
    const view = await issueKey(backend, { name: "Found", owner: "team-a" });
    const key = await aws.plaintextOf(view.secretArn);
    const match = await readKey(backend, { hash: hashKey(key) });
    expect(match).toEqual({ keyId: view.keyId, code: VerifyCode.VALID, role: KeyValueRole.CURRENT, key: view });
    expect(await aws.getLookup(hashKey(key))).not.toHaveProperty("lastUsedAt");
  });

  it("tells a previous value in its grace period from one whose grace has ended, and an inactive key's value", async () => {
    const view = await issueKey(backend, { name: "Rotated", rotation: { trigger: "1", gracePeriod: "1h" } });
    const old = await aws.plaintextOf(view.secretArn);
    await updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "2", gracePeriod: "1h" } } });
    expect(await lookupKeyValue(backend, { hash: hashKey(old) })).toMatchObject({ code: VerifyCode.VALID, role: KeyValueRole.PREVIOUS });
    backend.advance(3_600_000);
    expect(await lookupKeyValue(backend, { hash: hashKey(old) })).toMatchObject({ code: VerifyCode.ROTATED_OUT, role: KeyValueRole.PREVIOUS });
    await updateKey(backend, { keyId: view.keyId, changes: { status: "inactive" } });
    const current = await aws.plaintextOf(view.secretArn);
    expect(await lookupKeyValue(backend, { hash: hashKey(current) })).toMatchObject({ code: VerifyCode.INACTIVE, role: KeyValueRole.CURRENT, key: { status: "inactive" } });
  });

  it("answers null for a value no backend issued and for a deleted key's value", async () => {
    expect(await lookupKeyValue(backend, { hash: hashKey(createKey().key) })).toBeNull();
    const view = await issueKey(backend, { name: "Deleted" });
    const key = await aws.plaintextOf(view.secretArn);
    await deleteKey(backend, { keyId: view.keyId, recoveryWindowInDays: 7 });
    expect(await lookupKeyValue(backend, { hash: hashKey(key) })).toBeNull();
  });

  it("reports a lookup item left for a deleted key as unnamed, with no key, and what verify still answers", async () => {
    const view = await issueKey(backend, { name: "Left over" });
    await deleteKey(backend, { keyId: view.keyId, recoveryWindowInDays: 7 });
    const stray = createKey().key;
    await aws.dynamo.send(
      new PutCommand({ TableName: aws.stack.tableName, Item: { pk: ItemKey.lookup(hashKey(stray)), type: "lookup", hash: hashKey(stray), keyId: view.keyId, name: "Left over", status: "active", scopes: [], metadata: {} } }),
    );
    expect(await lookupKeyValue(backend, { hash: hashKey(stray) })).toEqual({ keyId: view.keyId, code: VerifyCode.VALID, role: KeyValueRole.UNNAMED });
  });

  it.each([["a key instead of its hash", () => createKey().key], ["upper-case hex", () => hashKey("x").toUpperCase()], ["nothing", () => undefined]])(
    "refuses %s, naming the property and never repeating the value",
    async (_case, value) => {
      const hash = value();
      const error = await lookupKeyValue(backend, { hash } as never).catch((caught) => caught);
      expect(error).toMatchObject({ code: "VALIDATION", property: "hash" });
      if (hash) expect(error.message).not.toContain(hash);
    },
  );
});
