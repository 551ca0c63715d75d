import { BACKEND_FUNCTIONS, type BackendFunction } from "../../contract";
import { deployerPolicy } from "../../backend/deployerPolicy";

const ARNS = Object.fromEntries(BACKEND_FUNCTIONS.map((fn) => [fn, `arn:aws:lambda:eu-west-1:111122223333:function:apikeys-${fn}`])) as Record<BackendFunction, string>;
const POLICY = deployerPolicy({
  region: "eu-west-1",
  functionArns: ARNS,
  keyTableArn: "arn:aws:dynamodb:eu-west-1:111122223333:table/apikeys",
  auditTableArn: "arn:aws:dynamodb:eu-west-1:111122223333:table/apikeys-audit",
  kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
});

describe("deployerPolicy", () => {
  it("grants named actions on the backend's resources only", () => {
    for (const statement of POLICY.Statement) {
      for (const action of statement.Action) expect(action).not.toContain("*");
      for (const resource of ([] as string[]).concat(statement.Resource)) expect(resource).toMatch(/^arn:aws:(lambda|dynamodb|kms):eu-west-1:111122223333:(function:apikeys-|table\/apikeys|key\/k$)/);
    }
  });

  it("lets the deployer invoke the four key functions and verify, never the rotation function, and write nothing to a table", () => {
    const invocable = POLICY.Statement.filter((s) => s.Action.includes("lambda:InvokeFunction")).flatMap((s) => ([] as string[]).concat(s.Resource));
    expect(invocable.sort()).toEqual(["create", "delete", "read", "update", "verify"].map((fn) => ARNS[fn as BackendFunction]));
    const dynamo = POLICY.Statement.flatMap((s) => s.Action).filter((action) => action.startsWith("dynamodb:"));
    expect(dynamo.sort()).toEqual(["dynamodb:Query", "dynamodb:Scan"]);
  });
});
