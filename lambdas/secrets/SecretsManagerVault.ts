import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { NewSecret, SecretVault } from "./SecretVault";

function sdk(): typeof import("@aws-sdk/client-secrets-manager") {
  return require("@aws-sdk/client-secrets-manager");
}

/** {@link SecretVault} on AWS Secrets Manager. */
export class SecretsManagerVault implements SecretVault {
  constructor(private readonly client: SecretsManagerClient) {}

  async create(secret: NewSecret): Promise<string> {
    const { CreateSecretCommand } = sdk();
    const { ARN } = await this.client.send(
      new CreateSecretCommand({
        Name: secret.name,
        SecretString: secret.value,
        Description: secret.description,
        KmsKeyId: secret.kmsKeyId,
        Tags: Object.entries(secret.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    if (!ARN) throw new Error(`CreateSecret for ${secret.name} returned no ARN`);
    return ARN;
  }

  async scheduleDeletion(secretId: string, recoveryWindowInDays: number): Promise<void> {
    const { DeleteSecretCommand, DescribeSecretCommand } = sdk();
    const window = recoveryWindowInDays === 0 ? { ForceDeleteWithoutRecovery: true } : { RecoveryWindowInDays: recoveryWindowInDays };
    try {
      await this.client.send(new DeleteSecretCommand({ SecretId: secretId, ...window }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === "ResourceNotFoundException") return;
      // Deleting a secret already scheduled for deletion is an InvalidRequestException; ask rather than parse its wording.
      if (name === "InvalidRequestException") {
        const { DeletedDate } = await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
        if (DeletedDate) return;
      }
      throw error;
    }
  }
}
