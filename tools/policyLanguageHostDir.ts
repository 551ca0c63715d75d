import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./repoRoot";

/**
 * A bin directory in which `pulumi` is the CLI of `pulumiBinDir` (where scripts/ensure-pulumi.sh builds it) and
 * `pulumi-language-nodejs` runs tools/languageHostWithPolicies.ts in front of the real host beside that CLI, so that
 * `pulumi preview --policy-pack` runs the pack. The CLI takes the language plugin it finds first on PATH (warning that
 * it is not the one beside it), and the Automation API puts its CLI's directory first: hence a directory of both.
 * Needs `npm run build`.
 */
export function policyLanguageHostDir(pulumiBinDir: string): string {
  const proxy = path.join(repoRoot(), "dist", "tools", "languageHostWithPolicies.js");
  if (!fs.existsSync(proxy)) throw new Error(`${proxy} does not exist; run \`npm run build\` first`);
  const realHost = path.join(pulumiBinDir, "pulumi-language-nodejs");
  const launcher = `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(proxy)} ${JSON.stringify(realHost)} "$@"\n`;
  const dir = path.join(os.tmpdir(), `pulumi-apikeys-langhost-${crypto.createHash("sha256").update(launcher).digest("hex").slice(0, 12)}`, "bin");
  const host = path.join(dir, "pulumi-language-nodejs");
  const cli = path.join(dir, "pulumi");
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(host) || fs.readFileSync(host, "utf8") !== launcher) {
    // Written aside and renamed, so a concurrent run never executes half a script.
    const partial = `${host}.${process.pid}`;
    fs.writeFileSync(partial, launcher, { mode: 0o755 });
    fs.renameSync(partial, host);
  }
  if (!fs.existsSync(cli)) {
    const partial = `${cli}.${process.pid}`;
    fs.symlinkSync(path.join(pulumiBinDir, "pulumi"), partial);
    fs.renameSync(partial, cli);
  }
  return dir;
}
