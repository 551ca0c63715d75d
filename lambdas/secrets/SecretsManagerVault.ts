import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SecretStage, type NewSecret, type SecretDescription, type SecretVault } from "./SecretVault";

function sdk(): typeof import("@aws-sdk/client-secrets-manager") {
  return require("@aws-sdk/client-secrets-manager");
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string })?.name;
}

/** {@link SecretVault} on AWS Secrets Manager. */
export class SecretsManagerVault implements SecretVault {
  constructor(private readonly client: SecretsManagerClient) {}

  async create(secret: NewSecret): Promise<{ arn: string; versionId: string }> {
    const { CreateSecretCommand } = sdk();
    const { ARN, VersionId } = await this.client.send(
      new CreateSecretCommand({
        Name: secret.name,
        SecretString: secret.value,
        Description: secret.description,
        KmsKeyId: secret.kmsKeyId,
        Tags: Object.entries(secret.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    if (!ARN || !VersionId) throw new Error(`CreateSecret for ${secret.name} returned no ARN or version`);
    return { arn: ARN, versionId: VersionId };
  }

  async describe(secretId: string): Promise<SecretDescription> {
    const { DescribeSecretCommand } = sdk();
    const secret = await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
    return {
      arn: secret.ARN!,
      tags: Object.fromEntries((secret.Tags ?? []).map((tag) => [tag.Key!, tag.Value ?? ""])),
      versions: secret.VersionIdsToStages ?? {},
      deletedDate: secret.DeletedDate,
      rotationDays: secret.RotationEnabled ? secret.RotationRules?.AutomaticallyAfterDays : undefined,
    };
  }

  async getValue(secretId: string, version: { versionId?: string; stage?: string }): Promise<string | undefined> {
    const { GetSecretValueCommand } = sdk();
    try {
      const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: version.versionId, VersionStage: version.stage }));
      return SecretString;
    } catch (error) {
      if (errorName(error) === "ResourceNotFoundException") return undefined;
      throw error;
    }
  }

  async putPending(secretId: string, token: string, value: string): Promise<void> {
    const { PutSecretValueCommand } = sdk();
    await this.client.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: token, SecretString: value, VersionStages: [SecretStage.PENDING] }));
  }

  async moveCurrent(secretId: string, versionId: string, fromVersionId: string | undefined): Promise<void> {
    const { UpdateSecretVersionStageCommand } = sdk();
    await this.client.send(
      new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: SecretStage.CURRENT, MoveToVersionId: versionId, RemoveFromVersionId: fromVersionId }),
    );
  }

  async clearPending(secretId: string, versionId: string): Promise<void> {
    const { UpdateSecretVersionStageCommand } = sdk();
    try {
      await this.client.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: SecretStage.PENDING, RemoveFromVersionId: versionId }));
    } catch (error) {
      // A newer rotation's createSecret took the label to its own version: it is off this one already.
      if (errorName(error) === "InvalidParameterException") return;
      throw error;
    }
  }

  async scheduleRotation(secretId: string, rotationFunctionArn: string, days: number): Promise<void> {
    const { RotateSecretCommand } = sdk();
    await this.client.send(
      new RotateSecretCommand({ SecretId: secretId, RotationLambdaARN: rotationFunctionArn, RotationRules: { AutomaticallyAfterDays: days }, RotateImmediately: false }),
    );
  }

  async cancelRotation(secretId: string): Promise<void> {
    const { CancelRotateSecretCommand } = sdk();
    await this.client.send(new CancelRotateSecretCommand({ SecretId: secretId }));
  }

  async scheduleDeletion(secretId: string, recoveryWindowInDays: number): Promise<void> {
    const { DeleteSecretCommand } = sdk();
    const window = recoveryWindowInDays === 0 ? { ForceDeleteWithoutRecovery: true } : { RecoveryWindowInDays: recoveryWindowInDays };
    try {
      await this.client.send(new DeleteSecretCommand({ SecretId: secretId, ...window }));
    } catch (error) {
      if (errorName(error) === "ResourceNotFoundException") return;
      // Deleting a secret already scheduled for deletion is an InvalidRequestException; ask rather than parse its wording.
      if (errorName(error) === "InvalidRequestException" && (await this.describe(secretId)).deletedDate) return;
      throw error;
    }
  }
}
