import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { consumerProject } from "../tools/consumerProject";
import { ensureTool } from "../tools/ensureTool";
import { pulumiEnv } from "../tools/pulumiEnv";
import { repoRoot } from "../tools/repoRoot";

/**
 * The programs the benchmarks deploy: the example program (ApiKeys), run as users run it from a project with the
 * packed package installed, and the no-op baseline under bench/noopProgram.
 */
export type BenchProgram = "apikeys" | "noop";

/** What one CLI run printed and how long it took. */
export interface CliRun {
  stdout: string;
  /** Wall time of the whole command (CLI start, language host, program, engine), in milliseconds. */
  ms: number;
  /** `performance.now()` when the command was started and when it exited, to match Lambda invocation records. */
  start: number;
  end: number;
}


/**
 * The real Pulumi CLI on a throwaway file backend, with extra environment (a local stack's endpoints). Commands run
 * asynchronously: the local stack serves the Lambdas from this very process, so blocking it would deadlock the run.
 */
export class PulumiCli {
  /** The CLI's version, as `pulumi version` prints it. */
  version = "";
  private readonly scratch: string;
  private readonly env: Record<string, string>;
  private readonly programDirs: Record<BenchProgram, string>;
  // Stacks still in the backend, removed by dispose() even when a run failed.
  private readonly live = new Map<string, BenchProgram>();

  constructor(extraEnv: Record<string, string>) {
    this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-bench-"));
    const stateDir = path.join(this.scratch, "state");
    fs.mkdirSync(stateDir);
    this.env = { ...pulumiEnv(ensureTool("pulumi"), stateDir), ...extraEnv };
    this.programDirs = { apikeys: consumerProject().dir, noop: path.join(repoRoot(), "bench", "noopProgram") };
  }

  /** Reads the CLI version; call once before use. */
  async init(): Promise<this> {
    this.version = (await this.run("apikeys", ["version"])).stdout.trim();
    return this;
  }

  /** Writes a keys file (JSON is YAML too) into the scratch directory and returns its path. */
  keysFile(name: string, text: string): string {
    const file = path.join(this.scratch, name);
    fs.writeFileSync(file, text);
    return file;
  }

  /** Creates an empty stack of `program`. */
  async createStack(program: BenchProgram, stack: string): Promise<void> {
    await this.run(program, ["stack", "init", stack, "--non-interactive"]);
    this.live.set(stack, program);
  }

  /** `pulumi up` without its preview, so only the update is timed. */
  up(program: BenchProgram, stack: string, keysFile: string): Promise<CliRun> {
    return this.run(program, ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack], keysFile);
  }

  /** `pulumi preview` that fails unless nothing would change. */
  previewNoChanges(program: BenchProgram, stack: string, keysFile: string): Promise<CliRun> {
    return this.run(program, ["preview", "--expect-no-changes", "--non-interactive", "--stack", stack], keysFile);
  }

  /** `pulumi stack export`, byte for byte as the CLI prints it. */
  async exportStack(program: BenchProgram, stack: string): Promise<string> {
    return (await this.run(program, ["stack", "export", "--stack", stack])).stdout;
  }

  /** Bytes of the checkpoint the file backend stores for the stack (what a state budget on storage counts). */
  checkpointBytes(stack: string): number {
    const stacks = path.join(this.scratch, "state", ".pulumi", "stacks");
    for (const project of fs.readdirSync(stacks)) {
      for (const name of [`${stack}.json`, `${stack}.json.gz`]) {
        const file = path.join(stacks, project, name);
        if (fs.existsSync(file)) return fs.statSync(file).size;
      }
    }
    throw new Error(`no checkpoint of stack ${stack} in the file backend`);
  }

  /** Drops the stack from the backend without touching its resources (the benchmark resets the backend itself). */
  async removeStack(stack: string): Promise<void> {
    const program = this.live.get(stack);
    if (!program) return;
    this.live.delete(stack);
    await this.run(program, ["stack", "rm", stack, "--yes", "--force", "--non-interactive"]);
  }

  /** Removes every stack left and the scratch directory. */
  async dispose(): Promise<void> {
    for (const stack of [...this.live.keys()]) await this.removeStack(stack).catch(() => undefined);
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }

  private run(program: BenchProgram, args: string[], keysFile?: string): Promise<CliRun> {
    const env = keysFile ? { ...this.env, APIKEYS_KEYS_FILE: keysFile } : this.env;
    const cwd = this.programDirs[program];
    return new Promise((resolve, reject) => {
      const start = performance.now();
      const child = spawn("pulumi", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      const stdout: Buffer[] = [];
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
      child.on("error", reject);
      child.on("close", (code, signal) => {
        const end = performance.now();
        const text = Buffer.concat(stdout).toString("utf8");
        if (code === 0) resolve({ stdout: text, ms: end - start, start, end });
        else reject(new Error(`pulumi ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${(text + stderr).slice(-4000)}`));
      });
    });
  }
}
