import { randomUUID } from "node:crypto";
import { IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { BACKEND_FUNCTIONS, ItemKey, functionName, keyIdFor, type BackendFunction } from "../../contract";
import type { PolicyDocument } from "../../backend/PolicyDocument";
import type { IamDenial } from "../../local/motoServer";
import { localFunctionArn } from "../../local/bootstrapIam";
import { useFailpoints } from "../support/failpoints";
import { invoke } from "../support/invoke";
import { useLocalStack } from "../support/useLocalStack";

// Each function runs with exactly the policy document the backend component deploys for it (backend/functionPolicy.ts),
// and moto's IAM evaluates every call it makes. Every action in a document must be needed: removing it makes one of
// the function's own paths fail with the AccessDenied naming it. Actions moto cannot observe are listed with why.
jest.setTimeout(120_000);

const REGION = "us-east-1";
// moto's account: the rotation function's ARN must be known before the stack starts, to configure the functions.
const ROTATION_FUNCTION_ARN = localFunctionArn({ region: REGION, accountId: "123456789012" }, functionName("apikeys", "rotation"));
const failpoints = useFailpoints();
const aws = useLocalStack(
  { iam: true, region: REGION, failpointFile: failpoints.file, functionEnv: { APIKEYS_ROTATION_FUNCTION_ARN: ROTATION_FUNCTION_ARN } },
  { refusalsExpected: true },
);
let iam: IAMClient;

beforeAll(() => {
  iam = new IAMClient(aws.stack.clientConfig("iam"));
});
afterAll(() => iam?.destroy());

/** Actions moto does not check for these functions, and why: they stay in the policies on the strength of AWS's documentation. */
const UNOBSERVABLE: Record<string, string> = {
  "logs:CreateLogStream": "there is no CloudWatch Logs here: the Lambda server captures the output",
  "logs:PutLogEvents": "there is no CloudWatch Logs here: the Lambda server captures the output",
  "kms:Decrypt": "moto's DynamoDB and Secrets Manager never call KMS on the caller's behalf",
  "kms:GenerateDataKey": "moto's Secrets Manager never calls KMS on the caller's behalf",
  "lambda:InvokeFunction": "Secrets Manager checks it at RotateSecret on AWS; moto does not",
};

async function createKey(request: Record<string, unknown> = {}) {
  const { payload } = await invoke(aws.stack, "create", { name: "Least privilege", ...request });
  if (!payload?.ok) throw new Error(`create failed: ${JSON.stringify(payload)}`);
  return { view: payload.result, key: await aws.plaintextOf(payload.result.secretArn) };
}

async function failing(point: string, run: () => Promise<unknown>): Promise<void> {
  failpoints.arm(point);
  try {
    await run();
  } finally {
    failpoints.disarm();
  }
}

async function rotateThroughSteps(secretArn: string): Promise<void> {
  const token = randomUUID();
  for (const Step of ["createSecret", "setSecret", "testSecret", "finishSecret"]) await invoke(aws.stack, "rotation", { Step, SecretId: secretArn, ClientRequestToken: token });
}

/** Every path of each function that calls AWS, as its tests drive it. Keys they need are made by the create function. */
const SCENARIOS: Record<BackendFunction, () => Promise<void>> = {
  create: async () => {
    await invoke(aws.stack, "create", { name: "Plain" });
    // A retry after the secret was made reuses its value.
    const requestToken = randomUUID();
    await failing("create.afterSecret", () => invoke(aws.stack, "create", { name: "Retried", requestToken }));
    await invoke(aws.stack, "create", { name: "Retried", requestToken });
    // A failure after the record removes record, lookup item and secret.
    await failing("create.afterRecord", () => invoke(aws.stack, "create", { name: "Undone" }));
    await invoke(aws.stack, "create", { name: "Scheduled", rotation: { automaticallyAfterDays: 30 } });
    const { view } = await createKey();
    await invoke(aws.stack, "create", { name: "Adopted", adoptKeyId: view.keyId });
  },
  read: async () => {
    const { view } = await createKey();
    await invoke(aws.stack, "read", { keyId: view.keyId });
  },
  update: async () => {
    const { view } = await createKey();
    await invoke(aws.stack, "update", { keyId: view.keyId, expectedVersion: view.version, changes: { name: "Renamed" } });
    // Two rotations in place: the second deletes the lookup item of the value two rotations back.
    for (const trigger of ["first", "second"]) await invoke(aws.stack, "update", { keyId: view.keyId, changes: { rotation: { trigger } } });
    await invoke(aws.stack, "update", { keyId: view.keyId, changes: { rotation: { trigger: "second", automaticallyAfterDays: 30 } } });
    // A record that says scheduled while its secret has no schedule: turning it off asks Secrets Manager to cancel.
    await aws.dynamo.send(
      new UpdateCommand({ TableName: aws.stack.tableName, Key: { pk: ItemKey.record(view.keyId) }, UpdateExpression: "SET #r = :r", ExpressionAttributeNames: { "#r": "rotation" }, ExpressionAttributeValues: { ":r": { trigger: "second", automaticallyAfterDays: 30 } } }),
    );
    await invoke(aws.stack, "update", { keyId: view.keyId, changes: { rotation: { trigger: "second" } } });
    // A rename lands while a rotation is between its pending value and its lookup item: the rotation reads the record
    // and the pending value again, as a scheduled step would.
    const held = failpoints.pauseOnce("rotate.afterPending");
    const rotation = invoke(aws.stack, "update", { keyId: view.keyId, changes: { rotation: { trigger: "third" } } });
    try {
      // With an action missing, the rotation may fail before it gets there.
      if (await Promise.race([held, rotation.then(() => false, () => false)])) await invoke(aws.stack, "update", { keyId: view.keyId, changes: { name: "Renamed meanwhile" } });
    } finally {
      failpoints.disarm();
    }
    await rotation;
  },
  delete: async () => {
    const { view } = await createKey();
    await invoke(aws.stack, "delete", { keyId: view.keyId, recoveryWindowInDays: 7 });
    await invoke(aws.stack, "delete", { keyId: view.keyId, recoveryWindowInDays: 7 });
    // A create that stopped after its secret left no record: delete finds the secret by name.
    const requestToken = randomUUID();
    await failing("create.afterSecret", () => invoke(aws.stack, "create", { name: "Orphan", requestToken }));
    await invoke(aws.stack, "delete", { keyId: keyIdFor(requestToken), recoveryWindowInDays: 7 });
  },
  verify: async () => {
    const { key } = await createKey();
    await invoke(aws.stack, "verify", { key });
  },
  rotation: async () => {
    const { view } = await createKey();
    await rotateThroughSteps(view.secretArn);
    await rotateThroughSteps(view.secretArn);
  },
};

/** The role policy of `fn` as the stack made it. */
function policyOf(fn: BackendFunction): PolicyDocument {
  return aws.stack.iam!.functions[fn].policy;
}

async function putPolicy(fn: BackendFunction, policy: PolicyDocument): Promise<void> {
  const name = aws.stack.functions[fn];
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: name, PolicyDocument: JSON.stringify(policy) }));
}

