import { spawn } from "node:child_process";

/** What a finished process printed, and how it exited. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the process's stdin, which is then closed; without it stdin reads as empty. */
  stdin?: string;
}

/**
 * Runs a command to its end, collecting its output. Asynchronous on purpose: the local stack's Lambda server answers
 * from the test's own process, so a blocking spawn would deadlock any command that invokes a function.
 */
export function runProcess(command: string, args: string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const stdin = options.stdin === undefined ? "ignore" : "pipe";
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: [stdin, "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  if (child.stdin) {
    // A process may exit without reading its input (`node --version`); the write then fails with EPIPE, which says
    // nothing about the process: its exit code and output do.
    child.stdin.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") child.emit("error", error);
    });
    child.stdin.end(options.stdin);
  }
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
