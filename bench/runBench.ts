/**
 * `npm run bench`: runs the benchmarks and writes bench/results.md with the machine and versions they ran on.
 * `npm run bench -- calls` (or `verify`, `bundles`) reruns only those sections and replaces them in results.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findMotoServer } from "../local/motoServer";
import { repoRoot } from "../tools/repoRoot";
import { bundleBench } from "./bundleBench";
import { callsBench } from "./callsBench";
import { engineBench } from "./engineBench";
import { machineLine } from "./machine";
import { startBenchBackend } from "./startBenchBackend";
import { stateBench } from "./stateBench";
import { toolVersions } from "./toolVersions";
import { verifyBench } from "./verifyBench";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// A fresh process costs a tenth of a second, so the bundles get more runs for a steadier median on a shared machine.
const BUNDLE_RUNS = Number(process.env.BENCH_BUNDLE_RUNS ?? 11);
const STATE_COUNTS = [10, 100, 500];
const ENGINE_COUNTS = [50, 200];

/** Sections that run on their own, by the name `npm run bench -- <name>` takes. */
const ALONE: Record<string, () => Promise<string>> = {
  calls: callsBench,
  verify: verifyBench,
  bundles: () => bundleBench({ runs: BUNDLE_RUNS }),
};

/** `text` with the section under `section`'s own `## ` heading replaced by it, or with it appended. */
function replaceSection(text: string, section: string): string {
  const lines = text.trimEnd().split("\n");
  const start = lines.indexOf(section.split("\n")[0]);
  if (start === -1) return `${lines.join("\n")}\n\n${section}`;
  const next = lines.findIndex((line, index) => index > start && line.startsWith("## "));
  const after = next === -1 ? [] : ["", ...lines.slice(next)];
  return [...lines.slice(0, start), section.trimEnd(), ...after].join("\n") + "\n";
}

async function rerun(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !ALONE[name]);
  if (unknown.length) throw new Error(`no section ${unknown.join(", ")} runs alone; those that do: ${Object.keys(ALONE).join(", ")}`);
  const out = process.env.BENCH_OUT ?? path.join(repoRoot(), "bench", "results.md");
  let text = fs.readFileSync(out, "utf8");
  for (const name of names) text = replaceSection(text, await ALONE[name]());
  fs.writeFileSync(out, text);
  console.log(text);
}

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  if (names.length) return rerun(names);
  const started = performance.now();
  const loadBefore = os.loadavg()[0];
  const progress = (step: string): void => console.error(`bench: ${step} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  const backend = await startBenchBackend();
  let state: string;
  let engine: string;
  const versions = toolVersions(backend.cli.version, findMotoServer());
  try {
    progress("state bytes per key");
    const stateResult = await stateBench(backend, STATE_COUNTS);
    state = stateResult.section;
    progress("engine cost");
    engine = await engineBench(backend, { counts: ENGINE_COUNTS, runs: RUNS, preview: stateResult.largest });
  } finally {
    await backend.stop();
  }
  progress("verify");
  const verify = await verifyBench();
  progress("Lambda bundles");
  const bundles = await bundleBench({ runs: BUNDLE_RUNS });
  progress("AWS calls per operation");
  const calls = await callsBench();
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  const header = [
    "# Benchmark results",
    "",
    `Machine: ${machineLine()}`,
    "",
    `Date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    versions,
    "",
    `Produced by \`npm run bench\` in ${minutes} minutes; every timing is the median of the runs listed beside it. Load average (1 min) before the first benchmark: ${loadBefore.toFixed(1)}; above zero, other work shared the machine and widened the spread of wall times.`,
    "",
  ];
  const text = [...header, state, engine, verify, bundles, calls].join("\n");
  const out = process.env.BENCH_OUT ?? path.join(repoRoot(), "bench", "results.md");
  fs.writeFileSync(out, text);
  console.log(text);
}

main().catch((error) => {
  console.error(`bench failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
