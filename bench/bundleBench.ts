/**
 * Lambda bundle benchmark: bytes per bundle, and initialisation in a fresh Node.js process (require the bundle and
 * build its clients) against requiring and constructing the same SDK clients alone. Prints a markdown section.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BACKEND_FUNCTIONS } from "../contract";
import { repoRoot } from "../tools/repoRoot";
import { median } from "./machine";

/** Options of {@link bundleBench}. */
export interface BundleBenchOptions {
  /** Fresh processes per bundle and per baseline. */
  runs: number;
}

const MAX_BUNDLE_BYTES = 40 * 1024;
const MAX_INIT_RATIO = 1.1;
/** Verify's initialisation against the DynamoDB client alone: it must load nothing else of the SDK at init. */
const MAX_VERIFY_INIT_RATIO = 1.05;
const DYNAMODB_CLIENT = "@aws-sdk/client-dynamodb";
const MARK = "BENCH_INIT ";

// Reports the wall and CPU time since `t0` / `cpu0` and which SDK packages the process loaded, on a line of its own
// after any log output.
const REPORT = `function report(t0, cpu0) {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const loaded = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules[\\\\/](@aws-sdk[\\\\/][^\\\\/]+)/.exec(file);
    if (match) loaded.add(match[1].replace("\\\\", "/"));
  }
  process.stdout.write("\\n${MARK}" + JSON.stringify({ ms, cpuMs, loaded: [...loaded] }) + "\\n");
}`;

// Requires the bundle and calls its handler once with an empty event: every handler builds its clients first and then
// refuses the event before any I/O, so this is the work of a cold start and nothing else.
const BUNDLE_PROBE = `${REPORT}
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const { handler } = require(process.argv[1]);
Promise.resolve()
  .then(() => handler({}, { awsRequestId: "init", getRemainingTimeInMillis: () => 30000 }))
  .catch(() => undefined)
  .then(() => report(t0, cpu0));`;

// Requires the SDK packages named in argv[1] (JSON) and constructs the clients the bundles construct.
const SDK_PROBE = `${REPORT}
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const made = {};
for (const name of JSON.parse(process.argv[1])) {
  const sdk = require(name);
  if (name === "@aws-sdk/lib-dynamodb") {
    made[name] = sdk.DynamoDBDocumentClient.from(made["@aws-sdk/client-dynamodb"], { marshallOptions: { removeUndefinedValues: true } });
  } else {
    const Client = Object.entries(sdk).find(([key, value]) => key.endsWith("Client") && typeof value === "function" && value.prototype && value.prototype.send);
    if (Client) made[name] = new Client[1]({});
  }
}
report(t0, cpu0);`;

// Unreachable endpoints and one attempt: a probe that tried the network would fail fast instead of waiting.
const PROBE_ENV = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "probe",
  AWS_SECRET_ACCESS_KEY: "probe",
  AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  AWS_MAX_ATTEMPTS: "1",
};

interface Probe {
  ms: number;
  cpuMs: number;
  loaded: string[];
}

function probe(script: string, arg: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script, arg], {
      cwd: repoRoot(),
      env: { PATH: process.env.PATH ?? "", ...PROBE_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.split("\n").find((candidate) => candidate.startsWith(MARK));
      if (code === 0 && line) resolve(JSON.parse(line.slice(MARK.length)) as Probe);
      else reject(new Error(`init probe exited with ${code}:\n${(stdout + stderr).slice(-2000)}`));
    });
  });
}

/** SDK packages a bundle requires, in the order the clients must be built (the document client wraps DynamoDB's). */
function sdkRequires(bundleText: string): string[] {
  const names = new Set([...bundleText.matchAll(/require\("(@aws-sdk\/[^"/]+)/g)].map((match) => match[1]));
  return [...names].sort((a, b) => Number(a.startsWith("@aws-sdk/lib-")) - Number(b.startsWith("@aws-sdk/lib-")) || a.localeCompare(b));
}

