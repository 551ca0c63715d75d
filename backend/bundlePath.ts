import fs from "node:fs";
import path from "node:path";
import type { BackendFunction } from "../contract";

/**
 * The directory holding a function's bundle (`<bundleDir>/<fn>/index.js`, written by `npm run build`). Checked when the
 * program runs, so a missing build stops `pulumi preview` with a clear message instead of deploying an empty function.
 */
export function bundlePath(bundleDir: string, fn: BackendFunction): string {
  const dir = path.join(bundleDir, fn);
  if (!fs.existsSync(path.join(dir, "index.js"))) {
    throw new Error(`the ${fn} function's bundle ${path.join(dir, "index.js")} does not exist; reinstall the package (or, in its repository, run "npm run build"), or point bundleDir at the bundles`);
  }
  return dir;
}
