import { randomUUID } from "node:crypto";
import { ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { hashKey, keyIdFor, VerifyCode } from "../../../contract";
import { deleteKey } from "../../../lambdas/operations/deleteKey";
import { issueKey } from "../../../lambdas/operations/issueKey";
import { verifyKey } from "../../../lambdas/operations/verifyKey";
import { DynamoKeyStore } from "../../../lambdas/store/DynamoKeyStore";
import { useLocalStack } from "../../support/useLocalStack";
import { useLocalBackend } from "../../support/localBackend";
import { useFailpoints } from "../../support/failpoints";

const aws = useLocalStack();
const failpoints = useFailpoints();
const backend = useLocalBackend(aws);

/** Live (not scheduled for deletion) secrets of one key. */
async function liveSecrets(keyId: string): Promise<string[]> {
  const { SecretList = [] } = await aws.secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
  return SecretList.filter((secret) => secret.Name === `apikeys/${keyId}` && !secret.DeletedDate).map((secret) => secret.ARN!);
}

async function itemsOf(keyId: string): Promise<Record<string, any>[]> {
  return (await aws.scanItems()).filter((item) => item.keyId === keyId);
}

describe("issueKey", () => {
  it("returns the same key for a repeated request token and makes no second secret", async () => {
    const requestToken = randomUUID();
    const first = await issueKey(backend, { name: "Once", requestToken });
    const second = await issueKey(backend, { name: "Once", requestToken });
    expect(second).toEqual(first);
    expect(first.keyId).toBe(keyIdFor(requestToken));
    expect(await liveSecrets(first.keyId)).toHaveLength(1);
  });

  it("refuses a request token that is not an opaque id", async () => {
    await expect(issueKey(backend, { name: "Token", requestToken: "short" })).rejects.toMatchObject({ code: "VALIDATION", property: "requestToken" });
  });

  it("deletes the secret at once when the record write fails, and a retry with the token converges", async () => {
    class FailingStore extends DynamoKeyStore {
      override async put(): Promise<void> {
        throw new Error("injected: TransactWriteItems failed");
      }
    }
    const requestToken = randomUUID();
    const keyId = keyIdFor(requestToken);
    const store = new FailingStore((backend.store as any).client, aws.stack.tableName, aws.stack.auditTableName);
    const failing = { store, secrets: backend.secrets, config: backend.config, now: backend.now };

    await expect(issueKey(failing, { name: "Orphan", requestToken })).rejects.toThrow("injected");
    expect(await liveSecrets(keyId)).toEqual([]);
    expect(await itemsOf(keyId)).toEqual([]);

    const retried = await issueKey(backend, { name: "Orphan", requestToken });
    expect(retried.keyId).toBe(keyId);
    expect(await liveSecrets(keyId)).toHaveLength(1);
  });

  it("after stopping between the secret and the record, a retry reuses the secret's value", async () => {
    const requestToken = randomUUID();
    const keyId = keyIdFor(requestToken);
    failpoints.arm("create.afterSecret");
    await expect(issueKey(backend, { name: "Interrupted", requestToken })).rejects.toThrow("failpoint create.afterSecret");
    expect(await itemsOf(keyId)).toEqual([]);
    const [arn] = await liveSecrets(keyId);
    const stored = await aws.plaintextOf(arn);
    expect((await verifyKey(backend, { key: stored })).code).toBe(VerifyCode.NOT_FOUND);

    failpoints.disarm();
    const view = await issueKey(backend, { name: "Interrupted", requestToken });
    expect(view.keyId).toBe(keyId);
    expect(await liveSecrets(keyId)).toEqual([arn]);
    expect((await aws.getRecord(keyId))!.hash).toBe(hashKey(stored));
    expect((await verifyKey(backend, { key: stored })).code).toBe(VerifyCode.VALID);
  });

  it("after stopping between the secret and the record, a delete removes the secret", async () => {
    const requestToken = randomUUID();
    const keyId = keyIdFor(requestToken);
    failpoints.arm("create.afterSecret");
    await expect(issueKey(backend, { name: "Abandoned", requestToken })).rejects.toThrow();
    failpoints.disarm();
    expect(await deleteKey(backend, { keyId, recoveryWindowInDays: 7 })).toMatchObject({ deleted: false });
    expect(await liveSecrets(keyId)).toEqual([]);
  });

  it("undoes the record and the secret when a step after the record fails, and a retry converges", async () => {
    const requestToken = randomUUID();
    const keyId = keyIdFor(requestToken);
    failpoints.arm("create.afterRecord");
    await expect(issueKey(backend, { name: "Undone", requestToken })).rejects.toThrow("failpoint create.afterRecord");
    expect(await itemsOf(keyId)).toEqual([]);
    expect(await liveSecrets(keyId)).toEqual([]);

    failpoints.disarm();
    const view = await issueKey(backend, { name: "Undone", requestToken });
    expect(view.keyId).toBe(keyId);
    expect((await verifyKey(backend, { key: await aws.plaintextOf(view.secretArn) })).code).toBe(VerifyCode.VALID);
  });

  it("refuses automaticallyAfterDays on a backend without a rotation function before creating anything", async () => {
    const requestToken = randomUUID();
    await expect(issueKey(backend, { name: "Scheduled", requestToken, rotation: { automaticallyAfterDays: 30 } })).rejects.toMatchObject({
      property: "rotation.automaticallyAfterDays",
    });
    expect(await liveSecrets(keyIdFor(requestToken))).toEqual([]);
  });
});
