import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FAILPOINT_FILE_ENV } from "../../lambdas/failpoint";

/** How an armed failpoint stops an operation (see lambdas/failpoint.ts). */
export type FailMode = "throw" | "hang" | "crash" | "pause";

/** A failpoint file for this suite: what lambdas/failpoint.ts reads when FAILPOINT_FILE_ENV names it. */
export interface Failpoints {
  file: string;
  /** Makes every operation stop at `point` (`throw`, or `hang` until the Lambda times out). */
  arm(point: string, mode?: FailMode): void;
  /** Arms each kill for the first operation that reaches its point, whichever process runs it. */
  armOnce(kills: { point: string; mode: FailMode }[]): void;
  /**
   * Holds the first operation to reach `point` there until {@link disarm}. Resolves true once one is held, or false
   * when disarmed before any got there (an operation that failed earlier).
   */
  pauseOnce(point: string): Promise<boolean>;
  disarm(): void;
}

/** Creates a failpoint file and points this process's operations at it (in-process suites). */
export function useFailpoints(): Failpoints {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-failpoint-"));
  const file = path.join(directory, "failpoint");
  fs.writeFileSync(file, "");
  // The markers of once-only lines taken so far: disarming clears them, so the next arming starts fresh.
  const clearTaken = () => {
    for (const entry of fs.readdirSync(directory)) if (entry !== "failpoint") fs.rmSync(path.join(directory, entry), { recursive: true, force: true });
  };
  // Counts armings and disarmings, so that a wait for a paused operation ends with its arming.
  let armings = 0;
  const failpoints: Failpoints = {
    file,
    arm: (point, mode = "throw") => fs.writeFileSync(file, `${point}:${mode}`),
    armOnce: (kills) => {
      clearTaken();
      fs.writeFileSync(file, kills.map(({ point, mode }) => `${point}:${mode}:once`).join("\n"));
    },
    pauseOnce: async (point) => {
      failpoints.armOnce([{ point, mode: "pause" }]);
      const arming = ++armings;
      const taken = `${file}.taken-0`;
      while (arming === armings) {
        if (fs.existsSync(taken)) return true;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return false;
    },
    disarm: () => {
      armings++;
      fs.writeFileSync(file, "");
      clearTaken();
    },
  };
  beforeAll(() => {
    process.env[FAILPOINT_FILE_ENV] = file;
  });
  afterEach(() => failpoints.disarm());
  afterAll(() => {
    delete process.env[FAILPOINT_FILE_ENV];
    fs.rmSync(directory, { recursive: true, force: true });
  });
  return failpoints;
}