function without(policy: PolicyDocument, sid: string, action: string): PolicyDocument {
  const statements = policy.Statement.map((statement) => (statement.Sid === sid ? { ...statement, Action: statement.Action.filter((a) => a !== action) } : statement));
  return { ...policy, Statement: statements.filter((statement) => statement.Action.length > 0) };
}

function matches(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(value);
}

/** What moto refused `fn`'s role while `run` ran; with an action missing, `run` may stop anywhere. */
async function refusalsDuring(fn: BackendFunction, run: () => Promise<void>): Promise<IamDenial[]> {
  const before = (await aws.stack.moto.denials()).length;
  await run().catch(() => undefined);
  const principal = aws.stack.iam!.functions[fn].arn;
  return (await aws.stack.moto.denials()).slice(before).filter((denial) => denial.principal === principal);
}

describe("the function policies, executed by moto's IAM", () => {
  it("fail a create whose role lacks PutItem on the audit table with the AccessDenied naming both, leaving no secret and no record", async () => {
    const policy = policyOf("create");
    await putPolicy("create", without(policy, "AuditTrail", "dynamodb:PutItem"));
    try {
      const requestToken = randomUUID();
      const { payload, functionError } = await invoke(aws.stack, "create", { name: "Unaudited", requestToken });
      expect(functionError).toBe("Unhandled");
      expect(payload.errorType).toBe("AccessDeniedException");
      expect(payload.errorMessage).toContain(
        `${aws.stack.iam!.functions.create.arn} is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:${REGION}:123456789012:table/${aws.stack.auditTableName}`,
      );
      expect(await aws.getRecord(keyIdFor(requestToken))).toBeUndefined();
      await expect(aws.plaintextOf(`apikeys/${keyIdFor(requestToken)}`)).rejects.toThrow(/ResourceNotFoundException|can't find|not found/i);
    } finally {
      await putPolicy("create", policy);
    }
  });

  it.each(BACKEND_FUNCTIONS)("let the %s function do everything its paths do, with no refusal", async (fn) => {
    expect(await refusalsDuring(fn, SCENARIOS[fn])).toEqual([]);
  });

  it.each(BACKEND_FUNCTIONS)("need every action they grant the %s function: removing one makes a path fail with the AccessDenied naming it", async (fn) => {
    const policy = policyOf(fn);
    const observed: Record<string, IamDenial[]> = {};
    const unobservable: string[] = [];
    for (const statement of policy.Statement) {
      for (const action of statement.Action) {
        if (UNOBSERVABLE[action]) {
          unobservable.push(action);
          continue;
        }
        await putPolicy(fn, without(policy, statement.Sid, action));
        try {
          const resources = ([] as string[]).concat(statement.Resource);
          observed[`${statement.Sid} ${action}`] = (await refusalsDuring(fn, SCENARIOS[fn])).filter(
            (denial) => denial.action === action && resources.some((resource) => matches(resource, denial.resource)),
          );
        } finally {
          await putPolicy(fn, policy);
        }
      }
    }
    const unneeded = Object.entries(observed).filter(([, denials]) => denials.length === 0).map(([grant]) => grant);
    expect(unneeded).toEqual([]);
    console.log(`${fn}: ${Object.keys(observed).length} actions needed, checked by moto; not checkable here: ${unobservable.join(", ") || "none"}`);
  });
});
