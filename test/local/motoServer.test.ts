import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import http from "node:http";
import { findMotoServer, MotoServer, startMotoServer } from "../../local/motoServer";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function refusesConnections(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers: { Connection: "close" } }, (res) => {
      res.resume();
      resolve(false);
    });
    req.on("error", () => resolve(true));
  });
}

describe("the local moto server", () => {
  let moto: MotoServer;
  let dynamo: DynamoDBClient;

  beforeAll(async () => {
    moto = await startMotoServer();
    dynamo = new DynamoDBClient({
      endpoint: moto.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    dynamo?.destroy();
    await moto?.stop();
  });

  it("listens on 127.0.0.1 on the port it reports", () => {
    expect(moto.url).toBe(`http://127.0.0.1:${moto.port}`);
    expect(moto.port).toBeGreaterThan(0);
  });

  it("serves DynamoDB to the AWS SDK", async () => {
    await dynamo.send(
      new CreateTableCommand({
        TableName: "moto-smoke",
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const tables = await dynamo.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain("moto-smoke");
  });

  it("ends the moto process on stop", async () => {
    expect(isRunning(moto.pid)).toBe(true);
    await moto.stop();
    expect(isRunning(moto.pid)).toBe(false);
    expect(await refusesConnections(`${moto.url}/moto-api/`)).toBe(true);
  });
});

describe("starting moto", () => {
  const saved = process.env.APIKEYS_MOTO_SERVER;

  afterEach(() => {
    if (saved === undefined) delete process.env.APIKEYS_MOTO_SERVER;
    else process.env.APIKEYS_MOTO_SERVER = saved;
  });

  it("uses the executable named by APIKEYS_MOTO_SERVER", () => {
    process.env.APIKEYS_MOTO_SERVER = "custom-moto";
    expect(findMotoServer()).toBe("custom-moto");
  });

  it("reports what the server printed when it dies before answering", async () => {
    // node rejects moto's -H flag, which stands in for a moto_server that fails on start-up.
    process.env.APIKEYS_MOTO_SERVER = process.execPath;
    await expect(startMotoServer()).rejects.toThrow(/exited with code \d+ before answering[\s\S]*bad option: -H/);
  });
});
