import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { randomUUID } from "node:crypto";
import { VerifyCode, keyIdFor } from "../../../contract";
import { deleteKey } from "../../../lambdas/operations/deleteKey";
import { issueKey } from "../../../lambdas/operations/issueKey";
import { verifyKey } from "../../../lambdas/operations/verifyKey";
import { useLocalStack } from "../../support/useLocalStack";
import { useLocalBackend } from "../../support/localBackend";
import { useFailpoints } from "../../support/failpoints";
import { createPendingValue, setPendingValue } from "../../../lambdas/operations/rotationSteps";
import type { Backend } from "../../../lambdas/Backend";
import type { KeyStore } from "../../../lambdas/store/KeyStore";

const aws = useLocalStack();
const failpoints = useFailpoints();
const backend = useLocalBackend(aws);

describe("deleteKey", () => {
  it("stops verification first; when it stops before the secret, a retry schedules the secret", async () => {
    const view = await issueKey(backend, { name: "Half deleted" });
    const key = await aws.plaintextOf(view.secretArn);
    failpoints.arm("delete.afterTombstone");

    await expect(deleteKey(backend, { keyId: view.keyId, recoveryWindowInDays: 7 })).rejects.toThrow("failpoint");

    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.NOT_FOUND);
    expect((await aws.secrets.send(new DescribeSecretCommand({ SecretId: view.secretArn }))).DeletedDate).toBeUndefined();
    failpoints.disarm();
    await deleteKey(backend, { keyId: view.keyId, recoveryWindowInDays: 7 });
    expect((await aws.secrets.send(new DescribeSecretCommand({ SecretId: view.secretArn }))).DeletedDate).toBeInstanceOf(Date);
  });

  it("removes both values of a key in its rotation grace period", async () => {
    const view = await issueKey(backend, { name: "Rotated then deleted", rotation: { trigger: "1", gracePeriod: "1h" } });
    const oldKey = await aws.plaintextOf(view.secretArn);
    const { updateKey } = await import("../../../lambdas/operations/updateKey");
    await updateKey(backend, { keyId: view.keyId, changes: { rotation: { trigger: "2", gracePeriod: "1h" } } });
    const newKey = await aws.plaintextOf(view.secretArn);
    await deleteKey(backend, { keyId: view.keyId, recoveryWindowInDays: 0 });
    expect((await verifyKey(backend, { key: oldKey })).code).toBe(VerifyCode.NOT_FOUND);
    expect((await verifyKey(backend, { key: newKey })).code).toBe(VerifyCode.NOT_FOUND);
    expect((await aws.scanItems()).filter((item) => item.type === "lookup" && item.keyId === view.keyId)).toEqual([]);
  });

  it("removes a pending value that a rotation added between its read and its tombstone", async () => {
    const view = await issueKey(backend, { name: "Deleted while rotating", rotation: { gracePeriod: "1h" } });
    const token = randomUUID();
    await createPendingValue(backend, view.secretArn, token);
    const pendingKey = (await backend.secrets.getValue(view.secretArn, { versionId: token }))!;
    // The rotation's setSecret commits just after the delete has read the record, before its tombstone.
    let raced = false;
    const racing = interleaved(backend, {
      tombstone: async (store, ...args) => {
        if (!raced) {
          raced = true;
          await setPendingValue(backend, view.secretArn, token);
        }
        return store.tombstone(...args);
      },
    });
    await deleteKey(racing, { keyId: view.keyId, recoveryWindowInDays: 7 });
    expect(raced).toBe(true);
    expect((await verifyKey(backend, { key: pendingKey })).code).toBe(VerifyCode.NOT_FOUND);
    expect((await aws.scanItems()).filter((item) => item.type === "lookup" && item.keyId === view.keyId)).toEqual([]);
    await expect(setPendingValue(backend, view.secretArn, token)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("leaves a tombstone for a key with no record yet, so a create under way cannot make it, and the create removes its secret", async () => {
    const requestToken = randomUUID();
    const keyId = keyIdFor(requestToken);
    // The delete lands after the create made its secret and before it writes the record.
    const racing = interleaved(backend, {
      put: async (store, ...args) => {
        expect(await deleteKey(backend, { keyId, recoveryWindowInDays: 7 })).toMatchObject({ keyId, deleted: false });
        return store.put(...args);
      },
    });
    await expect(issueKey(racing, { name: "Never made", requestToken })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/was deleted while it was being created/) });
    expect(await aws.getRecord(keyId)).toMatchObject({ status: "deleted" });
    expect(await aws.getRecord(keyId)).not.toHaveProperty("hash");
    expect((await aws.scanItems()).filter((item) => item.type === "lookup" && item.keyId === keyId)).toEqual([]);
    // Deleted at once by the create (it never backed a record), or scheduled by the delete: either way not live.
    const secret = await aws.secrets.send(new DescribeSecretCommand({ SecretId: `apikeys/${keyId}` })).catch((error: Error) => error.name);
    expect(secret === "ResourceNotFoundException" || (typeof secret === "object" && secret.DeletedDate instanceof Date)).toBe(true);
    await expect(issueKey(backend, { name: "Never made", requestToken })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

/** The backend with some store calls wrapped, to make another operation land at an exact point of this one. */
function interleaved(
  backend: Backend,
  wrappers: { [K in keyof KeyStore]?: (store: KeyStore, ...args: Parameters<KeyStore[K]>) => ReturnType<KeyStore[K]> },
): Backend {
  const store = backend.store;
  const wrapped = Object.create(store) as KeyStore;
  for (const [name, wrapper] of Object.entries(wrappers)) {
    (wrapped as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => (wrapper as (...a: unknown[]) => unknown)(store, ...args);
  }
  return { store: wrapped, secrets: backend.secrets, config: backend.config, now: backend.now };
}
