/**
 * Engine benchmark: `pulumi up` of N ApiKeys against `pulumi up` of N no-op dynamic resources (bench/noopProgram),
 * alternated in one run, with the part of the ApiKey run spent waiting on the create Lambda as the local Lambda
 * server recorded it; then a no-op `pulumi preview` of the largest state stack. Prints a markdown section.
 */
import type { InvocationRecord } from "../local/lambdaServer";
import { benchKeysFile } from "./benchKeysFile";
import { median } from "./machine";
import type { BenchProgram } from "./PulumiCli";
import type { BenchBackend } from "./startBenchBackend";
import { stateBreakdown } from "./stateBreakdown";
import type { DeployedStack } from "./stateBench";

/** Options of {@link engineBench}. */
export interface EngineBenchOptions {
  /** Resource counts to deploy; growth is reported between the first and the last. */
  counts: number[];
  runs: number;
  /** A deployed stack of the example program to preview with nothing to change. */
  preview: DeployedStack;
}

interface RunFigures {
  apikeys: number[];
  noop: number[];
  /** Wall time with a create invocation in flight, per ApiKey run. */
  lambda: number[];
}

const seconds = (values: number[]): string => values.map((value) => (value / 1000).toFixed(2)).join(", ");
const s = (value: number): string => (value / 1000).toFixed(2);

/** Deploys `count` resources of `program` on a fresh stack and returns the timed run. */
async function deploy(backend: BenchBackend, program: BenchProgram, count: number, run: number) {
  const { cli } = backend;
  await backend.clearTables();
  const stack = `b${process.pid}-${program}-${count}-${run}`;
  const keysFile = cli.keysFile(`engine-${count}.json`, benchKeysFile(count));
  await cli.createStack(program, stack);
  try {
    const result = await cli.up(program, stack, keysFile);
    const exported = run === 0 && program === "noop" ? await cli.exportStack(program, stack) : undefined;
    return { ...result, exported };
  } finally {
    await cli.removeStack(stack);
  }
}

function creates(backend: BenchBackend, from: number, to: number): InvocationRecord[] {
  return backend.invocations.within(from, to).filter((record) => record.functionName === backend.stack.functions.create);
}