interface BundleFigures {
  name: string;
  bytes: number;
  external: string[];
  /** The SDK packages the bundle loaded at init. */
  loaded: string[];
  /** The SDK packages the baseline loaded. */
  baseline: string[];
  /** CPU milliseconds per fresh process: what the ratio is taken of, since other load on the machine barely moves it. */
  bundleCpu: number[];
  sdkCpu: number[];
  bundleWall: number[];
  sdkWall: number[];
}

/**
 * Initialisation of one bundle against a baseline: by default the SDK clients the bundle itself loaded at init, or
 * the packages `baseline` names.
 */
async function measure(name: string, runs: number, baseline?: string[], file = path.join(repoRoot(), "dist", "lambdas", name, "index.js")): Promise<BundleFigures> {
  const text = fs.readFileSync(file, "utf8");
  const required = sdkRequires(text);
  // The baseline loads the clients the bundle actually loaded at init, not ones it only requires on some path.
  const warm = await probe(BUNDLE_PROBE, file);
  const clients = baseline ?? required.filter((sdk) => warm.loaded.includes(sdk));
  if (clients.length === 0) throw new Error(`${name}: the handler loaded no SDK client at init; the probe does not measure a cold start`);
  await probe(SDK_PROBE, JSON.stringify(clients)); // the first of each kind warms the page cache
  const figures: BundleFigures = { name, bytes: Buffer.byteLength(text), external: required, loaded: warm.loaded, baseline: clients, bundleCpu: [], sdkCpu: [], bundleWall: [], sdkWall: [] };
  for (let run = 0; run < runs; run++) {
    // Alternate which goes first so that drift on a shared machine hits both alike.
    const order = run % 2 ? (["sdk", "bundle"] as const) : (["bundle", "sdk"] as const);
    for (const kind of order) {
      const result = kind === "bundle" ? await probe(BUNDLE_PROBE, file) : await probe(SDK_PROBE, JSON.stringify(clients));
      figures[`${kind}Cpu`].push(result.cpuMs);
      figures[`${kind}Wall`].push(result.ms);
    }
  }
  return figures;
}

/** scripts/build.js's options and esbuild, required at run time, not bundled: they stay what the repository has. */
function buildTools(): { lambdaBuildOptions(name: string, outfile: string): import("esbuild").BuildOptions; esbuild: typeof import("esbuild") } {
  const { lambdaBuildOptions } = require(path.join(repoRoot(), "scripts", "build.js"));
  return { lambdaBuildOptions, esbuild: require("esbuild") };
}

