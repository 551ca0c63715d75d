import type { BackendFunction } from "../contract";
import type { PolicyDocument, PolicyStatement } from "./PolicyDocument";

/** The resolved ARNs a function's policy names. */
export interface FunctionPolicyResources {
  region: string;
  keyTableArn: string;
  auditTableArn: string;
  kmsKeyArn: string;
  /** `arn:<partition>:secretsmanager:<region>:<account>:secret:<secretPrefix>*`: every key's secret and no other. */
  secretArnPattern: string;
  /** The rotation function; required for the functions that schedule rotations (create, update). */
  rotationFunctionArn?: string;
  /** The function's own log group (as its `arn` output reports it: without the `:*` suffix). */
  logGroupArn: string;
}

/**
 * DynamoDB item actions on the key table, from the calls each handler makes (lambdas/store/DynamoKeyStore.ts).
 * A TransactWriteItems call needs the action of each item in it (Put, Update, Delete); it has no action of its own.
 */
const KEY_TABLE_ACTIONS: Record<BackendFunction, string[]> = {
  // get (a retry finds its record), put (record + lookup), discard after a failed create (Delete), adopt (update).
  create: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
  // get of the record and of its lookup items (lastUsedAt).
  read: ["dynamodb:GetItem"],
  // update (Update), rotation (addLookup Put; rotate Put, Update, Delete of the value two rotations back).
  update: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
  // tombstone: Delete of the lookup items, Update of the record.
  // A delete that finds no record puts a bare tombstone (Put), so a create still under way cannot pass it.
  delete: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
  // getLookup, and touchLastUsed (an Update at most once a minute per key value).
  verify: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  // the four steps: addLookup Put; rotate Put, Update, Delete.
  rotation: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
};

/** Functions whose changes write an audit event (a Put in the same transaction as the change). */
const AUDITED: readonly BackendFunction[] = ["create", "update", "delete", "rotation"];

/** Secrets Manager actions on the key secrets, from lambdas/secrets/SecretsManagerVault.ts as each handler uses it. */
const SECRET_ACTIONS: Partial<Record<BackendFunction, string[]>> = {
  // CreateSecret with Tags also needs TagResource. A retried create reads the secret an earlier attempt made
  // (DescribeSecret, GetSecretValue); a failed one deletes it; a schedule is set with RotateSecret.
  create: [
    "secretsmanager:CreateSecret",
    "secretsmanager:TagResource",
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetSecretValue",
    "secretsmanager:DeleteSecret",
    "secretsmanager:RotateSecret",
  ],
  // A rotation in place (PutSecretValue, GetSecretValue, UpdateSecretVersionStage), repairing an unfinished stage
  // move, and turning the schedule on (RotateSecret) or off (CancelRotateSecret).
  update: [
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutSecretValue",
    "secretsmanager:UpdateSecretVersionStage",
    "secretsmanager:RotateSecret",
    "secretsmanager:CancelRotateSecret",
  ],
  // DescribeSecret tells an already-scheduled deletion from a real failure.
  delete: ["secretsmanager:DescribeSecret", "secretsmanager:DeleteSecret"],
  // The four rotation steps: what AWS documents for a rotation function's role, minus GetRandomPassword (unused).
  rotation: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
};

/** Functions that write or read secret values, so Secrets Manager uses our key on their behalf. */
const SECRET_VALUE_USERS: readonly BackendFunction[] = ["create", "update", "rotation"];

/** Functions that call RotateSecret, for which AWS also requires lambda:InvokeFunction on the rotation function. */
const ROTATION_SCHEDULERS: readonly BackendFunction[] = ["create", "update"];

/**
 * AWSLambdaBasicExecutionRole scoped to one log group, minus logs:CreateLogGroup: the program creates the group, so
 * the function only writes streams into it.
 */
export function ownLogsStatement(logGroupArn: string): PolicyStatement {
  return { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` };
}

/** The role policy of one backend function: only the actions its code calls, only on our resources. */
export function functionPolicy(fn: BackendFunction, resources: FunctionPolicyResources): PolicyDocument {
  const statements: PolicyStatement[] = [
    ownLogsStatement(resources.logGroupArn),
    { Sid: "KeyTable", Effect: "Allow", Action: KEY_TABLE_ACTIONS[fn], Resource: resources.keyTableArn },
  ];
  if (AUDITED.includes(fn)) statements.push({ Sid: "AuditTrail", Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: resources.auditTableArn });
  // The tables are encrypted with our key: DynamoDB decrypts the table key with the caller's permissions.
  statements.push({
    Sid: "TableEncryption",
    Effect: "Allow",
    Action: ["kms:Decrypt"],
    Resource: resources.kmsKeyArn,
    Condition: { StringEquals: { "kms:ViaService": `dynamodb.${resources.region}.amazonaws.com` } },
  });
  const secretActions = SECRET_ACTIONS[fn];
  if (secretActions) statements.push({ Sid: "KeySecrets", Effect: "Allow", Action: secretActions, Resource: resources.secretArnPattern });
  if (SECRET_VALUE_USERS.includes(fn)) {
    statements.push({
      Sid: "SecretEncryption",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: resources.kmsKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `secretsmanager.${resources.region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:SecretARN": resources.secretArnPattern },
      },
    });
  }
  if (ROTATION_SCHEDULERS.includes(fn)) {
    if (!resources.rotationFunctionArn) throw new Error(`functionPolicy: the ${fn} function schedules rotations and needs the rotation function's ARN`);
    statements.push({ Sid: "ScheduleRotation", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: resources.rotationFunctionArn });
  }
  return { Version: "2012-10-17", Statement: statements };
}
