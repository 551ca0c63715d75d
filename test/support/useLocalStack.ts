import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { ItemKey } from "../../contract";
import { startLocalStack, type LocalStack, type LocalStackOptions } from "../../local/localStack";
import type { IamDenial } from "../../local/motoServer";

/** Clients and helpers bound to a running local stack. */
export interface LocalAws {
  stack: LocalStack;
  /** The harness's clients: in IAM mode they may do anything, to set up and check what the code under test did. */
  dynamo: DynamoDBDocumentClient;
  secrets: SecretsManagerClient;
  /** The clients of a deployer or an operator running the CLI: in IAM mode, only what the README grants them. */
  deployer: { dynamo: DynamoDBDocumentClient; lambda: LambdaClient };
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

/** What {@link useLocalStack} checks beyond starting the stack. */
export interface LocalStackChecks {
  /**
   * In IAM mode every suite ends by asserting that moto refused nothing: a refusal the code swallowed (a failed
   * lastUsedAt write, a failed clean-up) fails the suite too. Suites that provoke refusals on purpose say which
   * (or `true`: any).
   */
  refusalsExpected?: boolean | ((denial: IamDenial) => boolean);
}

/** Starts a local stack for the suite on free ports and stops it afterwards; the value is ready inside tests. */
export function useLocalStack(options: LocalStackOptions = {}, checks: LocalStackChecks = {}): LocalAws {
  const aws = {} as LocalAws;
  beforeAll(async () => {
    const stack = await startLocalStack(options);
    const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(stack.clientConfig("dynamodb")));
    const secrets = new SecretsManagerClient(stack.clientConfig("secretsmanager"));
    const deployer = {
      dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(stack.clientConfig("dynamodb", "deployer"))),
      lambda: new LambdaClient(stack.clientConfig("lambda", "deployer")),
    };
    Object.assign(aws, {
      stack,
      dynamo,
      secrets,
      deployer,
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
    aws.deployer?.dynamo.destroy();
    aws.deployer?.lambda.destroy();
    const refused = aws.stack?.iam ? await aws.stack.moto.denials() : [];
    await aws.stack?.stop();
    const expected = checks.refusalsExpected ?? false;
    if (expected !== true) expect(refused.filter((denial) => !(expected && expected(denial)))).toEqual([]);
  });
  return aws;
}
