import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";
import { FAILPOINT_FILE_ENV, failpoint } from "../../lambdas/failpoint";
import { useFailpoints } from "../support/failpoints";

const failpoints = useFailpoints();

// The failpoint module on its own, for child processes that stand in for Lambda workers.
const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-failpoint-bundle-"));
const bundle = path.join(bundleDir, "failpoint.js");
beforeAll(() => {
  buildSync({ entryPoints: [path.join(__dirname, "../../lambdas/failpoint.ts")], bundle: true, platform: "node", format: "cjs", outfile: bundle, logLevel: "silent" });
});
afterAll(() => fs.rmSync(bundleDir, { recursive: true, force: true }));

/** Runs `failpoint(point)` in a process of its own: how it ended, as a Lambda worker would. */
function inChild(point: string): Promise<{ output: string; signal: NodeJS.Signals | null }> {
  const script = `require(${JSON.stringify(bundle)}).failpoint(${JSON.stringify(point)}).then(() => console.log("passed"), (e) => console.log("stopped: " + e.message))`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["-e", script], { env: { PATH: process.env.PATH ?? "", [FAILPOINT_FILE_ENV]: failpoints.file } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.on("close", (_code, signal) => resolve({ output: output.trim(), signal }));
  });
}

const outcome = (promise: Promise<void>) =>
  promise.then(
    () => "passed",
    (error: Error) => `stopped: ${error.message}`,
  );

describe("failpoint", () => {
  it("passes when nothing is armed, and stops every operation at a point armed for all", async () => {
    expect(await outcome(failpoint("rotate.afterSwitch"))).toBe("passed");
    failpoints.arm("rotate.afterSwitch");
    expect(await outcome(failpoint("rotate.afterSwitch"))).toBe("stopped: failpoint rotate.afterSwitch");
    expect(await outcome(failpoint("rotate.afterSwitch"))).toBe("stopped: failpoint rotate.afterSwitch");
    expect(await outcome(failpoint("rotate.afterLookup"))).toBe("passed");
  });

  it("stops only the first of many processes at a point armed once, and each armed line once", async () => {
    failpoints.armOnce([
      { point: "delete.afterTombstone", mode: "throw" },
      { point: "rotate.afterPending", mode: "throw" },
    ]);
    const outputs = (await Promise.all(Array.from({ length: 6 }, () => inChild("delete.afterTombstone")))).map((child) => child.output);
    expect(outputs.sort()).toEqual([...Array(5).fill("passed"), "stopped: failpoint delete.afterTombstone"]);
    expect(await outcome(failpoint("rotate.afterPending"))).toBe("stopped: failpoint rotate.afterPending");
    expect(await outcome(failpoint("rotate.afterPending"))).toBe("passed");
  });

  it("arms a taken line afresh after disarming", async () => {
    failpoints.armOnce([{ point: "create.afterSecret", mode: "throw" }]);
    expect(await outcome(failpoint("create.afterSecret"))).toBe("stopped: failpoint create.afterSecret");
    failpoints.disarm();
    expect(await outcome(failpoint("create.afterSecret"))).toBe("passed");
    failpoints.armOnce([{ point: "create.afterSecret", mode: "throw" }]);
    expect(await outcome(failpoint("create.afterSecret"))).toBe("stopped: failpoint create.afterSecret");
  });

  it("kills the process at once in crash mode, as a sandbox dies", async () => {
    failpoints.armOnce([{ point: "create.afterRecord", mode: "crash" }]);
    expect(await inChild("create.afterRecord")).toEqual({ output: "", signal: "SIGKILL" });
    expect(await inChild("create.afterRecord")).toEqual({ output: "passed", signal: null });
  });

  it("holds the first operation at a paused point until disarmed, and lets the others pass", async () => {
    const held = failpoints.pauseOnce("rotate.afterPending");
    let first = "held";
    const firstDone = failpoint("rotate.afterPending").then(() => (first = "passed"));
    expect(await held).toBe(true);
    expect(await outcome(failpoint("rotate.afterPending"))).toBe("passed");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(first).toBe("held");
    failpoints.disarm();
    await firstDone;
    expect(first).toBe("passed");
  });

  it("ends the wait for a paused operation when disarmed before any got there", async () => {
    const held = failpoints.pauseOnce("rotate.afterPending");
    failpoints.disarm();
    expect(await held).toBe(false);
  });
});
