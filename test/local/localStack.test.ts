import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetCommand, PutCommand, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AUDIT_TABLE_SCHEMA, ItemKey } from "../../contract";
import { invoke } from "../support/invoke";
import { useLocalStack } from "../support/useLocalStack";

const aws = useLocalStack({ iam: true }, { refusalsExpected: true });

async function outcome(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => "allowed",
    (error: Error) => `${error.name}: ${error.message}`,
  );
}

async function invokeAs(client: LambdaClient, functionName: string): Promise<string> {
  return outcome(client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from("{}") })));
}

describe("a local stack in IAM mode", () => {
  it("runs each function as a session of its own role, named as Lambda names it", () => {
    for (const [fn, identity] of Object.entries(aws.stack.iam!.functions)) {
      expect(identity.arn).toBe(`arn:aws:sts::123456789012:assumed-role/apikeys-${fn}/apikeys-${fn}`);
      expect(identity.credentials.sessionToken).toEqual(expect.any(String));
    }
  });

  it("lets the deployer invoke the four key functions and verify, and refuses it the rotation function, as moto's IAM decides", async () => {
    for (const fn of ["create", "read", "update", "delete", "verify"] as const) expect(await invokeAs(aws.deployer.lambda, aws.stack.functions[fn])).toBe("allowed");
    expect(await invokeAs(aws.deployer.lambda, aws.stack.functions.rotation)).toBe(
      "AccessDeniedException: User: arn:aws:iam::123456789012:user/apikeys-deployer is not authorized to perform: lambda:InvokeFunction on resource: " +
        "arn:aws:lambda:us-east-1:123456789012:function:apikeys-rotation because no identity-based policy allows the lambda:InvokeFunction action",
    );
    expect((await aws.stack.moto.denials()).at(-1)).toMatchObject({ principal: aws.stack.iam!.deployer.arn, action: "lambda:InvokeFunction" });
  });

  it("refuses an invocation signed with credentials IAM does not know, before anything runs", async () => {
    const stranger = new LambdaClient({ ...aws.stack.clientConfig("lambda"), credentials: { accessKeyId: "AKIASTRANGER0000000", secretAccessKey: "x" } });
    const before = aws.stack.lambda.output(aws.stack.functions.create).stdout;
    expect(await invokeAs(stranger, aws.stack.functions.create)).toMatch(/^UnrecognizedClientException: /);
    expect(aws.stack.lambda.output(aws.stack.functions.create).stdout).toBe(before);
    stranger.destroy();
  });

  it("lets the deployer read the inventory and the audit trail, and nothing else of the backend's data", async () => {
    const { payload } = await invoke(aws.stack, "create", { name: "Readable" });
    expect(payload.ok).toBe(true);
    const { dynamo } = aws.deployer;
    expect(await outcome(dynamo.send(new ScanCommand({ TableName: aws.stack.tableName })))).toBe("allowed");
    const day = { IndexName: AUDIT_TABLE_SCHEMA.byDayIndex.name, KeyConditionExpression: "#d = :d", ExpressionAttributeNames: { "#d": "day" }, ExpressionAttributeValues: { ":d": "2026-01-01" } };
    expect(await outcome(dynamo.send(new QueryCommand({ TableName: aws.stack.auditTableName, ...day })))).toBe("allowed");
    expect(await outcome(dynamo.send(new GetCommand({ TableName: aws.stack.tableName, Key: { pk: ItemKey.record(payload.result.keyId) } })))).toMatch(/dynamodb:GetItem/);
    expect(await outcome(dynamo.send(new PutCommand({ TableName: aws.stack.tableName, Item: { pk: "KEY#forged" } })))).toMatch(/dynamodb:PutItem/);
    const secrets = new SecretsManagerClient(aws.stack.clientConfig("secretsmanager", "deployer"));
    expect(await outcome(secrets.send(new GetSecretValueCommand({ SecretId: payload.result.secretArn })))).toMatch(/secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:.*:secret:apikeys\/key_/);
    secrets.destroy();
  });
});
