/**
 * Verify benchmark, for a plain key, a rate-limited key and a key with credits: (1) CPU per verifyKey call with the
 * store answering from memory; (2) verifyKey against moto versus the bare DynamoDB calls the design needs for that
 * key (a GetItem; a GetItem and an UpdateItem for a key with a limit or credits), against the same moto. Medians of
 * RUNS runs; prints a markdown section. AWS calls per verification are in the calls benchmark (bench/callsBench.ts).
 */
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { ItemKey, createKey, hashKey, type KeyFields } from "../contract";
import type { Backend } from "../lambdas/Backend";
import { backendConfig } from "../lambdas/backendConfig";
import { issueKey } from "../lambdas/operations/issueKey";
import { verifyKey } from "../lambdas/operations/verifyKey";
import type { KeyStore, LookupItem, UsageOutcome } from "../lambdas/store/KeyStore";
import { startLocalStack, type LocalStack } from "../local/localStack";
import { localBenchBackend } from "./localBenchBackend";
import { median } from "./machine";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CPU_CALLS = Number(process.env.BENCH_CPU_CALLS ?? 200_000);
const IO_CALLS = Number(process.env.BENCH_IO_CALLS ?? 500);
/** Verify against the bare calls it needs, for each kind of key. */
const MAX_RATIO = 1.2;

/** The kinds of key measured: what each declares, and the bare calls its verification is held against. */
const KINDS = [
  { name: "plain key", fields: {}, baseline: "GetItem" },
  // Limits no run reaches: every timed verification is accepted and spends.
  { name: "rate-limited key", fields: { rateLimit: { limit: 1_000_000_000, window: "24h" } }, baseline: "GetItem + UpdateItem" },
  { name: "key with credits", fields: { credits: { remaining: 1_000_000_000_000 } }, baseline: "GetItem + UpdateItem" },
] as const satisfies readonly { name: string; fields: Partial<KeyFields>; baseline: string }[];

type Kind = (typeof KINDS)[number];

/** A store that answers the lookup and the spend from memory, so only verify's own work is measured. */
function stubbedBackend(lookup: LookupItem): Backend {
  const spent: UsageOutcome = { spent: true, usage: {} };
  const store = { getLookup: async () => lookup, touchLastUsed: async () => false, spendUsage: async () => spent } as unknown as KeyStore;
  const now = new Date();
  return { store, secrets: undefined as never, config: { ...backendConfig({}), tableName: "bench" }, now: () => now };
}

async function cpuPerCall(kind: Kind): Promise<number[]> {
  const { key, hash } = createKey("ak");
  // Used a moment ago: verify reads and answers, and does not try to write lastUsedAt.
  const lookup = { hash, keyId: "key_bench", name: "Bench", status: "active", scopes: ["a"], metadata: {}, lastUsedAt: new Date().toISOString(), ...kind.fields } as LookupItem;
  const backend = stubbedBackend(lookup);
  for (let i = 0; i < 20_000; i++) await verifyKey(backend, { key }); // warm-up for the JIT
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.cpuUsage();
    for (let i = 0; i < CPU_CALLS; i++) await verifyKey(backend, { key });
    const used = process.cpuUsage(start);
    runs.push((used.user + used.system) / CPU_CALLS);
  }
  return runs;
}

/** The bare calls a verification of `kind` needs: the lookup's GetItem, and for a counted key one conditional counter update. */
function bareCalls(stack: LocalStack, bare: DynamoDBClient, kind: Kind, key: string): () => Promise<unknown> {
  const get = () => bare.send(new GetItemCommand({ TableName: stack.tableName, Key: { pk: { S: ItemKey.lookup(hashKey(key)) } }, ConsistentRead: true }));
  if (kind.baseline === "GetItem") return get;
  const update = new UpdateItemCommand({
    TableName: stack.tableName,
    Key: { pk: { S: "BENCH#counter" } },
    UpdateExpression: "SET #n = if_not_exists(#n, :zero) + :one",
    ConditionExpression: "attribute_not_exists(#n) OR #n < :limit",
    ExpressionAttributeNames: { "#n": "n" },
    ExpressionAttributeValues: { ":zero": { N: "0" }, ":one": { N: "1" }, ":limit": { N: "1000000000" } },
    ReturnValues: "ALL_NEW",
  });
  return async () => {
    await get();
    await bare.send(update);
  };
}

async function againstMoto(): Promise<Map<Kind, { verify: number[]; bare: number[] }>> {
  const stack = await startLocalStack();
  const backend = localBenchBackend(stack);
  const bare = new DynamoDBClient(stack.clientConfig("dynamodb"));
  try {
    const figures = new Map<Kind, { verify: number[]; bare: number[] }>();
    for (const kind of KINDS) {
      const view = await issueKey(backend, { name: "Bench", ...kind.fields });
      const key = (await backend.secrets.getValue(view.secretArn, { stage: "AWSCURRENT" }))!;
      const baseline = bareCalls(stack, bare, kind, key);
      const verify = async () => {
        const result = await verifyKey(backend, { key });
        if (!result.valid) throw new Error(`the ${kind.name} answered ${result.code}`);
      };
      await verify(); // records the use, so the timed calls do not write lastUsedAt
      for (let i = 0; i < 50; i++) {
        await verify();
        await baseline();
      }
      const runs = { verify: [] as number[], bare: [] as number[] };
      for (let run = 0; run < RUNS; run++) {
        // Alternate the two so that drift in moto's speed hits both alike.
        for (const [side, call] of [["verify", verify], ["bare", baseline]] as const) {
          const start = process.hrtime.bigint();
          for (let i = 0; i < IO_CALLS; i++) await call();
          runs[side].push(Number(process.hrtime.bigint() - start) / 1e3 / IO_CALLS);
        }
      }
      figures.set(kind, runs);
    }
    return figures;
  } finally {
    bare.destroy();
    backend.destroy();
    await stack.stop();
  }
}

function list(values: number[]): string {
  return values.map((value) => value.toFixed(2)).join(", ");
}

/** Runs the verify benchmark and returns its markdown section. */
export async function verifyBench(): Promise<string> {
  const cpu = new Map<Kind, number[]>();
  for (const kind of KINDS) cpu.set(kind, await cpuPerCall(kind));
  const io = await againstMoto();
  const rows = KINDS.map((kind) => {
    const { verify, bare } = io.get(kind)!;
    const ratio = median(verify) / median(bare);
    return [
      `| ${kind.name} | ${median(cpu.get(kind)!).toFixed(2)} (${list(cpu.get(kind)!)})`,
      `${median(verify).toFixed(0)} (${list(verify)})`,
      `${kind.baseline}: ${median(bare).toFixed(0)} (${list(bare)})`,
      `**${ratio.toFixed(3)}** | ${ratio <= MAX_RATIO ? "met" : "**missed**"} |`,
    ].join(" | ");
  });
  return [
    "## Verify",
    "",
    `| key | CPU per verifyKey call, store in memory (µs) | verifyKey against moto, per call (µs) | the bare calls it needs, same moto (µs) | ratio | <= ${MAX_RATIO} |`,
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `Medians, with the runs in brackets: ${CPU_CALLS} calls per CPU run and ${IO_CALLS} per moto run, ${RUNS} runs each; CPU time from process.cpuUsage, wall time from hrtime. The limited key's limit and the credited key's balance are out of reach, so every timed verification is accepted and spends; lastUsedAt was written just before, so no timed call writes it. The bare update is one conditional counter update of the same shape as the spend, on an item of its own. AWS calls per verification, as the Lambda makes them, are in "AWS calls per operation" below.`,
    "",
  ].join("\n");
}
