import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startMotoServer } from "../../../local/motoServer";
import type { PolicyStatement } from "../../../backend/PolicyDocument";

// What moto's IAM evaluation decides for a user holding one statement, with and without the request context
// local/moto/iam_context.py gives it. These are the facts the local stack's IAM mode rests on.
const REGION = "us-east-1";
const BOOTSTRAP = { region: REGION, credentials: { accessKeyId: "bootstrap", secretAccessKey: "bootstrap" }, maxAttempts: 1 };
const TABLE = `arn:aws:dynamodb:${REGION}:123456789012:table/t`;
const ITEM = { pk: { S: "a" } };

const allow = (Action: string[], Resource: string): PolicyStatement => ({ Sid: "Only", Effect: "Allow", Action, Resource });

/** A moto with tables t and u and secrets a/one and b/one, and a function that makes a user holding `statements`. */
async function motoWithData(iam: boolean) {
  const moto = await startMotoServer({ iam });
  const config = { ...BOOTSTRAP, endpoint: moto.url };
  const dynamo = new DynamoDBClient(config);
  const secrets = new SecretsManagerClient(config);
  const bootstrapIam = new IAMClient(config);
  await bootstrapIam.send(new CreateUserCommand({ UserName: "admin" }));
  await bootstrapIam.send(new PutUserPolicyCommand({ UserName: "admin", PolicyName: "p", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [allow(["*"], "*")] }) }));
  const { AccessKey: adminKey } = await bootstrapIam.send(new CreateAccessKeyCommand({ UserName: "admin" }));
  bootstrapIam.destroy();
  // Users are made after IAM is enforced, so by an identity allowed to.
  const users = new IAMClient({ ...config, credentials: { accessKeyId: adminKey!.AccessKeyId!, secretAccessKey: adminKey!.SecretAccessKey! } });
  for (const TableName of ["t", "u"]) {
    await dynamo.send(
      new CreateTableCommand({ TableName, BillingMode: "PAY_PER_REQUEST", AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }], KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }] }),
    );
  }
  for (const Name of ["a/one", "b/one"]) await secrets.send(new CreateSecretCommand({ Name, SecretString: "value" }));
  let count = 0;
  const userHolding = async (...statements: PolicyStatement[]) => {
    const UserName = `user${++count}`;
    await users.send(new CreateUserCommand({ UserName }));
    await users.send(new PutUserPolicyCommand({ UserName, PolicyName: "p", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }));
    const { AccessKey } = await users.send(new CreateAccessKeyCommand({ UserName }));
    const as = { ...config, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
    return { dynamo: new DynamoDBClient(as), secrets: new SecretsManagerClient(as) };
  };
  dynamo.destroy();
  secrets.destroy();
  return { moto, userHolding, close: () => (users.destroy(), moto.stop()) };
}

async function outcome(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => "allowed",
    (error: Error) => `${error.name}: ${error.message}`,
  );
}

/** For this describe block, a moto made by {@link motoWithData} with IAM enforced; its fields once the block runs. */
function useIamMoto(requestContext: boolean): Awaited<ReturnType<typeof motoWithData>> {
  const setup = {} as Awaited<ReturnType<typeof motoWithData>>;
  beforeAll(async () => {
    Object.assign(setup, await motoWithData(requestContext));
    await setup.moto.enforceIam();
  });
  afterAll(() => setup.close?.());
  return setup;
}

describe("moto's IAM without the request context", () => {
  const setup = useIamMoto(false);

  it("grants nothing to a policy scoped to a table, since it asks about resource * (and answers in XML, which the SDK cannot read)", async () => {
    const user = await setup.userHolding(allow(["dynamodb:GetItem"], TABLE));
    expect(await outcome(user.dynamo.send(new GetItemCommand({ TableName: "t", Key: ITEM })))).toMatch(/^SyntaxError: Unexpected token '<'/);
    const everywhere = await setup.userHolding(allow(["dynamodb:GetItem"], "*"));
    expect(await outcome(everywhere.dynamo.send(new GetItemCommand({ TableName: "u", Key: ITEM })))).toBe("allowed");
  });
});

