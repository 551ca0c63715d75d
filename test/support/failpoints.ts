import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A failpoint file for this suite: what lambdas/failpoint.ts reads when APIKEYS_FAILPOINT_FILE names it. */
export interface Failpoints {
  file: string;
  /** Makes the operation stop at `point` (`throw`, or `hang` until the Lambda times out). */
  arm(point: string, mode?: "throw" | "hang"): void;
  disarm(): void;
}

/** Creates a failpoint file and points this process's operations at it (in-process suites). */
export function useFailpoints(): Failpoints {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-failpoint-")), "failpoint");
  fs.writeFileSync(file, "");
  const failpoints: Failpoints = {
    file,
    arm: (point, mode = "throw") => fs.writeFileSync(file, `${point}:${mode}`),
    disarm: () => fs.writeFileSync(file, ""),
  };
  beforeAll(() => {
    process.env.APIKEYS_FAILPOINT_FILE = file;
  });
  afterEach(() => failpoints.disarm());
  afterAll(() => {
    delete process.env.APIKEYS_FAILPOINT_FILE;
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
  return failpoints;
}
