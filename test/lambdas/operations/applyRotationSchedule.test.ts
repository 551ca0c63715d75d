import { mockClient } from "aws-sdk-client-mock";
import { CancelRotateSecretCommand, DescribeSecretCommand, RotateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { applyRotationSchedule } from "../../../lambdas/operations/applyRotationSchedule";
import { SecretsManagerVault } from "../../../lambdas/secrets/SecretsManagerVault";
import type { Backend } from "../../../lambdas/Backend";
import { backendConfig } from "../../../lambdas/backendConfig";
import type { KeyRecord } from "../../../lambdas/store/KeyStore";

// moto refuses RotateSecret for a function it does not host, so the call itself is checked against a client mock.
const secretsManager = mockClient(SecretsManagerClient);
const ROTATION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:apikeys-rotation";

function backend(rotationFunctionArn?: string): Backend {
  return {
    store: undefined as never,
    secrets: new SecretsManagerVault(new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } })),
    config: { ...backendConfig({}), rotationFunctionArn },
    now: () => new Date(),
  };
}

function record(automaticallyAfterDays?: number): KeyRecord {
  return { secretArn: "arn:secret", rotation: automaticallyAfterDays ? { automaticallyAfterDays } : {} } as KeyRecord;
}

/** What DescribeSecret says about the secret's schedule now. */
function secretSchedule(days?: number): void {
  secretsManager.on(DescribeSecretCommand).resolves({ ARN: "arn:secret", RotationEnabled: days !== undefined, RotationRules: days ? { AutomaticallyAfterDays: days } : undefined });
}

beforeEach(() => secretsManager.reset());

describe("applyRotationSchedule", () => {
  it("turns scheduled rotation on through the rotation function, without rotating now", async () => {
    secretSchedule(undefined);
    await applyRotationSchedule(backend(ROTATION_ARN), record(30));
    expect(secretsManager.commandCalls(RotateSecretCommand).map((call) => call.args[0].input)).toEqual([
      { SecretId: "arn:secret", RotationLambdaARN: ROTATION_ARN, RotationRules: { AutomaticallyAfterDays: 30 }, RotateImmediately: false },
    ]);
  });

  it("does nothing when the secret already rotates at the declared interval, and changes a different one", async () => {
    secretSchedule(30);
    await applyRotationSchedule(backend(ROTATION_ARN), record(30));
    expect(secretsManager.commandCalls(RotateSecretCommand)).toHaveLength(0);
    await applyRotationSchedule(backend(ROTATION_ARN), record(7));
    expect(secretsManager.commandCalls(RotateSecretCommand)[0].args[0].input.RotationRules).toEqual({ AutomaticallyAfterDays: 7 });
  });

  it("turns the schedule on after a failure left the record declaring it but the secret without it", async () => {
    // A retry cannot tell from the record alone: the record already says 30 days. The secret says otherwise.
    secretSchedule(undefined);
    await applyRotationSchedule(backend(ROTATION_ARN), record(30));
    expect(secretsManager.commandCalls(RotateSecretCommand)).toHaveLength(1);
  });

  it("cancels scheduled rotation when the days are removed", async () => {
    secretSchedule(30);
    await applyRotationSchedule(backend(ROTATION_ARN), record(undefined));
    expect(secretsManager.commandCalls(CancelRotateSecretCommand).map((call) => call.args[0].input)).toEqual([{ SecretId: "arn:secret" }]);
  });

  it("refuses a schedule when the backend has no rotation function, naming the property", async () => {
    secretSchedule(undefined);
    await expect(applyRotationSchedule(backend(undefined), record(30))).rejects.toMatchObject({ code: "VALIDATION", property: "rotation.automaticallyAfterDays" });
    expect(secretsManager.commandCalls(RotateSecretCommand)).toHaveLength(0);
  });
});
