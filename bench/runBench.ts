/** `npm run bench`: runs the benchmarks and writes bench/results.md with the machine they ran on. */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../local/repoRoot";
import { machineLine } from "./machine";
import { verifyBench } from "./verifyBench";

async function main(): Promise<void> {
  const sections = [await verifyBench()];
  const header = ["# Benchmark results", "", `Machine: ${machineLine()}`, "", "Produced by `npm run bench`; every figure is the median of the runs listed beside it.", ""];
  const text = [...header, ...sections].join("\n");
  const out = process.env.BENCH_OUT ?? path.join(repoRoot(), "bench", "results.md");
  fs.writeFileSync(out, text);
  console.log(text);
}

main().catch((error) => {
  console.error(`bench failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
