import { AUDIT_TABLE_SCHEMA, KEY_FUNCTIONS, type BackendFunction } from "../contract";
import type { PolicyDocument } from "./PolicyDocument";

/** The resolved ARNs a deployer's key permissions name. */
export interface DeployerPolicyResources {
  region: string;
  /** The backend's functions by name: the four ApiKey functions and verify. */
  functionArns: Record<BackendFunction, string>;
  keyTableArn: string;
  auditTableArn: string;
  kmsKeyArn: string;
}

/**
 * What a deployer (the credentials `pulumi up` and `pulumi destroy` run with) and an operator of the `apikeys` CLI
 * need on a deployed backend, and nothing else: invoking the ApiKey functions (the provider does it with the
 * deployer's credentials), reading the key table (`list`, `drift`) and the audit trail (`audit`), invoking verify
 * (`verify`). `activate` and `deactivate` invoke the update function, already granted. Deploying the backend
 * itself (IAM, KMS, DynamoDB, Lambda, logs) is not in it.
 */
export function deployerPolicy(resources: DeployerPolicyResources): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ManageKeys", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: KEY_FUNCTIONS.map((fn) => resources.functionArns[fn]) },
      { Sid: "VerifyKeys", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: resources.functionArns.verify },
      // One paged Scan reads the inventory; it never writes (the status toggle goes through the update function).
      { Sid: "ReadInventory", Effect: "Allow", Action: ["dynamodb:Scan"], Resource: resources.keyTableArn },
      // One Query per day of the byDay index, or one of a key's partition.
      {
        Sid: "ReadAuditTrail",
        Effect: "Allow",
        Action: ["dynamodb:Query"],
        Resource: [resources.auditTableArn, `${resources.auditTableArn}/index/${AUDIT_TABLE_SCHEMA.byDayIndex.name}`],
      },
      // The tables are encrypted with the backend's key: DynamoDB decrypts the table key with the caller's permissions.
      {
        Sid: "TableEncryption",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: resources.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `dynamodb.${resources.region}.amazonaws.com` } },
      },
    ],
  };
}
