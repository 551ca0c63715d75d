import { BatchWriteItemCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { startLocalStack, type LocalStack } from "../local/localStack";
import { InvocationLog } from "./InvocationLog";
import { PulumiCli } from "./PulumiCli";

/** A local stack for the Pulumi benchmarks, the invocations it served, and the Pulumi CLI wired to it. */
export interface BenchBackend {
  stack: LocalStack;
  invocations: InvocationLog;
  cli: PulumiCli;
  /** Empties every table, so each run starts from the same backend whatever the runs before it left. */
  clearTables(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the backend with one warm worker per function: all of moto runs in one Python process, so parallel creates
 * are not faster on two cores, and one at a time makes the time a create is in flight the Lambda time per key.
 */
export async function startBenchBackend(): Promise<BenchBackend> {
  const invocations = new InvocationLog();
  const stack = await startLocalStack({ maxWorkersPerFunction: 1, onInvocation: invocations.add });
  const dynamo = new DynamoDBClient(stack.clientConfig("dynamodb"));
  try {
    const cli = await new PulumiCli(stack.env).init();
    return {
      stack,
      invocations,
      cli,
      clearTables: () => clearTables(dynamo),
      stop: async () => {
        await cli.dispose();
        dynamo.destroy();
        await stack.stop();
      },
    };
  } catch (error) {
    dynamo.destroy();
    await stack.stop();
    throw error;
  }
}

async function clearTables(dynamo: DynamoDBClient): Promise<void> {
  for (const TableName of (await dynamo.send(new ListTablesCommand({}))).TableNames ?? []) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName }));
    const keyNames = (Table?.KeySchema ?? []).map((key) => key.AttributeName!);
    let ExclusiveStartKey: Record<string, any> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({
          TableName,
          ExclusiveStartKey,
          ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(", "),
          ExpressionAttributeNames: Object.fromEntries(keyNames.map((name, i) => [`#k${i}`, name])),
        }),
      );
      const items = page.Items ?? [];
      // BatchWriteItem takes at most 25 requests.
      for (let i = 0; i < items.length; i += 25) {
        const { UnprocessedItems } = await dynamo.send(
          new BatchWriteItemCommand({ RequestItems: { [TableName]: items.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) } }),
        );
        if (Object.keys(UnprocessedItems ?? {}).length) throw new Error(`could not clear ${TableName}: the backend left items unprocessed`);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
}