/** Runs the engine benchmark and returns its markdown section. */
export async function engineBench(backend: BenchBackend, options: EngineBenchOptions): Promise<string> {
  const figures = new Map<number, RunFigures>();
  let noopProviderBytes = 0;
  for (const count of options.counts) {
    const f: RunFigures = { apikeys: [], noop: [], lambda: [] };
    figures.set(count, f);
    for (let run = 0; run < options.runs; run++) {
      // Alternate which goes first so that drift on a shared machine hits both alike.
      const order: BenchProgram[] = run % 2 ? ["noop", "apikeys"] : ["apikeys", "noop"];
      for (const program of order) {
        const result = await deploy(backend, program, count, run);
        f[program].push(result.ms);
        if (result.exported) noopProviderBytes = stateBreakdown(result.exported, ":Noop").providerSource;
        if (program !== "apikeys") continue;
        const invoked = creates(backend, result.start, result.end);
        const failed = invoked.filter((record) => !record.ok).length;
        if (invoked.length !== count || failed) throw new Error(`ApiKey run of ${count}: ${invoked.length} create invocations, ${failed} failed`);
        f.lambda.push(backend.invocations.busyMs(result.start, result.end));
      }
    }
  }

  const { cli } = backend;
  const preview: number[] = [];
  let previewInvocations = 0;
  for (let run = 0; run < options.runs; run++) {
    const result = await cli.previewNoChanges("apikeys", options.preview.stack, options.preview.keysFile);
    preview.push(result.ms);
    previewInvocations += backend.invocations.within(result.start, result.end).length;
  }
  await cli.removeStack(options.preview.stack);

  const rows: string[] = [];
  for (const [count, f] of figures) {
    const ratio = median(f.apikeys) / median(f.noop);
    const rest = f.apikeys.map((total, i) => total - f.lambda[i]);
    // With one create at a time the worker is busy whenever a create is in flight, so this is its time per key.
    const perKey = f.lambda.map((busy) => busy / count);
    rows.push(
      `| \`pulumi up\`, ${count} ApiKeys (s) | ${s(median(f.apikeys))} | ${seconds(f.apikeys)} |`,
      `| \`pulumi up\`, ${count} no-op resources (s) | ${s(median(f.noop))} | ${seconds(f.noop)} |`,
      `| ratio ApiKey / no-op, N = ${count} (of the medians; runs: of each pair) | **${ratio.toFixed(2)}** | ${f.apikeys.map((t, i) => (t / f.noop[i]).toFixed(2)).join(", ")} |`,
      `| of the ApiKey up: waiting on the create Lambda (s) | ${s(median(f.lambda))} (${((100 * median(f.lambda)) / median(f.apikeys)).toFixed(0)} %) | ${seconds(f.lambda)} |`,
      `| of the ApiKey up: no create in flight (s) | ${s(median(rest))} | ${seconds(rest)} |`,
      `| create Lambda time per key, N = ${count} (ms) | ${median(perKey).toFixed(1)} | ${perKey.map((value) => value.toFixed(1)).join(", ")} |`,
    );
  }
  const first = options.counts[0];
  const last = options.counts[options.counts.length - 1];
  const a = figures.get(first)!;
  const z = figures.get(last)!;
  const slope = (pick: (f: RunFigures) => number[]): string => ((median(pick(z)) - median(pick(a))) / (last - first)).toFixed(1);
  const factor = (pick: (f: RunFigures) => number[]): string => (median(pick(z)) / median(pick(a))).toFixed(2);
  const growth = [
    `| ApiKey up | ${slope((f) => f.apikeys)} | ${factor((f) => f.apikeys)} |`,
    `| no-op up | ${slope((f) => f.noop)} | ${factor((f) => f.noop)} |`,
    `| create Lambda part | ${slope((f) => f.lambda)} | ${factor((f) => f.lambda)} |`,
    `| ApiKey up, no create in flight | ${slope((f) => f.apikeys.map((t, i) => t - f.lambda[i]))} | ${factor((f) => f.apikeys.map((t, i) => t - f.lambda[i]))} |`,
  ];
  return [
    "## Engine cost: ApiKeys against no-op dynamic resources",
    "",
    `Each run deploys N resources on a fresh stack with the real CLI (\`pulumi up --skip-preview\`, wall time of the whole command: CLI, language host, TypeScript program, engine, provider). ApiKeys come from the example program; the no-op resources from \`bench/noopProgram\`, a dynamic provider whose \`create\` returns its inputs at once, declared from the same keys file. The two alternate, ${options.runs} runs each, and every run starts from empty tables. The Lambda part is the wall time during which the local Lambda server had a create invocation in flight (arrival to answer, queueing included), from its per-invocation records; the rest is CLI start-up, the program and whatever engine work did not overlap a create, so it is a lower bound of what is not Lambda.`,
    "",
    "| measure | median | runs |",
    "| --- | --- | --- |",
    ...rows,
    "",
    `How they grow from N = ${first} to N = ${last} (linear growth with no fixed cost would be ${(last / first).toFixed(1)}×):`,
    "",
    "| measure | ms per added resource | time(N = " + last + ") / time(N = " + first + ") |",
    "| --- | --- | --- |",
    ...growth,
    "",
    `| measure | median | runs |`,
    "| --- | --- | --- |",
    `| \`pulumi preview\` of ${options.preview.count} ApiKeys, nothing to change (s) | ${s(median(preview))} | ${seconds(preview)} |`,
    "",
    `The preview ran with \`--expect-no-changes\` and invoked ${previewInvocations} Lambdas: check and diff run in the provider without I/O. The no-op provider is serialized inline by Pulumi's closure serializer (${noopProviderBytes} B of \`__provider\`, against the ApiKey provider's one-line require).`,
    "",
    "The benchmark runs one create at a time (one warm worker per function): all of moto runs in one Python process, so eight workers were not faster on two cores. On AWS the creates would run in parallel (the engine's default is 8 at once), so the Lambda part here is an upper bound. The Lambda time per key grows with N because moto deep-copies the whole table for every TransactWriteItems (for its rollback), which DynamoDB does not do.",
    "",
  ].join("\n");
}
