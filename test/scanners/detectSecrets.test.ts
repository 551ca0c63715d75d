import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { ensureTool } from "../../tools/ensureTool";
import { repoRoot } from "../../tools/repoRoot";
import { placements, writeKeyFixtures, type PlacedKey } from "../support/keyFixtures";
import { runProcess } from "../support/runProcess";

// The committed detect-secrets plugin in the real detect-secrets, and the pre-commit pygrep hook's pattern in the
// Python that runs it: both generated from the key format, both in Python's regex dialect.
jest.setTimeout(120_000);
const ROOT = repoRoot();
const PLUGIN = path.join(ROOT, "scanners/apikeys_detector.py");
let bin: string;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-detect-secrets-"));

beforeAll(() => {
  bin = ensureTool("detect-secrets");
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** detect-secrets scan with `plugin` over the fixture files: each finding of our plugin as `file:line:sha1 of the secret`. */
async function detectSecrets(plugin: string, dir: string): Promise<string[]> {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
  const { code, stdout, stderr } = await runProcess(path.join(bin, "detect-secrets"), ["scan", "--plugin", plugin, ...files], { cwd: dir });
  if (code !== 0) throw new Error(`detect-secrets exited ${code}: ${stderr}`);
  const { results } = JSON.parse(stdout) as { results: Record<string, { type: string; line_number: number; hashed_secret: string }[]> };
  return Object.entries(results)
    .flatMap(([file, found]) => found.filter((finding) => finding.type === "apikeys API key").map((finding) => `${file}:${finding.line_number}:${finding.hashed_secret}`))
    .sort();
}

/** Placed keys as detect-secrets names them: by the SHA-1 of the secret. */
function hashed(keys: readonly PlacedKey[]): string[] {
  return keys.map(({ file, line, key }) => `${file}:${line}:${createHash("sha1").update(key).digest("hex")}`).sort();
}

describe("the detect-secrets plugin, in detect-secrets 1.5.0", () => {
  it("finds every key of the listed prefixes, and nothing whose checksum is wrong", async () => {
    const dir = path.join(scratch, "plugin");
    const fixtures = writeKeyFixtures(dir, ["ak", "svc"], 30);
    expect(await detectSecrets(PLUGIN, dir)).toEqual(hashed(fixtures.keys));
  });

  it("reports the look-alikes and placeholders once its checksum check is taken out, so the check is what keeps them out", async () => {
    const dir = path.join(scratch, "unchecked");
    const fixtures = writeKeyFixtures(dir, ["ak"], 10);
    const unchecked = path.join(scratch, "unchecked_detector.py");
    fs.writeFileSync(unchecked, fs.readFileSync(PLUGIN, "utf8").replace("if has_valid_checksum(match):", "if True:"));
    expect(await detectSecrets(unchecked, dir)).toEqual(hashed([...fixtures.keys, ...fixtures.lookalikes, ...fixtures.placeholders]));
  });
});

describe("the pre-commit pygrep hook", () => {
  it("matches every line holding a key, a look-alike or a placeholder of a listed prefix (a pattern alone has no entropy floor), as pre-commit's pygrep reads the pattern", async () => {
    const hook = (parse(fs.readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as { id: string; entry: string; language: string }[]).find((entry) => entry.id === "apikeys-pattern")!;
    expect(hook.language).toBe("pygrep");
    const dir = path.join(scratch, "pygrep");
    const fixtures = writeKeyFixtures(dir, ["ak", "svc"], 20);
    // pygrep compiles the entry as a bytes pattern and searches each line of each file: the same here.
    const script = [
      "import re, sys, os",
      "pattern = re.compile(sys.argv[1].encode())",
      "for root, _, names in os.walk(sys.argv[2]):",
      "    for name in sorted(names):",
      "        full = os.path.join(root, name)",
      "        with open(full, 'rb') as handle:",
      "            for number, line in enumerate(handle, 1):",
      "                if pattern.search(line): print(f'{os.path.relpath(full, sys.argv[2])}:{number}')",
    ].join("\n");
    const { code, stdout, stderr } = await runProcess(path.join(bin, "python"), ["-c", script, hook.entry, dir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const lines = [...new Set([...fixtures.keys, ...fixtures.lookalikes, ...fixtures.placeholders].map(({ file, line }) => `${file}:${line}`))].sort();
    expect(stdout.trim().split("\n").sort()).toEqual(lines);
    expect(placements(fixtures.unlisted).length).toBeGreaterThan(0);
  });
});