describe("moto's IAM with the request context of local/moto/iam_context.py", () => {
  const setup = useIamMoto(true);

  it("grants an action on the table the policy names, and refuses it on another table and other actions, naming both", async () => {
    const user = await setup.userHolding(allow(["dynamodb:GetItem"], TABLE));
    expect(await outcome(user.dynamo.send(new GetItemCommand({ TableName: "t", Key: ITEM })))).toBe("allowed");
    expect(await outcome(user.dynamo.send(new GetItemCommand({ TableName: "u", Key: ITEM })))).toBe(
      `AccessDeniedException: User: arn:aws:iam::123456789012:user/user1 is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:${REGION}:123456789012:table/u because no identity-based policy allows the dynamodb:GetItem action`,
    );
    expect(await outcome(user.dynamo.send(new PutItemCommand({ TableName: "t", Item: ITEM })))).toMatch(/^AccessDeniedException: .* dynamodb:PutItem on resource: .*:table\/t /);
    expect((await setup.moto.denials()).slice(-2)).toEqual([
      { principal: "arn:aws:iam::123456789012:user/user1", action: "dynamodb:GetItem", resource: `arn:aws:dynamodb:${REGION}:123456789012:table/u` },
      { principal: "arn:aws:iam::123456789012:user/user1", action: "dynamodb:PutItem", resource: TABLE },
    ]);
  });

  it("asks for each item's action on its table in a transaction, as IAM has no TransactWriteItems action", async () => {
    const user = await setup.userHolding(allow(["dynamodb:PutItem", "dynamodb:DeleteItem"], TABLE));
    const put = { Put: { TableName: "t", Item: { pk: { S: "b" } } } };
    expect(await outcome(user.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [put, { Delete: { TableName: "t", Key: ITEM } }] })))).toBe("allowed");
    expect(await outcome(user.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [put, { Update: { TableName: "t", Key: ITEM, UpdateExpression: "SET x = :x", ExpressionAttributeValues: { ":x": { S: "1" } } } }] })))).toMatch(
      /dynamodb:UpdateItem on resource: .*:table\/t /,
    );
    expect(await outcome(user.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [put, { Put: { TableName: "u", Item: ITEM } }] })))).toMatch(/dynamodb:PutItem on resource: .*:table\/u /);
  });

  it("scopes Secrets Manager actions to the secret's ARN, and asks for TagResource when a new secret carries tags", async () => {
    const user = await setup.userHolding(allow(["secretsmanager:GetSecretValue", "secretsmanager:CreateSecret"], `arn:aws:secretsmanager:${REGION}:123456789012:secret:a/*`));
    expect(await outcome(user.secrets.send(new GetSecretValueCommand({ SecretId: "a/one" })))).toBe("allowed");
    expect(await outcome(user.secrets.send(new GetSecretValueCommand({ SecretId: "b/one" })))).toMatch(/secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:.*:secret:b\/one-\w{6} /);
    expect(await outcome(user.secrets.send(new ListSecretsCommand({})))).toMatch(/secretsmanager:ListSecrets on resource: \* /);
    expect(await outcome(user.secrets.send(new CreateSecretCommand({ Name: "a/two", SecretString: "v" })))).toBe("allowed");
    expect(await outcome(user.secrets.send(new CreateSecretCommand({ Name: "a/three", SecretString: "v", Tags: [{ Key: "k", Value: "v" }] })))).toMatch(
      /secretsmanager:TagResource on resource: .*:secret:a\/three /,
    );
  });

  it("refuses credentials it does not know, as AWS does, in JSON", async () => {
    const stranger = new DynamoDBClient({ ...BOOTSTRAP, endpoint: setup.moto.url });
    expect(await outcome(stranger.send(new GetItemCommand({ TableName: "t", Key: ITEM })))).toMatch(/^UnrecognizedClientException: /);
    stranger.destroy();
  });
});
