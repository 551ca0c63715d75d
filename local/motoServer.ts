/**
 * Runs moto_server (a local emulation of DynamoDB, Secrets Manager, KMS, STS
 * and more) as a child process for tests and local runs.
 * scripts/ensure-moto.sh installs it when it is missing.
 */
import { ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../tools/repoRoot";

/** Options for {@link startMotoServer}. */
export interface MotoServerOptions {
  /** A free port is picked when omitted. */
  port?: number;
  /**
   * Evaluate IAM once {@link MotoServer.enforceIam} is called, asking moto's evaluator about the resources each call
   * acts on (local/moto/iam_context.py): without it moto 5.2 asks about `*` for DynamoDB, Secrets Manager and
   * Lambda, so no resource-scoped policy would grant anything.
   */
  iam?: boolean;
  /**
   * Run moto as published, without local/moto's corrections (and so without IAM mode): only for the tests that show
   * what each correction is for.
   */
  stock?: boolean;
}

/** A call moto's IAM refused: who asked for which action on which resource. */
export interface IamDenial {
  principal: string;
  action: string;
  resource: string;
}

/** A running moto_server. */
export interface MotoServer {
  url: string;
  port: number;
  pid: number;
  /**
   * From now on every request must be signed by an IAM identity whose policies allow it: moto's
   * `INITIAL_NO_AUTH_ACTION_COUNT`, set to 0 through its `/moto-api/reset-auth` endpoint, so the set-up before it
   * needs no identity.
   */
  enforceIam(): Promise<void>;
  /**
   * Every call refused so far in IAM mode, in order, whether or not the caller reported it. moto prints a refusal
   * before it answers, but its output and its answer arrive on different pipes: this resolves once the output that
   * came before the latest answer has been read, so a refusal just answered is in the list.
   */
  denials(): Promise<IamDenial[]>;
  /** Kills moto_server and resolves once it has exited. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;
/** What local/moto/secret_versions.py prints once it is in place. */
const SECRET_VERSIONS_MARK = "apikeys: moto secret-version rule installed";
/** What local/moto/iam_context.py prints once it is in place, and before each refusal. */
const IAM_CONTEXT_MARK = "apikeys: moto IAM request context installed";
/** Set to `1` for moto, loads local/moto/iam_context.py (local/moto/sitecustomize.py reads it). */
const MOTO_IAM_ENV = "APIKEYS_MOTO_IAM";
const DENIAL_MARK = "apikeys: denied ";

const STOP_GRACE_MS = 5_000;
// moto logs every request; keep only the tail that explains a failed start.
const MAX_LOG_CHARS = 8_000;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The moto_server executable: $APIKEYS_MOTO_SERVER, then the cache venv from ensure-moto.sh, then PATH. */
export function findMotoServer(): string {
  const fromEnv = process.env.APIKEYS_MOTO_SERVER;
  if (fromEnv) return fromEnv;
  const cacheDir = process.env.APIKEYS_CACHE_DIR || path.join(os.homedir(), ".cache", "apikeys");
  const cached = path.join(cacheDir, "moto", "bin", "moto_server");
  if (isExecutable(cached)) return cached;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, "moto_server"))) return path.join(dir, "moto_server");
  }
  throw new Error("moto_server not found: run scripts/ensure-moto.sh, or set APIKEYS_MOTO_SERVER to its path");
}

/** Asks the OS for a port nobody listens on (it could in theory be taken again before moto binds it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    // Connection: close so no keep-alive socket outlives the probe.
    const req = http.get(url, { headers: { Connection: "close" }, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill("SIGTERM");
  const escalate = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await done;
  clearTimeout(escalate);
}

/** Lets startMotoServer retry on another port when the picked one was taken in the meantime. */
class PortTaken extends Error {}

/** How moto is started: with local/moto's corrections, and IAM mode on or off; or as published. */
type Mode = { iam: boolean } | "stock";

