import path from "node:path";
import { DescribeSecretCommand, ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { hashKey } from "../../../contract";
import { useLocalStack } from "../../support/useLocalStack";
import { initFailureOf, useProviderHost } from "../../support/dynamicProviderHost";
import { useFailpoints } from "../../support/failpoints";
import { invoke } from "../../support/invoke";
import { useLeakScan } from "../../support/leakScan";

// A create Lambda that times out after making the secret: Pulumi must record the key, the next update must finish
// it with the same request token, and a destroy must remove what was made.
const URN = "urn:pulumi:dev::apikeys::pulumi-nodejs:dynamic/apikeys:ApiKey::interrupted";
const failpoints = useFailpoints();
// The hanging failpoint awaits a promise that never settles; the preloaded timer keeps the runtime waiting on it.
const BUSY = path.join(__dirname, "../../fixtures/busyEventLoop.js");
const aws = useLocalStack({ failpointFile: failpoints.file, functionEnv: { NODE_OPTIONS: `--require ${BUSY}` }, timeoutMs: 3_000 });
const provider = useProviderHost(aws);
const scan = useLeakScan(aws);
const declaration = (name: string) => provider.declaration({ name });

async function liveSecrets(keyId: string): Promise<number> {
  const { SecretList = [] } = await aws.secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
  return SecretList.filter((secret) => secret.Name === `apikeys/${keyId}` && !secret.DeletedDate).length;
}

async function failedCreate(name: string) {
  const { inputs } = await provider.host.check(URN, {}, declaration(name));
  failpoints.arm("create.afterSecret", "hang");
  const error = await provider.host.create(URN, inputs).then(
    () => undefined,
    (e: unknown) => e,
  );
  failpoints.disarm();
  expect(error).toBeDefined();
  expect((error as Error).message).toMatch(/Sandbox.Timedout.*not yet initialized/);
  return { inputs, failure: initFailureOf(error) };
}

describe("a create whose Lambda times out half-way", () => {
  it("is recorded under the keyId its token implies, with __provider, so Pulumi can finish or destroy it", async () => {
    const { failure } = await failedCreate("Timed out");
    expect(failure.id).toMatch(/^key_/);
    expect(failure.properties).toMatchObject({ requestToken: expect.any(String), __provider: provider.serializedProvider, name: "Timed out" });
    expect(failure.reasons).toEqual([expect.stringMatching(/Sandbox.Timedout/)]);
    expect(await liveSecrets(failure.id)).toBe(1);
    expect(await aws.getRecord(failure.id)).toBeUndefined();
  });

  it("is finished by the next update, which reuses the secret made before the timeout", async () => {
    const { inputs, failure } = await failedCreate("Finished later");
    const [orphan] = (await aws.secrets.send(new ListSecretsCommand({}))).SecretList!.filter((s) => s.Name === `apikeys/${failure.id}`);
    const plaintext = await aws.plaintextOf(orphan.ARN!);

    // A refresh in between keeps the half-made key rather than forgetting it.
    expect(await provider.host.read(URN, failure.id, failure.properties)).toMatchObject({ id: failure.id });
    const updated = await provider.host.update(URN, failure.id, failure.properties, inputs);

    expect(updated.properties).toMatchObject({ keyId: failure.id, secretArn: orphan.ARN, version: 1 });
    expect(await liveSecrets(failure.id)).toBe(1);
    expect((await aws.getRecord(failure.id))!.hash).toBe(hashKey(plaintext));
    expect((await invoke(aws.stack, "verify", { key: plaintext })).payload.code).toBe("VALID");
  });

  it("is removed by a destroy: the secret made before the timeout is scheduled for deletion", async () => {
    const { failure } = await failedCreate("Destroyed");
    await scan.collect();
    const [orphan] = (await aws.secrets.send(new ListSecretsCommand({}))).SecretList!.filter((s) => s.Name === `apikeys/${failure.id}`);
    await provider.host.delete(URN, failure.id, failure.properties);
    expect((await aws.secrets.send(new DescribeSecretCommand({ SecretId: orphan.ARN }))).DeletedDate).toBeInstanceOf(Date);
    expect(await liveSecrets(failure.id)).toBe(0);
  });

  it("leaks no key into the answers, the provider's log or the Lambda logs", async () => {
    await scan.expectAbsent({ responses: JSON.stringify(provider.host.responses), hostStderr: provider.host.stderr(), lambdaLogs: aws.stack.lambda.allOutput() });
  });
});
