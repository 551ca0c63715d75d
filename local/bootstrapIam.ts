import { BACKEND_FUNCTIONS, functionName, type BackendFunction } from "../contract";
import { deployerPolicy } from "../backend/deployerPolicy";
import { functionPolicy, type FunctionPolicyResources } from "../backend/functionPolicy";
import { lambdaRuntime } from "../backend/lambdaRuntime";
import type { PolicyDocument } from "../backend/PolicyDocument";

/** Credentials of one IAM identity in the local stack. */
export interface IamCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An IAM identity the local stack made, and the credentials to act as it. */
export interface IamIdentity {
  arn: string;
  credentials: IamCredentials;
  /** The policy document it holds. */
  policy: PolicyDocument;
}

/** Who does what in a local stack run in IAM mode. */
export interface IamIdentities {
  /** Each function's role, as the backend component deploys it; its worker runs with a session of it. */
  functions: Record<BackendFunction, IamIdentity>;
  /** The provider and the CLI: {@link deployerPolicy}. */
  deployer: IamIdentity;
  /** The tests' own view of the stack (reading items and secrets to check them): everything. */
  harness: IamIdentity;
}

/** Where the backend lives, as {@link bootstrapIam} needs it to name resources in policies. */
export interface IamResources {
  region: string;
  accountId: string;
  functionPrefix: string;
  secretPrefix: string;
  keyTableArn: string;
  auditTableArn: string;
  kmsKeyArn: string;
}

/** Lets a test change a function's policy before the stack uses it, e.g. to remove one action. */
export type PolicyEdit = (fn: BackendFunction, policy: PolicyDocument) => PolicyDocument;

/** A Lambda function's ARN in the local stack. */
export function localFunctionArn(resources: Pick<IamResources, "region" | "accountId">, name: string): string {
  return `arn:aws:lambda:${resources.region}:${resources.accountId}:function:${name}`;
}

/** The resources {@link functionPolicy} names for `fn`, as the backend component resolves them on AWS. */
export function localFunctionPolicyResources(fn: BackendFunction, resources: IamResources): FunctionPolicyResources {
  const { region, accountId } = resources;
  return {
    region,
    keyTableArn: resources.keyTableArn,
    auditTableArn: resources.auditTableArn,
    kmsKeyArn: resources.kmsKeyArn,
    secretArnPattern: `arn:aws:secretsmanager:${region}:${accountId}:secret:${resources.secretPrefix}*`,
    rotationFunctionArn: fn === "rotation" ? undefined : localFunctionArn(resources, functionName(resources.functionPrefix, "rotation")),
    logGroupArn: `arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/${functionName(resources.functionPrefix, fn)}`,
  };
}

const EVERYTHING: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Everything", Effect: "Allow", Action: ["*"], Resource: "*" }] };
// Longer than any test run; moto does not expire sessions anyway.
const SESSION_SECONDS = 12 * 3600;

/**
 * Creates the IAM identities of an IAM-mode local stack, with clients configured by `clientConfig` before moto
 * enforces IAM: per function a role holding exactly {@link functionPolicy}'s document (after `edit`) and a session
 * of it, a deployer user holding {@link deployerPolicy}'s, and the tests' harness user.
 */
export async function bootstrapIam(clientConfig: Record<string, unknown>, resources: IamResources, edit: PolicyEdit = (_fn, policy) => policy): Promise<IamIdentities> {
  const iamSdk = require("@aws-sdk/client-iam") as typeof import("@aws-sdk/client-iam");
  const stsSdk = require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
  const iam = new iamSdk.IAMClient(clientConfig);
  const sts = new stsSdk.STSClient(clientConfig);
  const prefix = resources.functionPrefix;

  async function user(name: string, policy: PolicyDocument): Promise<IamIdentity> {
    const { User } = await iam.send(new iamSdk.CreateUserCommand({ UserName: name }));
    await iam.send(new iamSdk.PutUserPolicyCommand({ UserName: name, PolicyName: name, PolicyDocument: JSON.stringify(policy) }));
    const { AccessKey } = await iam.send(new iamSdk.CreateAccessKeyCommand({ UserName: name }));
    return { arn: User!.Arn!, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }, policy };
  }

  async function functionRole(fn: BackendFunction): Promise<IamIdentity> {
    const name = functionName(prefix, fn);
    const policy = edit(fn, functionPolicy(fn, localFunctionPolicyResources(fn, resources)));
    const { Role } = await iam.send(
      new iamSdk.CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: lambdaRuntime.assumeRolePolicy, MaxSessionDuration: SESSION_SECONDS }),
    );
    await iam.send(new iamSdk.PutRolePolicyCommand({ RoleName: name, PolicyName: name, PolicyDocument: JSON.stringify(policy) }));
    // Lambda names the session after the function.
    const { Credentials, AssumedRoleUser } = await sts.send(new stsSdk.AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: name, DurationSeconds: SESSION_SECONDS }));
    return {
      arn: AssumedRoleUser!.Arn!,
      credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! },
      policy,
    };
  }

  try {
    const functions = {} as Record<BackendFunction, IamIdentity>;
    for (const fn of BACKEND_FUNCTIONS) functions[fn] = await functionRole(fn);
    const functionArns = Object.fromEntries(BACKEND_FUNCTIONS.map((fn) => [fn, localFunctionArn(resources, functionName(prefix, fn))])) as Record<BackendFunction, string>;
    const deployer = await user(
      `${prefix}-deployer`,
      deployerPolicy({ region: resources.region, functionArns, keyTableArn: resources.keyTableArn, auditTableArn: resources.auditTableArn, kmsKeyArn: resources.kmsKeyArn }),
    );
    const harness = await user(`${prefix}-local-harness`, EVERYTHING);
    return { functions, deployer, harness };
  } finally {
    iam.destroy();
    sts.destroy();
  }
}
