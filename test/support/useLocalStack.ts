import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { ItemKey } from "../../contract";
import { startLocalStack, type LocalStack, type LocalStackOptions } from "../../local/localStack";

/** Clients and helpers bound to a running local stack. */
export interface LocalAws {
  stack: LocalStack;
  dynamo: DynamoDBDocumentClient;
  secrets: SecretsManagerClient;
  /** Every item in the table, unmarshalled. */
  scanItems(): Promise<Record<string, any>[]>;
  getRecord(keyId: string): Promise<Record<string, any> | undefined>;
  getLookup(hash: string): Promise<Record<string, any> | undefined>;
  /**
   * The plaintext a secret holds now (AWSCURRENT): for assertions that it appears nowhere else. The stage is named
   * because moto, unlike AWS, keeps answering the first version when none is named after AWSCURRENT moved.
   */
  plaintextOf(secretArn: string): Promise<string>;
}

/** Starts a local stack for the suite on free ports and stops it afterwards; the value is ready inside tests. */
export function useLocalStack(options: LocalStackOptions = {}): LocalAws {
  const aws = {} as LocalAws;
  beforeAll(async () => {
    const stack = await startLocalStack(options);
    const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(stack.clientConfig("dynamodb")));
    const secrets = new SecretsManagerClient(stack.clientConfig("secretsmanager"));
    Object.assign(aws, {
      stack,
      dynamo,
      secrets,
      scanItems: async () => {
        const items: Record<string, any>[] = [];
        let ExclusiveStartKey: Record<string, any> | undefined;
        do {
          const page = await dynamo.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey }));
          items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey);
        return items;
      },
      getRecord: async (keyId: string) =>
        (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: ItemKey.record(keyId) }, ConsistentRead: true }))).Item,
      getLookup: async (hash: string) =>
        (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: ItemKey.lookup(hash) }, ConsistentRead: true }))).Item,
      plaintextOf: async (secretArn: string) => (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: "AWSCURRENT" }))).SecretString!,
    });
  }, 60_000);
  afterAll(async () => {
    aws.dynamo?.destroy();
    aws.secrets?.destroy();
    await aws.stack?.stop();
  });
  return aws;
}
