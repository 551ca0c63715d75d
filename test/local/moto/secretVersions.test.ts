import { DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startMotoServer, type MotoServer } from "../../../local/motoServer";

// A secret version never changes (AWS's PutSecretValue reference, ClientRequestToken): local/moto/secret_versions.py
// makes moto refuse, as AWS does, what moto as published allows for a version labelled AWSPENDING.
const TOKEN = "11111111-2222-4333-8444-555555555555";

async function secretsOn(moto: MotoServer): Promise<SecretsManagerClient> {
  const secrets = new SecretsManagerClient({ endpoint: moto.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
  await secrets.send(new CreateSecretCommand({ Name: "s", SecretString: "first" }));
  await secrets.send(new PutSecretValueCommand({ SecretId: "s", ClientRequestToken: TOKEN, SecretString: "pending", VersionStages: ["AWSPENDING"] }));
  return secrets;
}

function putPending(secrets: SecretsManagerClient, SecretString: string): Promise<string> {
  return secrets.send(new PutSecretValueCommand({ SecretId: "s", ClientRequestToken: TOKEN, SecretString, VersionStages: ["AWSPENDING"] })).then(
    () => "accepted",
    (error: Error) => error.name,
  );
}

async function valueOf(secrets: SecretsManagerClient, VersionId: string): Promise<string | undefined> {
  return (await secrets.send(new GetSecretValueCommand({ SecretId: "s", VersionId }))).SecretString;
}

/** A moto for this describe block, started with `options`, and its Secrets Manager client once the block runs. */
function useSecrets(options: Parameters<typeof startMotoServer>[0]): () => SecretsManagerClient {
  let moto: MotoServer | undefined;
  let secrets: SecretsManagerClient | undefined;
  beforeAll(async () => {
    moto = await startMotoServer(options);
    secrets = await secretsOn(moto);
  });
  afterAll(async () => {
    secrets?.destroy();
    await moto?.stop();
  });
  return () => secrets!;
}

describe("moto as published", () => {
  const secretsOf = useSecrets({ stock: true });

  it("lets a second PutSecretValue under a pending version's token replace its value, which AWS refuses", async () => {
    expect(await putPending(secretsOf(), "replaced")).toBe("accepted");
    expect(await valueOf(secretsOf(), TOKEN)).toBe("replaced");
  });
});

describe("moto with local/moto/secret_versions.py", () => {
  const secretsOf = useSecrets({});

  it("refuses other data under a pending version's token with ResourceExistsException, and keeps the value", async () => {
    expect(await putPending(secretsOf(), "replaced")).toBe("ResourceExistsException");
    expect(await valueOf(secretsOf(), TOKEN)).toBe("pending");
  });

  it("accepts the same data again under the token, as the idempotent retry it is", async () => {
    expect(await putPending(secretsOf(), "pending")).toBe("accepted");
    const { VersionIdsToStages } = await secretsOf().send(new DescribeSecretCommand({ SecretId: "s" }));
    expect(VersionIdsToStages?.[TOKEN]).toEqual(["AWSPENDING"]);
  });

  it("still creates a version for a token no version has", async () => {
    const other = "66666666-7777-4888-9999-000000000000";
    await secretsOf().send(new PutSecretValueCommand({ SecretId: "s", ClientRequestToken: other, SecretString: "another", VersionStages: ["AWSPENDING"] }));
    expect(await valueOf(secretsOf(), other)).toBe("another");
  });
});
