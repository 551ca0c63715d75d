import fs from "node:fs";

declare global {
  /**
   * Whether this build carries the failpoints: scripts/build.js defines it false in the bundles the backend deploys,
   * so esbuild drops every `if (APIKEYS_FAILPOINTS) await failpoint(...)` with its point name, and true in the test
   * bundles under dist/failpoints/; jest sets it true for the sources. Call sites test it themselves, so that the
   * whole call goes, not only this module's body.
   */
  var APIKEYS_FAILPOINTS: boolean;
}

/** The environment variable that names the failpoint file. */
export const FAILPOINT_FILE_ENV = "APIKEYS_FAILPOINT_FILE";

/**
 * How a failpoint fails: throw an error, hang until the Lambda's timeout kills the invocation, or kill the process
 * at once (a crashed sandbox; only for functions that run in a process of their own, such as the local Lambda workers).
 * `pause` does not fail: it holds the operation until its line leaves the file, so a test can interleave another
 * operation at that point.
 */
type FailMode = "throw" | "hang" | "crash" | "pause";

/** How often a paused operation looks whether it was let go. */
const PAUSE_POLL_MS = 20;

function readLines(file: string): string[] | undefined {
  try {
    return fs.readFileSync(file, "utf8").split("\n");
  } catch {
    return undefined;
  }
}

async function pauseWhileArmed(file: string, line: string): Promise<void> {
  while (readLines(file)?.includes(line)) await new Promise((resolve) => setTimeout(resolve, PAUSE_POLL_MS));
}

/** True for the first caller only, across processes: mkdir either creates the marker or finds it made. */
function claim(marker: string): boolean {
  try {
    fs.mkdirSync(marker);
    return true;
  } catch {
    return false;
  }
}

/**
 * Fault injection for the no-orphan and concurrency tests: when the file named by APIKEYS_FAILPOINT_FILE has a line
 * `<point>:<mode>`, every operation stops at that point; a line `<point>:<mode>:once` stops only the first operation
 * to get there, in any process (its marker `<file>.taken-<line index>` says one did). Without the variable this returns
 * at once; the deployed bundles have no call of it.
 */
export async function failpoint(point: string): Promise<void> {
  const file = process.env[FAILPOINT_FILE_ENV];
  if (!file) return;
  const lines = readLines(file) ?? [];
  for (const [index, line] of lines.entries()) {
    const [name, mode = "throw", times] = line.trim().split(":") as [string, FailMode?, string?];
    if (name !== point) continue;
    if (times === "once" && !claim(`${file}.taken-${index}`)) continue;
    if (mode === "pause") return pauseWhileArmed(file, line);
    if (mode === "hang") await new Promise(() => undefined);
    if (mode === "crash") process.kill(process.pid, "SIGKILL");
    throw new Error(`failpoint ${point}`);
  }
}
