/**
 * `npm start`: makes sure a local backend is running (starting one in the background if needed), installs the
 * package into the example project as any project installs it, runs a real `pulumi up` of the example stack against
 * the backend, and prints the key inventory. `npm run stop` stops the backend.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensureTool } from "../tools/ensureTool";
import { pulumiEnv } from "../tools/pulumiEnv";
import { repoRoot } from "../tools/repoRoot";

const ROOT = repoRoot();
const EXAMPLE_DIR = path.join(ROOT, "example");
const LOCAL_DIR = path.join(ROOT, ".pulumi-local");
const BACKEND_FILE = path.join(LOCAL_DIR, "backend.json");
const STACK = "local";

interface RunningBackend {
  pid: number;
  env: Record<string, string>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function runningBackend(): RunningBackend | undefined {
  if (!fs.existsSync(BACKEND_FILE)) return undefined;
  const backend = JSON.parse(fs.readFileSync(BACKEND_FILE, "utf8")) as RunningBackend;
  return alive(backend.pid) ? backend : undefined;
}

/** Starts `localStackCli` detached, so the backend outlives this command, and waits until it reports ready. */
async function startBackend(motoServer: string): Promise<RunningBackend> {
  fs.rmSync(BACKEND_FILE, { force: true });
  const log = fs.openSync(path.join(LOCAL_DIR, "backend.log"), "w");
  const child = spawn(process.execPath, [path.join(ROOT, "dist/local/localStackCli.js")], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, APIKEYS_ENV_FILE: BACKEND_FILE, APIKEYS_MOTO_SERVER: motoServer },
  });
  child.unref();
  for (let waited = 0; waited < 60_000; waited += 250) {
    const backend = runningBackend();
    if (backend) return backend;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the local backend did not start; see ${path.relative(ROOT, path.join(LOCAL_DIR, "backend.log"))}`);
}

function pulumi(env: Record<string, string>, args: string[], capture = false): string {
  const result = spawnSync("pulumi", args, { cwd: EXAMPLE_DIR, env, stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
  return result.stdout ?? "";
}

/**
 * A shell file with the environment of this backend and stack, for running pulumi by hand. PATH gains the CLI's
 * directory in front of the shell's own PATH: the PATH of this process is npm's, with its internal directories.
 */
function writeEnvFile(pulumiBin: string, env: Record<string, string>, backend: RunningBackend): string {
  const names = ["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_SKIP_UPDATE_CHECK", "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", ...Object.keys(backend.env)];
  const file = path.join(LOCAL_DIR, "env.sh");
  const lines = [`export PATH='${pulumiBin}':"$PATH"`, ...names.map((name) => `export ${name}='${env[name]}'`), `export PULUMI_STACK=${STACK}`];
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/** `npm install` in the example project: its package.json names this repository (packed, not linked, see its .npmrc). */
function installExample(): void {
  console.log("Installing the package into example/ (npm install packs and builds this repository)...");
  const result = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: EXAMPLE_DIR, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error(`npm install in example/ failed (exit ${result.status ?? result.signal})`);
}

async function start(): Promise<void> {
  fs.mkdirSync(LOCAL_DIR, { recursive: true });
  const pulumiBin = ensureTool("pulumi");
  const motoServer = ensureTool("moto");
  let backend = runningBackend();
  const fresh = !backend;
  if (!backend) {
    console.log("Starting the local backend (moto + Lambda server) in the background...");
    backend = await startBackend(motoServer);
  } else {
    console.log(`Using the local backend already running (pid ${backend.pid}).`);
  }
  installExample();
  const env = { ...pulumiEnv(pulumiBin, path.join(LOCAL_DIR, "state")), ...backend.env };
  fs.mkdirSync(path.join(LOCAL_DIR, "state"), { recursive: true });
  pulumi(env, ["stack", "select", "--create", STACK], true);
  // A backend started just now is empty: refresh first so state forgets keys that lived in the previous one.
  pulumi(env, ["up", "--yes", "--stack", STACK, ...(fresh ? ["--refresh"] : [])]);
  // The inventory as the backend has it (Last Used included), by the same `apikeys list` an operator would run.
  console.log();
  const list = spawnSync(path.join(EXAMPLE_DIR, "node_modules", ".bin", "apikeys"), ["list"], { cwd: EXAMPLE_DIR, env, stdio: ["ignore", "inherit", "inherit"] });
  if (list.status !== 0) throw new Error(`apikeys list failed (exit ${list.status ?? list.signal})`);
  console.log();
  const envFile = path.relative(EXAMPLE_DIR, writeEnvFile(pulumiBin, env, backend));
  console.log(
    [
      `The local backend keeps running (pid ${backend.pid}). To work with the stack by hand:`,
      "  cd example",
      `  source ${envFile}`,
      "  pulumi preview --diff     # after editing keys.yaml",
      "  pulumi refresh            # pick up changes made outside Pulumi",
      "  pulumi destroy            # delete every key of the stack",
      "npm run stop stops the backend (its data is kept in memory only).",
    ].join("\n"),
  );
}

async function stop(): Promise<void> {
  const backend = runningBackend();
  if (!backend) {
    console.log("No local backend is running.");
    return;
  }
  process.kill(backend.pid, "SIGINT");
  for (let waited = 0; waited < 15_000 && alive(backend.pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  fs.rmSync(BACKEND_FILE, { force: true });
  console.log(`Stopped the local backend (pid ${backend.pid}).`);
}

(process.argv[2] === "stop" ? stop() : start()).catch((error) => {
  console.error(`npm start: ${(error as Error).message}`);
  process.exit(1);
});
