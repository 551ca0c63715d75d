import { execFileSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./repoRoot";

/**
 * Runs `scripts/ensure-<tool>.sh` (idempotent: installs or builds the tool on first use, cached outside the
 * repository) and returns the path it prints last. Its progress and errors go to our stderr.
 */
export function ensureTool(tool: "moto" | "pulumi" | "node" | "gitleaks" | "detect-secrets" | "chromium" | "ric"): string {
  const script = path.join(repoRoot(), "scripts", `ensure-${tool}.sh`);
  const stdout = execFileSync("bash", [script], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  const last = stdout.trim().split("\n").pop();
  if (!last) throw new Error(`${script} printed no path`);
  return last;
}
