import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { VerifyCode } from "../../../contract";
import { deleteKey } from "../../../lambdas/operations/deleteKey";
import { issueKey } from "../../../lambdas/operations/issueKey";
import { verifyKey } from "../../../lambdas/operations/verifyKey";
import { useLocalStack } from "../../support/useLocalStack";
import { useLocalBackend } from "../../support/localBackend";
import { useFailpoints } from "../../support/failpoints";

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
});
