import fs from "node:fs";
import path from "node:path";

/** Directory of the nearest package.json above this file, whether it runs from local/ or bundled into dist/local/. */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}