/** The `count` inputs that take the most bytes of function `name`'s bundle, built as scripts/build.js builds it. */
async function largestInputs(name: string, count = 4): Promise<{ input: string; bytes: number }[]> {
  const { lambdaBuildOptions, esbuild } = buildTools();
  const built = await esbuild.build({ ...lambdaBuildOptions(name, path.join(os.tmpdir(), `apikeys-bundle-${name}.js`)), sourcemap: false, write: false, metafile: true });
  const [output] = Object.entries(built.metafile!.outputs).filter(([file]) => file.endsWith(".js")).map(([, output]) => output);
  return Object.entries(output.inputs)
    .map(([input, { bytesInOutput }]) => ({ input, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

/** A plugin that gives every import of lambdas/`module` from our own sources the `contents` instead. */
function replacing(module: string, contents: string): import("esbuild").Plugin {
  const lambdas = path.join(repoRoot(), "lambdas");
  return {
    name: `replace-${module}`,
    setup(build) {
      build.onResolve({ filter: new RegExp(`[\\\\/]${module}$`) }, (args) => (args.importer.startsWith(lambdas) ? { path: module, namespace: `replace-${module}` } : undefined));
      build.onLoad({ filter: /.*/, namespace: `replace-${module}` }, () => ({ contents, loader: "ts", resolveDir: lambdas }));
    },
  };
}

/**
 * Builds verify as scripts/build.js builds it, with one of its modules replaced: the difference to the shipped bundle
 * is what that module costs a cold start. Under dist/, so that the bundle finds the SDK in node_modules.
 */
async function buildVerifyVariant(directory: string, plugin: import("esbuild").Plugin): Promise<string> {
  const { lambdaBuildOptions, esbuild } = buildTools();
  const outfile = path.join(repoRoot(), "dist", "bench", directory, "index.js");
  await esbuild.build({ ...lambdaBuildOptions("verify", outfile), plugins: [plugin] });
  return outfile;
}

/** Verify with its usage metrics a no-op. */
const WITHOUT_METRICS = replacing("verifyMetrics", "export function countVerification() {}");

/**
 * Verify with lambdas/log.ts written on Powertools Logger instead of twenty lines of our own: the same lines, keys
 * redacted the same way, so the difference is what Logger would cost.
 */
const WITH_POWERTOOLS_LOGGER = replacing(
  "log",
  `import { Logger } from "@aws-lambda-powertools/logger";
import { redactKeys } from "../contract";
const logger = new Logger();
export function log(level: "info" | "warn" | "error", message: string, fields: Record<string, unknown> = {}): void {
  logger[level](redactKeys(message), JSON.parse(redactKeys(JSON.stringify(fields))));
}`,
);

const list = (values: number[]): string => values.map((value) => value.toFixed(1)).join(", ");
const short = (sdk: string): string => sdk.replace("@aws-sdk/", "");
/** The clients among loaded SDK packages (their own dependencies, such as credential providers, left out). */
const clientsOf = (loaded: string[]): string[] => loaded.map(short).filter((sdk) => /^(client|lib)-/.test(sdk)).sort();
const ratioOf = (figures: BundleFigures): number => median(figures.bundleCpu) / median(figures.sdkCpu);

/** Runs the bundle benchmark and returns its markdown section. */
export async function bundleBench(options: BundleBenchOptions = { runs: 5 }): Promise<string> {
  const all: BundleFigures[] = [];
  for (const name of BACKEND_FUNCTIONS) all.push(await measure(name, options.runs));
  const rows = all.map((f) => {
    const sizeMet = f.bytes <= MAX_BUNDLE_BYTES ? "met" : "**missed**";
    const ratioMet = ratioOf(f) <= MAX_INIT_RATIO ? "met" : "**missed**";
    return [
      `| ${f.name} | ${f.bytes} | ${sizeMet} | ${f.external.map(short).join(", ")}`,
      `${median(f.bundleCpu).toFixed(1)} (${list(f.bundleCpu)})`,
      `${median(f.sdkCpu).toFixed(1)} (${list(f.sdkCpu)})`,
      `**${ratioOf(f).toFixed(3)}** | ${ratioMet}`,
      `${median(f.bundleWall).toFixed(1)} / ${median(f.sdkWall).toFixed(1)} |`,
    ].join(" | ");
  });
  const verify = await measure("verify", options.runs, [DYNAMODB_CLIENT]);
  const withoutMetrics = await measure("verify without usage metrics", options.runs, [DYNAMODB_CLIENT], await buildVerifyVariant("verify-without-metrics", WITHOUT_METRICS));
  const withLogger = await measure("verify with Powertools Logger", options.runs, [DYNAMODB_CLIENT], await buildVerifyVariant("verify-with-logger", WITH_POWERTOOLS_LOGGER));
  const worst = all.reduce((a, b) => (ratioOf(a) >= ratioOf(b) ? a : b));
  const misses: string[] = [];
  const oversized = all.filter((f) => f.bytes > MAX_BUNDLE_BYTES);
  if (oversized.length) {
    // Where the bytes go, from esbuild's metafile: what to trim or load lazily.
    const parts: string[] = [];
    for (const f of oversized) {
      const inputs = (await largestInputs(f.name)).map(({ input, bytes }) => `${input.replace(/^node_modules\//, "")} ${(bytes / 1024).toFixed(1)} KB`);
      parts.push(`${f.name} (${f.bytes} B): ${inputs.join(", ")}`);
    }
    misses.push(`- **Bundle size missed**. The SDK stays external; the largest inputs bundled, from esbuild's metafile: ${parts.join("; ")}.`);
  }
  if (ratioOf(worst) > MAX_INIT_RATIO) {
    const own = median(worst.bundleCpu) - median(worst.sdkCpu);
    misses.push(
      `- **Initialisation missed** (${worst.name}: ${ratioOf(worst).toFixed(3)}): the bundle's own code costs ${own.toFixed(1)} ms of CPU on top of the SDK's ${median(worst.sdkCpu).toFixed(1)} ms, more than a tenth. Compiling ${(worst.bytes / 1024).toFixed(0)} KB of minified code is part of it; the rest is what runs at module scope, which would have to move into the first call (as the clients already did) or be trimmed.`,
    );
  }
  if (ratioOf(verify) > MAX_VERIFY_INIT_RATIO) {
    misses.push(
      `- **Verify's initialisation missed** (${ratioOf(verify).toFixed(3)} against the DynamoDB client alone, ${ratioOf(withoutMetrics).toFixed(3)} without the usage metrics): it loads ${clientsOf(verify.loaded).join(", ")} at init; what is beyond client-dynamodb, the bundled Powertools Metrics, and the bundle's own module-scope work, are the difference.`,
    );
  }
  return [
    "## Lambda bundles",
    "",
    "| function | bytes | <= 40 KB | SDK left external | init CPU: bundle + clients (ms, median (runs)) | init CPU: same SDK clients alone (ms) | ratio | <= 1.1 | wall medians: bundle / SDK alone (ms) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "Verify's cold start against the DynamoDB client alone (`@aws-sdk/client-dynamodb`, required and constructed):",
    "",
    "| function | SDK loaded at init | init CPU: bundle + clients (ms) | init CPU: client-dynamodb alone (ms) | ratio | <= 1.05 |",
    "| --- | --- | --- | --- | --- | --- |",
    ...[verify, withoutMetrics, withLogger].map(
      (f) =>
        `| ${f.name} (${f.bytes} B) | ${clientsOf(f.loaded).join(", ")} | ${median(f.bundleCpu).toFixed(1)} (${list(f.bundleCpu)}) | ${median(f.sdkCpu).toFixed(1)} (${list(f.sdkCpu)}) | **${ratioOf(f).toFixed(3)}** | ${ratioOf(f) <= MAX_VERIFY_INIT_RATIO ? "met" : "**missed**"} |`,
    ),
    "",
    `The second row is the same source built the same way with \`countVerification\` a no-op (${verify.bytes - withoutMetrics.bytes} B smaller), and the third has \`lambdas/log.ts\` written on Powertools Logger instead (${withLogger.bytes - verify.bytes} B larger): what the usage metrics cost, and what Logger would. Compare their ratios, ${ratioOf(verify).toFixed(3)}, ${ratioOf(withoutMetrics).toFixed(3)} and ${ratioOf(withLogger).toFixed(3)}, each against a baseline run beside it: the CPU medians of separate rows drift between runs by about as much as these modules cost.`,
    "",
    `Bytes of \`dist/lambdas/<name>/index.js\` (minified; the source map beside it is not loaded at run time). Initialisation is measured inside a fresh \`node\` process from the first \`require\` until the clients exist: the bundle's handler is called once with an empty event, which builds the clients it needs at once and then refuses the event before any I/O (the Secrets Manager client is loaded and built on first use, so no handler loads it here); the baseline requires the SDK packages the bundle loaded and constructs the same clients. Node's own start-up (the same for both) is left out. The ratio is taken of CPU time (\`process.cpuUsage\`), which other load on a shared machine barely moves; wall-time medians are beside it. ${options.runs} fresh processes each, alternating, after one discarded pair.`,
    "",
    ...(misses.length ? misses : ["Both targets met for every function."]),
    "",
  ].join("\n");
}
