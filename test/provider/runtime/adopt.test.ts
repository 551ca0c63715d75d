import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { useLocalStack } from "../../support/useLocalStack";
import { useProviderHost } from "../../support/dynamicProviderHost";
import { invoke } from "../../support/invoke";

// `pulumi import` sends a dynamic provider only an id, so existing keys are taken over with the adopt input.
const URN = "urn:pulumi:dev::apikeys::pulumi-nodejs:dynamic/apikeys:ApiKey::adopted";
const aws = useLocalStack();
const provider = useProviderHost(aws);
const declaration = (overrides: Record<string, unknown>) => provider.declaration({ name: "Adopted", ...overrides });

async function existingKey() {
  const { payload } = await invoke(aws.stack, "create", { name: "Made by hand", description: "console" });
  return { view: payload.result, key: await aws.plaintextOf(payload.result.secretArn) };
}

describe("adopting an existing key", () => {
  it("takes it over without a new value, applies the declaration in place, and audits the adoption", async () => {
    const { view, key } = await existingKey();
    const { inputs, failures } = await provider.host.check(URN, {}, declaration({ description: "now in code", owner: "platform", adopt: { keyId: view.keyId } }));
    expect(failures).toEqual([]);

    const created = await provider.host.create(URN, inputs);

    expect(created.id).toBe(view.keyId);
    expect(created.properties).toMatchObject({ keyId: view.keyId, secretArn: view.secretArn, maskedKey: view.maskedKey, name: "Adopted", description: "now in code", owner: "platform" });
    expect(await aws.plaintextOf(view.secretArn)).toBe(key);
    expect((await invoke(aws.stack, "verify", { key })).payload).toMatchObject({ code: "VALID", name: "Adopted" });
    const { Items = [] } = await aws.dynamo.send(
      new QueryCommand({ TableName: aws.stack.auditTableName, KeyConditionExpression: "keyId = :k", ExpressionAttributeValues: { ":k": view.keyId } }),
    );
    expect(Items.map((item) => [item.action, item.changedFields])).toEqual([
      ["create", expect.any(Array)],
      ["adopt", ["description", "name", "owner"]],
    ]);

    // Later deletes behave as for any key.
    await provider.host.delete(URN, created.id, created.properties);
    expect((await invoke(aws.stack, "verify", { key })).payload.code).toBe("NOT_FOUND");
    expect((await aws.secrets.send(new DescribeSecretCommand({ SecretId: view.secretArn }))).DeletedDate).toBeInstanceOf(Date);
  });

  it("fails for a key that does not exist, creating nothing", async () => {
    const before = (await aws.scanItems()).length;
    const { inputs } = await provider.host.check(URN, {}, declaration({ adopt: { keyId: "key_0000000000000000" } }));
    await expect(provider.host.create(URN, inputs)).rejects.toThrow(/create via Lambda function ".*": key key_0000000000000000 does not exist or was deleted/);
    expect((await aws.scanItems()).length).toBe(before);
  });

  it("fails when the declared prefix is not the key's, naming the property", async () => {
    const { view } = await existingKey();
    const { inputs } = await provider.host.check(URN, {}, declaration({ prefix: "svc", adopt: { keyId: view.keyId } }));
    await expect(provider.host.create(URN, inputs)).rejects.toThrow(/prefix: must match the adopted key's prefix "ak", got "svc"/);
    expect(await aws.getRecord(view.keyId)).toMatchObject({ version: 1, name: "Made by hand" });
  });
});