function launchEnv(mode: Mode): NodeJS.ProcessEnv {
  if (mode === "stock") return process.env;
  // Python imports `sitecustomize` from its path at start-up: that is how local/moto's corrections get into moto.
  const dir = path.join(repoRoot(), "local", "moto");
  return { ...process.env, PYTHONPATH: [dir, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter), [MOTO_IAM_ENV]: mode.iam ? "1" : "0" };
}

function post(url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { Connection: "close", "Content-Length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`moto_server refused POST ${url}: ${res.statusCode} ${text}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function launch(executable: string, port: number, mode: Mode): Promise<MotoServer> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(executable, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"], env: launchEnv(mode) });
  let log = "";
  const keep = (text: string): void => {
    log = (log + text).slice(-MAX_LOG_CHARS);
  };
  let contextInstalled = false;
  let versionsRuled = false;
  const denials: IamDenial[] = [];
  let partial = "";
  const readStdout = (text: string): void => {
    keep(text);
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith(IAM_CONTEXT_MARK)) contextInstalled = true;
      else if (line.startsWith(SECRET_VERSIONS_MARK)) versionsRuled = true;
      else if (line.startsWith(DENIAL_MARK)) denials.push(JSON.parse(line.slice(DENIAL_MARK.length)) as IamDenial);
    }
  };
  // Both pipes must be drained or moto blocks once the pipe buffer fills.
  child.stdout.setEncoding("utf8").on("data", readStdout);
  child.stderr.setEncoding("utf8").on("data", keep);

  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });
  let dead = false;
  const death = new Promise<void>((resolve) =>
    child.once("close", () => {
      dead = true;
      resolve();
    }),
  );

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await answers(`${url}/moto-api/`))) {
    if (spawnError) throw new Error(`could not start moto_server (${executable}): ${spawnError.message}`);
    if (dead) {
      const output = log.trim();
      if (/address already in use/i.test(output)) throw new PortTaken(`moto_server could not listen on ${url}:\n${output}`);
      const status = child.signalCode ?? `code ${child.exitCode}`;
      throw new Error(`moto_server (${executable}) exited with ${status} before answering on ${url}:\n${output}`);
    }
    if (Date.now() > deadline) {
      await kill(child);
      throw new Error(`moto_server (${executable}) did not answer on ${url} within ${STARTUP_TIMEOUT_MS / 1000} s:\n${log.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (mode !== "stock" && !versionsRuled) {
    await kill(child);
    throw new Error(`moto_server (${executable}) did not load local/moto/secret_versions.py, so it would let a secret version change:\n${log.trim()}`);
  }
  if (mode !== "stock" && mode.iam && !contextInstalled) {
    await kill(child);
    throw new Error(`moto_server (${executable}) did not load local/moto/iam_context.py, so IAM mode cannot scope policies to resources:\n${log.trim()}`);
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    pid: child.pid!,
    enforceIam: () => post(`${url}/moto-api/reset-auth`, "0"),
    async denials() {
      // Both pipes may be ready in the same turn of the event loop, the answer handled first: finish the turn, and
      // any line it left half read.
      for (let turn = 0; turn < 10 && (turn === 0 || partial !== ""); turn++) await new Promise((resolve) => setImmediate(resolve));
      return [...denials];
    },
    stop() {
      stopping ??= kill(child).then(() => death);
      return stopping;
    },
  };
}

/** Starts moto_server on 127.0.0.1 and resolves once it answers HTTP. */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const executable = findMotoServer();
  if (options.stock && options.iam) throw new Error("startMotoServer: IAM mode needs local/moto's corrections, so it cannot run with stock");
  const mode: Mode = options.stock ? "stock" : { iam: options.iam ?? false };
  if (options.port !== undefined) return launch(executable, options.port, mode);
  // A port picked by freePort can be grabbed by someone else before moto binds it; pick again then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(executable, await freePort(), mode);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= 3) throw error;
    }
  }
}
