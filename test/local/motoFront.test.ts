import net from "node:net";
import { CreateTableCommand, DynamoDBClient, ScanCommand, TransactWriteItemsCommand, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { startMotoServer, type MotoServer } from "../../local/motoServer";
import { startMotoFront, type AwsCall, type MotoFront } from "../../local/motoFront";

let moto: MotoServer;
let proxy: MotoFront;
let client: DynamoDBClient;
const calls: AwsCall[] = [];

beforeAll(async () => {
  moto = await startMotoServer();
  proxy = await startMotoFront(moto.url, { onCall: (call) => calls.push(call) });
  client = new DynamoDBClient({ region: "us-east-1", endpoint: proxy.url, credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
  await client.send(
    new CreateTableCommand({
      TableName: "t",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    }),
  );
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await moto?.stop();
});

/** Sends a conditional TransactWriteItems over a raw socket and destroys the socket `afterMs` later, answer or not. */
function writeAndDisconnect(pk: string, afterMs: number): Promise<string> {
  const body = JSON.stringify({ TransactItems: Array.from({ length: 20 }, (_, i) => ({ Put: { TableName: "t", Item: { pk: { S: `${pk}-${i}` } }, ConditionExpression: "attribute_not_exists(pk)" } })) });
  const { port } = new URL(proxy.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), "127.0.0.1", () => {
      socket.write(
        [
          "POST / HTTP/1.1",
          `Host: 127.0.0.1:${port}`,
          "Content-Type: application/x-amz-json-1.0",
          "X-Amz-Target: DynamoDB_20120810.TransactWriteItems",
          "Authorization: AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
          `Content-Length: ${Buffer.byteLength(body)}`,
          "",
          body,
        ].join("\r\n"),
        () => setTimeout(() => socket.destroy(), afterMs),
      );
    });
    socket.on("close", () => resolve("disconnected"));
    socket.on("error", () => undefined);
  });
}

describe("the front of moto", () => {
  it("lets 300 concurrent conditional transactions on a growing table all succeed, with none retried", async () => {
    const put = (i: number) =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: "t", Item: { pk: { S: `a${i}` }, n: { N: String(i) } }, ConditionExpression: "attribute_not_exists(pk)" } },
            { Put: { TableName: "t", Item: { pk: { S: `b${i}` }, n: { N: String(i) } }, ConditionExpression: "attribute_not_exists(pk)" } },
          ],
        }),
      );
    const outcomes = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => put(i)));
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).toEqual([]);
    const { Count } = await client.send(new ScanCommand({ TableName: "t", Select: "COUNT" }));
    expect(Count).toBe(600);
  });

  it("keeps a failed transaction from undoing the writes of others", async () => {
    // A conditional failure makes moto restore its copy of the table: concurrent writes must not be in that window.
    const refused = (i: number) =>
      client
        .send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: "t", Item: { pk: { S: `a${i}` } }, ConditionExpression: "attribute_not_exists(pk)" } }] }))
        .then(
          () => "written",
          (error: Error) => error.name,
        );
    const written = (i: number) =>
      client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: "t", Item: { pk: { S: `c${i}` } } } }] })).then(
        () => "written",
        (error: Error) => error.name,
      );
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? refused(i) : written(i))));
    expect(outcomes.filter((outcome, i) => outcome !== (i % 2 ? "TransactionCanceledException" : "written"))).toEqual([]);
    const found = await Promise.all(Array.from({ length: 50 }, (_, i) => client.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: `c${2 * i}` } } }))));
    expect(found.filter((answer) => !answer.Item)).toEqual([]);
  });

  it("keeps writing after clients that went away in the middle of their writes", async () => {
    // A client killed at every stage of its write: before its turn, while moto works on it, and as the answer comes.
    const killed = await Promise.all([0, 1, 2, 5, 10, 20, 40].map((afterMs, i) => writeAndDisconnect(`killed${i}`, afterMs)));
    expect(killed).toEqual(Array(7).fill("disconnected"));
    // With a wedged queue this write would never be answered; the client gives up well before the test does.
    const patient = new DynamoDBClient({ region: "us-east-1", endpoint: proxy.url, credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1, requestHandler: { requestTimeout: 10_000, throwOnRequestTimeout: true } });
    try {
      await patient.send(new PutItemCommand({ TableName: "t", Item: { pk: { S: "after-the-killed" } } }));
      expect((await patient.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: "after-the-killed" } }, ConsistentRead: true }))).Item).toEqual({ pk: { S: "after-the-killed" } });
    } finally {
      patient.destroy();
    }
  });

  it("passes reads through", async () => {
    expect((await client.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: "a1" } } }))).Item?.n).toEqual({ N: "1" });
  });

  it("reports each call's service, operation and signer: X-Amz-Target for JSON protocols, Action for query ones", async () => {
    const config = { region: "us-east-1", endpoint: proxy.url, credentials: { accessKeyId: "someone", secretAccessKey: "x" } };
    const secrets = new SecretsManagerClient(config);
    const sts = new STSClient(config);
    const from = calls.length;
    try {
      await secrets.send(new ListSecretsCommand({}));
      await sts.send(new GetCallerIdentityCommand({}));
    } finally {
      secrets.destroy();
      sts.destroy();
    }
    expect(calls.slice(from).map(({ service, operation, accessKeyId }) => ({ service, operation, accessKeyId }))).toEqual([
      { service: "secretsmanager", operation: "ListSecrets", accessKeyId: "someone" },
      { service: "sts", operation: "GetCallerIdentity", accessKeyId: "someone" },
    ]);
    expect(calls.filter((call) => call.service === "dynamodb" && call.operation === "TransactWriteItems").length).toBeGreaterThanOrEqual(400);
  });
});
