import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ruleSet } from "../../cli/rules/RuleSet";
import { gitleaksConfig } from "../../cli/rules/gitleaksConfig";
import { ensureTool } from "../../tools/ensureTool";
import { repoRoot } from "../../tools/repoRoot";
import { placements, randomPrefix, writeKeyFixtures, type PlacedKey } from "../support/keyFixtures";
import { runProcess } from "../support/runProcess";

// The committed gitleaks rule (scanners/gitleaks.toml) run by the real gitleaks, against apikeys scan on the same files.
jest.setTimeout(120_000);
const ROOT = repoRoot();
const COMMITTED = path.join(ROOT, "scanners/gitleaks.toml");
const REPOSITORY_PREFIXES = JSON.parse(fs.readFileSync(path.join(ROOT, "policy/config.json"), "utf8"))["apikey-allowed-prefix"].allowedPrefixes as string[];
let gitleaks: string;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-gitleaks-"));

beforeAll(() => {
  gitleaks = path.join(ensureTool("gitleaks"), "gitleaks");
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Finding {
  RuleID: string;
  File: string;
  StartLine: number;
  Secret: string;
}

/** gitleaks dir over `dir` with `config`: every finding, as its JSON report has it. */
async function runGitleaks(config: string, dir: string): Promise<Finding[]> {
  const report = path.join(scratch, `report-${Date.now()}-${Math.random()}.json`);
  const { code, stderr } = await runProcess(gitleaks, ["dir", dir, "--config", config, "--report-format", "json", "--report-path", report, "--exit-code", "0", "--no-banner", "--log-level", "warn"]);
  if (code !== 0) throw new Error(`gitleaks exited ${code}: ${stderr}`);
  return JSON.parse(fs.readFileSync(report, "utf8"));
}

/** Our rule's findings as `file:line:key`, like {@link placements}. */
function ours(findings: Finding[], dir: string): string[] {
  return findings.filter((finding) => finding.RuleID === "apikeys-api-key").map((finding) => `${path.relative(dir, finding.File)}:${finding.StartLine}:${finding.Secret}`).sort();
}

/** `apikeys scan --offline --json` over `dir`, as `file:line:masked`. */
async function apikeysScan(dir: string): Promise<{ code: number | null; found: string[] }> {
  const { code, stdout } = await runProcess(process.execPath, [path.join(ROOT, "dist/cli/apikeys.js"), "scan", "--offline", "--json", dir]);
  const report = JSON.parse(stdout) as { findings: { file: string; line: number; maskedKey: string }[] };
  return { code, found: report.findings.map((finding) => `${path.relative(dir, finding.file)}:${finding.line}:${finding.maskedKey}`).sort() };
}

function masked(keys: readonly PlacedKey[]): string[] {
  return keys.map(({ file, line, key }) => `${file}:${line}:${key.slice(0, key.indexOf("_") + 5)}…${key.slice(-4)}`).sort();
}

describe("the gitleaks rule, in gitleaks v8.30.1", () => {
  it("is the committed rule for the repository's allowed prefixes", () => {
    expect(REPOSITORY_PREFIXES).toEqual(["ak", "svc"]);
    expect(fs.readFileSync(COMMITTED, "utf8")).toBe(gitleaksConfig(ruleSet(REPOSITORY_PREFIXES)));
  });

  it("finds every generated key of every listed prefix, and keeps gitleaks' own rules", async () => {
    const dir = path.join(scratch, "committed");
    const fixtures = writeKeyFixtures(dir, REPOSITORY_PREFIXES, 40);
    const githubToken = `ghp_${"aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3gH5"}`;
    fs.writeFileSync(path.join(dir, "ci.sh"), `export GITHUB_TOKEN=${githubToken}\n`);
    const findings = await runGitleaks(COMMITTED, dir);

    // Every key, and the look-alikes: gitleaks cannot check a checksum. No placeholder, no key of an unlisted prefix.
    expect(ours(findings, dir)).toEqual(placements([...fixtures.keys, ...fixtures.lookalikes]));
    expect(findings.some((finding) => finding.RuleID === "github-pat" && finding.Secret === githubToken)).toBe(true);
  });

  it("reports strings of a key's shape with a wrong checksum, which apikeys scan does not, and misses unlisted prefixes, which it finds", async () => {
    const dir = path.join(scratch, "compared");
    const fixtures = writeKeyFixtures(dir, REPOSITORY_PREFIXES, 10, randomPrefix(5));
    const byGitleaks = ours(await runGitleaks(COMMITTED, dir), dir);
    const scan = await apikeysScan(dir);

    expect(byGitleaks).toEqual(placements([...fixtures.keys, ...fixtures.lookalikes]));
    expect(scan.code).toBe(1);
    expect(scan.found).toEqual(masked([...fixtures.keys, ...fixtures.unlisted]));
  });

  it("finds every key of a generated rule for random prefixes, the shortest and the longest allowed among them", async () => {
    const prefixes = [randomPrefix(2), randomPrefix(16), randomPrefix(7)];
    const config = path.join(scratch, "random.toml");
    fs.writeFileSync(config, gitleaksConfig(ruleSet(prefixes)));
    const dir = path.join(scratch, "random");
    const fixtures = writeKeyFixtures(dir, prefixes, 20);
    expect(ours(await runGitleaks(config, dir), dir)).toEqual(placements([...fixtures.keys, ...fixtures.lookalikes]));
  });

  it("sees a key the rule misses: the rule of one prefix, over keys of two", async () => {
    const config = path.join(scratch, "ak-only.toml");
    fs.writeFileSync(config, gitleaksConfig(ruleSet(["ak"])));
    const dir = path.join(scratch, "two-prefixes");
    const fixtures = writeKeyFixtures(dir, ["ak", "svc"], 5);
    const found = ours(await runGitleaks(config, dir), dir);
    const missed = placements(fixtures.keys).filter((placed) => !found.includes(placed));
    expect(missed.length).toBe(fixtures.keys.filter(({ key }) => key.startsWith("svc_")).length);
    expect(missed.length).toBeGreaterThan(0);
  });
});
