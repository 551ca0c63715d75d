import { SecretsManagerClient, ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { issueKey } from "../../../lambdas/operations/issueKey";
import { SecretsManagerVault } from "../../../lambdas/secrets/SecretsManagerVault";
import { DynamoKeyStore } from "../../../lambdas/store/DynamoKeyStore";
import type { Backend } from "../../../lambdas/Backend";
import { useLocalStack } from "../../support/useLocalStack";

const aws = useLocalStack();

function backendWith(store: Backend["store"]): Backend {
  const secrets = new SecretsManagerVault(new SecretsManagerClient(aws.stack.clientConfig("secretsmanager")));
  return { store, secrets, config: { tableName: aws.stack.tableName, secretPrefix: "apikeys/", lastUsedIntervalSeconds: 60 }, now: () => new Date() };
}

function documents(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(aws.stack.clientConfig("dynamodb")));
}

async function secretNames(): Promise<string[]> {
  const { SecretList } = await aws.secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
  return (SecretList ?? []).map((secret) => secret.Name!);
}

describe("issueKey", () => {
  it("deletes the secret it created when the record write fails, and reports the write's error", async () => {
    class FailingStore extends DynamoKeyStore {
      override async put(): Promise<void> {
        throw new Error("injected: TransactWriteItems failed");
      }
    }
    const failing = new FailingStore(documents(), aws.stack.tableName);
    const before = await secretNames();

    await expect(issueKey(backendWith(failing), { name: "Orphan", description: "", status: "active", prefix: "ak" })).rejects.toThrow("injected");

    expect(await secretNames()).toEqual(before);
    expect(await aws.scanItems()).toEqual([]);
  });

  it("creates through the real store when nothing fails", async () => {
    const real = new DynamoKeyStore(documents(), aws.stack.tableName);
    const view = await issueKey(backendWith(real), { name: "Fine", description: "", status: "active", prefix: "ak" });
    expect(await secretNames()).toContain(`apikeys/${view.keyId}`);
    expect(await aws.getRecord(view.keyId)).toMatchObject({ name: "Fine" });
  });
});

describe("issueKey with a rotation schedule", () => {
  it("refuses automaticallyAfterDays on a backend without a rotation function before creating anything", async () => {
    const real = new DynamoKeyStore(documents(), aws.stack.tableName);
    const before = await secretNames();
    await expect(issueKey(backendWith(real), { name: "Scheduled", rotation: { automaticallyAfterDays: 30 } })).rejects.toMatchObject({
      property: "rotation.automaticallyAfterDays",
    });
    expect(await secretNames()).toEqual(before);
  });
});
