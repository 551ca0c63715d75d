import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { CliContext } from "../../../cli/CliContext";
import { ExitCode } from "../../../cli/ExitCode";
import { runCli } from "../../../cli/runCli";
import { repoRoot } from "../../../tools/repoRoot";
import { textBuffer } from "../../support/textBuffer";

// apikeys rules: the committed rules are what the key format gives, and --check notices when they are not.
const ROOT = repoRoot();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-rules-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function apikeys(argv: string[]) {
  const stdout = textBuffer();
  const stderr = textBuffer();
  const unused = () => {
    throw new Error("apikeys rules needs no AWS client");
  };
  const context: CliContext = { stdout, stderr, stdin: Readable.from([]), env: {}, dynamo: unused, lambda: unused, loadStackState: unused, callerArn: unused, now: () => new Date() };
  const code = await runCli(argv, context);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const REPOSITORY_RULES = ["--policy-config", path.join(ROOT, "policy/config.json"), "--out", path.join(ROOT, "scanners"), "--hooks-file", path.join(ROOT, ".pre-commit-hooks.yaml")];

describe("apikeys rules", () => {
  it("finds the committed rules and hook definitions equal to what the key format gives for the policy's prefixes", async () => {
    const { code, stdout, stderr } = await apikeys(["rules", "--check", ...REPOSITORY_RULES]);
    expect({ code, stdout, stderr }).toEqual({ code: ExitCode.OK, stdout: "The 5 rule files match the key format for the prefixes ak, svc.\n", stderr: "" });
  });

  it("--check names a rule file that was edited or is missing (exit 1), and leaves both alone", async () => {
    const out = path.join(scratch, "drifted");
    expect((await apikeys(["rules", "--prefix", "ak", "--out", out])).code).toBe(ExitCode.OK);
    const edited = fs.readFileSync(path.join(out, "gitleaks.toml"), "utf8").replace("{36}", "{35}");
    fs.writeFileSync(path.join(out, "gitleaks.toml"), edited);
    fs.rmSync(path.join(out, "trufflehog.yaml"));
    const { code, stdout } = await apikeys(["rules", "--check", "--prefix", "ak", "--out", out]);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(stdout.split("\n").slice(0, 2)).toEqual([`${path.join(out, "gitleaks.toml")}: differs from what apikeys rules generates`, `${path.join(out, "trufflehog.yaml")}: missing`]);
    expect(fs.readFileSync(path.join(out, "gitleaks.toml"), "utf8")).toBe(edited);
    expect(fs.existsSync(path.join(out, "trufflehog.yaml"))).toBe(false);
  });

  it("writes every scanner's file for the prefixes given, the pre-commit hooks where --hooks-file says", async () => {
    const out = path.join(scratch, "written");
    const hooks = path.join(scratch, "hooks", ".pre-commit-hooks.yaml");
    const { code, stdout } = await apikeys(["rules", "--prefix", "bill", "--prefix", "ak", "--out", out, "--hooks-file", hooks]);
    expect(code).toBe(ExitCode.OK);
    expect(stdout.split("\n")[0]).toBe("Wrote the rules for the prefixes ak, bill:");
    expect(fs.readdirSync(out).sort()).toEqual(["apikeys_detector.py", "github-secret-scanning.yml", "gitleaks.toml", "trufflehog.yaml"]);
    expect(fs.readFileSync(path.join(out, "gitleaks.toml"), "utf8")).toContain("(?:ak|bill)_[0-9A-Za-z]{36}");
    expect(fs.readFileSync(hooks, "utf8")).toContain("id: apikeys-pattern");
  });

  it.each([
    ["a prefix outside the format", ["--prefix", "Bad"], /prefix "Bad" must match/],
    ["a policy config without an allowedPrefixes list", ["--policy-config", path.join(ROOT, "package.json")], /has no "apikey-allowed-prefix"/],
    ["a policy config that does not exist", ["--policy-config", path.join(scratch, "none.json")], /ENOENT/],
  ])("refuses %s (exit 2) and writes nothing", async (_case, args, message) => {
    const out = path.join(scratch, "refused");
    const { code, stderr } = await apikeys(["rules", ...args, "--out", out]);
    expect(code).toBe(ExitCode.ERROR);
    expect(stderr).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
  });
});
