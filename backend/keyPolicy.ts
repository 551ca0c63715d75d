import type { PolicyDocument } from "./PolicyDocument";

/** What the key policy names. */
export interface KeyPolicyParties {
  partition: string;
  region: string;
  accountId: string;
  /** Roles of the functions that write or read secret values (create, update, rotation). */
  secretUserRoleArns: string[];
  /** Secrets those roles may use the key for. */
  secretArnPattern: string;
}

/**
 * Administration only: the account (and through IAM, its administrators) manages the key but cannot encrypt or
 * decrypt with it, so a broad IAM grant elsewhere in the account never reaches the plaintext keys.
 */
export const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
] as const;

/** What DynamoDB needs on a customer managed key, on behalf of whoever creates or uses a table (AWS's list). */
export const TABLE_KEY_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:DescribeKey",
  "kms:CreateGrant",
] as const;

/**
 * The customer managed key's policy. In a key policy `Resource` must be "*" (AWS requires it; it means this key),
 * the only "*" resource in the backend. Cryptographic use is granted two ways, each only through one service:
 * - through DynamoDB, to account principals IAM allows (the deployer creating the tables, the functions, auditors
 *   querying the audit table), never directly;
 * - through Secrets Manager, to the named function roles, for our secrets only.
 */
export function keyPolicy(parties: KeyPolicyParties): PolicyDocument {
  const account = `arn:${parties.partition}:iam::${parties.accountId}:root`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "KeyAdministration", Effect: "Allow", Principal: { AWS: account }, Action: [...KEY_ADMIN_ACTIONS], Resource: "*" },
      {
        Sid: "TablesThroughDynamoDB",
        Effect: "Allow",
        Principal: { AWS: account },
        Action: [...TABLE_KEY_ACTIONS],
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": `dynamodb.${parties.region}.amazonaws.com`, "kms:CallerAccount": parties.accountId } },
      },
      {
        Sid: "SecretsThroughSecretsManager",
        Effect: "Allow",
        Principal: { AWS: parties.secretUserRoleArns },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": `secretsmanager.${parties.region}.amazonaws.com` },
          StringLike: { "kms:EncryptionContext:SecretARN": parties.secretArnPattern },
        },
      },
    ],
  };
}
