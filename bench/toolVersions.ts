import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../tools/repoRoot";

/** Versions of what the benchmarks ran on, as one markdown line. */
export function toolVersions(pulumiCli: string, motoServer: string): string {
  const sdk = JSON.parse(fs.readFileSync(path.join(repoRoot(), "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string };
  return `Versions: Node.js ${process.version}, Pulumi CLI ${pulumiCli}, @pulumi/pulumi ${sdk.version}, moto ${motoVersion(motoServer)}`;
}

/** moto has no --version: ask the Python beside moto_server (a venv's or a shim directory's), then python3 on PATH. */
export function motoVersion(motoServer: string): string {
  const dir = path.dirname(motoServer);
  const pythons = [path.join(dir, "python3"), path.join(dir, "python"), "python3"].filter((python) => !python.includes(path.sep) || fs.existsSync(python));
  for (const python of pythons) {
    const result = spawnSync(python, ["-c", "import importlib.metadata as m; print(m.version('moto'))"], { encoding: "utf8" });
    if (result.status === 0 && result.stdout.trim()) return result.stdout.trim();
  }
  return "unknown";
}
