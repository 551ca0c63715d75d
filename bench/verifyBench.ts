/**
 * Verify benchmark: (1) CPU per verifyKey call with the store stubbed; (2) verifyKey against moto versus a bare
 * GetItem of the same item against the same moto. Medians of RUNS runs; prints a markdown section.
 */
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { ItemKey, createKey, hashKey } from "../contract";
import type { Backend } from "../lambdas/Backend";
import { backendConfig } from "../lambdas/backendConfig";
import { issueKey } from "../lambdas/operations/issueKey";
import { verifyKey } from "../lambdas/operations/verifyKey";
import type { KeyStore, LookupItem } from "../lambdas/store/KeyStore";
import { startLocalStack } from "../local/localStack";
import { localBenchBackend } from "./localBenchBackend";
import { median } from "./machine";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CPU_CALLS = Number(process.env.BENCH_CPU_CALLS ?? 200_000);
const IO_CALLS = Number(process.env.BENCH_IO_CALLS ?? 500);

/** A store that answers the lookup from memory, so only verify's own work is measured. */
function stubbedBackend(lookup: LookupItem): Backend {
  const store = { getLookup: async () => lookup, touchLastUsed: async () => false } as unknown as KeyStore;
  const now = new Date();
  return { store, secrets: undefined as never, config: { ...backendConfig({}), tableName: "bench" }, now: () => now };
}

async function cpuPerCall(): Promise<number[]> {
  const { key, hash } = createKey("ak");
  // Used a moment ago: verify reads and answers, and does not try to write.
  const lookup: LookupItem = { hash, keyId: "key_bench", name: "Bench", status: "active", scopes: ["a"], metadata: {}, lastUsedAt: new Date().toISOString() };
  const backend = stubbedBackend(lookup);
  for (let i = 0; i < 20_000; i++) await verifyKey(backend, { key }); // warm-up for the JIT
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.cpuUsage();
    for (let i = 0; i < CPU_CALLS; i++) await verifyKey(backend, { key });
    const used = process.cpuUsage(start);
    runs.push(((used.user + used.system) / CPU_CALLS));
  }
  return runs;
}

async function againstMoto(): Promise<{ verify: number[]; getItem: number[] }> {
  const stack = await startLocalStack();
  try {
    const backend = localBenchBackend(stack);
    const view = await issueKey(backend, { name: "Bench" });
    const key = (await backend.secrets.getValue(view.secretArn, { stage: "AWSCURRENT" }))!;
    await verifyKey(backend, { key }); // records the use, so the timed calls below only read
    const bare = new DynamoDBClient(stack.clientConfig("dynamodb"));
    const pk = { pk: { S: ItemKey.lookup(hashKey(key)) } };
    const verify: number[] = [];
    const getItem: number[] = [];
    for (let i = 0; i < 50; i++) {
      await verifyKey(backend, { key });
      await bare.send(new GetItemCommand({ TableName: stack.tableName, Key: pk, ConsistentRead: true }));
    }
    for (let run = 0; run < RUNS; run++) {
      // Alternate the two so that drift in moto's speed hits both alike.
      let start = process.hrtime.bigint();
      for (let i = 0; i < IO_CALLS; i++) await verifyKey(backend, { key });
      verify.push(Number(process.hrtime.bigint() - start) / 1e3 / IO_CALLS);
      start = process.hrtime.bigint();
      for (let i = 0; i < IO_CALLS; i++) await bare.send(new GetItemCommand({ TableName: stack.tableName, Key: pk, ConsistentRead: true }));
      getItem.push(Number(process.hrtime.bigint() - start) / 1e3 / IO_CALLS);
    }
    bare.destroy();
    backend.destroy();
    return { verify, getItem };
  } finally {
    await stack.stop();
  }
}

function list(values: number[]): string {
  return values.map((value) => value.toFixed(2)).join(", ");
}

/** Runs the verify benchmark and returns its markdown section. */
export async function verifyBench(): Promise<string> {
  const cpu = await cpuPerCall();
  const io = await againstMoto();
  const ratio = median(io.verify) / median(io.getItem);
  return [
    "## Verify",
    "",
    `| measure | median | runs | target |`,
    `| --- | --- | --- | --- |`,
    `| CPU per verifyKey call, store stubbed (µs) | ${median(cpu).toFixed(2)} | ${list(cpu)} | <= 10 |`,
    `| verifyKey against moto, per call (µs) | ${median(io.verify).toFixed(0)} | ${list(io.verify)} | |`,
    `| bare GetItem against the same moto, per call (µs) | ${median(io.getItem).toFixed(0)} | ${list(io.getItem)} | |`,
    `| ratio verify / GetItem | ${ratio.toFixed(3)} | | <= 1.2 |`,
    "",
    `${CPU_CALLS} calls per CPU run and ${IO_CALLS} per moto run, ${RUNS} runs each; CPU time from process.cpuUsage, wall time from hrtime.`,
    "",
  ].join("\n");
}
