import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { createKey, hashKey, keyChecksum, maskKey } from "../../../contract";
import type { CliContext } from "../../../cli/CliContext";
import { ExitCode } from "../../../cli/ExitCode";
import { runCli } from "../../../cli/runCli";
import { repoRoot } from "../../../tools/repoRoot";
import { invoke } from "../../support/invoke";
import { runProcess } from "../../support/runProcess";
import { textBuffer } from "../../support/textBuffer";
import { useLocalStack } from "../../support/useLocalStack";

// apikeys scan against the local stack: files, directories and stdin; the backend's read function asked by hash.
const invoked: string[] = [];
const aws = useLocalStack({ onInvocation: (record) => invoked.push(record.functionName) });
let lambda: LambdaClient;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-scan-"));
const keys: Record<string, { keyId?: string; key: string }> = {};

/** A string of a key's shape whose checksum is wrong: no backend issued it. */
function lookalike(): string {
  const random = createKey().key.slice(3, 33);
  const checksum = keyChecksum(random);
  return `ak_${random}${checksum.slice(0, -1)}${checksum.endsWith("0") ? "1" : "0"}`;
}

beforeAll(async () => {
  lambda = new LambdaClient(aws.stack.clientConfig("lambda"));
  const create = async (event: object) => (await invoke(aws.stack, "create", event)).payload.result;
  const live = await create({ name: "Partner X", owner: "partnerships" });
  const off = await create({ name: "Legacy import", status: "inactive" });
  const rotated = await create({ name: "Rotated", rotation: { trigger: "1" } });
  keys.live = { keyId: live.keyId, key: await aws.plaintextOf(live.secretArn) };
  keys.inactive = { keyId: off.keyId, key: await aws.plaintextOf(off.secretArn) };
  keys.rotatedOut = { keyId: rotated.keyId, key: await aws.plaintextOf(rotated.secretArn) };
  await invoke(aws.stack, "update", { keyId: rotated.keyId, changes: { rotation: { trigger: "2" } } });
  keys.neverIssued = { key: createKey("svc").key };
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    fs.writeFileSync(path.join(scratch, file), text);
  };
  write("repo/.env", `# local settings\nAPIKEYS_KEY=${keys.live.key}\n`);
  write("repo/src/config.ts", `export const legacy = "${keys.inactive.key}";\n// not a key: ${lookalike()}\n\nconst old = { key: '${keys.rotatedOut.key}' };\n`);
  write("repo/docs/notes.md", `Found in a ticket: ${keys.neverIssued.key}.\n`);
  write("repo/node_modules/dep/index.js", `module.exports = "${keys.live.key}";\n`);
  write("repo/.git/config", `${keys.live.key}\n`);
  write("clean/readme.txt", `Nothing to see: ${lookalike()} ${lookalike()}\n`);
});

afterAll(() => {
  lambda?.destroy();
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function apikeys(argv: string[], stdin: string[] = []) {
  const stdout = textBuffer();
  const stderr = textBuffer();
  const context: CliContext = {
    stdout,
    stderr,
    stdin: Readable.from(stdin),
    env: { APIKEYS_READ_FUNCTION: aws.stack.functions.read },
    dynamo: () => aws.dynamo,
    lambda: () => lambda,
    loadStackState: async () => undefined,
    callerArn: async () => undefined,
    now: () => new Date(),
  };
  const code = await runCli(argv, context);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function expectNoKeyIn(text: string): void {
  for (const { key } of Object.values(keys)) expect(text).not.toContain(key.slice(3, 33));
}

describe("apikeys scan", () => {
  it("reports each key with its file, line, column and masked form, which key it is and whether it is live (exit 1)", async () => {
    const repo = path.join(scratch, "repo");
    const { code, stdout, stderr } = await apikeys(["scan", repo]);
    expect({ code, stderr }).toEqual({ code: ExitCode.FINDINGS, stderr: "" });
    expect(stdout).toBe(
      [
        `${repo}/.env:2:13: ${maskKey(keys.live.key)}  ${keys.live.keyId} (Partner X, owner partnerships): LIVE, verify accepts it`,
        `${repo}/docs/notes.md:1:20: ${maskKey(keys.neverIssued.key)}  no value of any key in this backend (never issued by it, deleted, or two rotations old)`,
        `${repo}/src/config.ts:1:24: ${maskKey(keys.inactive.key)}  ${keys.inactive.keyId} (Legacy import): not live, INACTIVE (the key's Status toggle is off)`,
        `${repo}/src/config.ts:4:21: ${maskKey(keys.rotatedOut.key)}  ${keys.rotatedOut.keyId} (Rotated), its previous value: not live, ROTATED_OUT (a previous value whose grace period has ended)`,
        "4 API keys found in 3 files, 1 live.",
        'Revoke each live one at once: printf %s "$KEY" | apikeys revoke --reason "<why>"',
        "",
      ].join("\n"),
    );
    expectNoKeyIn(stdout);
  });

  it("asks by hash through the read function and records no use of the key", async () => {
    const before = invoked.length;
    await apikeys(["scan", path.join(scratch, "repo/.env")]);
    expect(invoked.slice(before)).toEqual([aws.stack.functions.read]);
    expect(await aws.getLookup(hashKey(keys.live.key))).not.toHaveProperty("lastUsedAt");
    // A verification does record one, so the absence above is not for want of a way to see it.
    await invoke(aws.stack, "verify", { key: keys.live.key });
    expect(await aws.getLookup(hashKey(keys.live.key))).toHaveProperty("lastUsedAt");
  });

  it("reads stdin when no path is given", async () => {
    const { code, stdout } = await apikeys(["scan", "--offline"], ["build log line 1\n", `token=${keys.live.key} done\n`]);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(stdout.split("\n")[0]).toBe(`stdin:2:7: ${maskKey(keys.live.key)}`);
  });

  it("exits 0 when it finds nothing, look-alikes with a wrong checksum included", async () => {
    const { code, stdout } = await apikeys(["scan", path.join(scratch, "clean")]);
    expect({ code, stdout }).toEqual({ code: ExitCode.OK, stdout: "No API keys found.\n" });
  });

  it("asks nothing offline", async () => {
    const before = invoked.length;
    const { code, stdout } = await apikeys(["scan", "--offline", path.join(scratch, "repo")]);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(invoked.length).toBe(before);
    expect(stdout.split("\n")[0]).toBe(`${path.join(scratch, "repo")}/.env:2:13: ${maskKey(keys.live.key)}`);
    expect(stdout).toContain("4 API keys found in 3 files.\n");
  });

  it("keeps its findings when the backend cannot be asked, saying why on stderr (exit 1)", async () => {
    const { code, stdout, stderr } = await apikeys(["scan", "--function", "no-such-function", path.join(scratch, "repo/.env")]);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(stderr).toMatch(/^apikeys: could not ask the backend which keys these are: .*no-such-function.*; the findings stand, unmatched\n$/);
    expect(stdout.split("\n")[0]).toBe(`${path.join(scratch, "repo")}/.env:2:13: ${maskKey(keys.live.key)}`);
    expectNoKeyIn(stdout + stderr);
  });

  it("exits 2 when a path cannot be read, after reporting what it found elsewhere", async () => {
    const missing = path.join(scratch, "missing.txt");
    const { code, stdout, stderr } = await apikeys(["scan", "--offline", missing, path.join(scratch, "repo/.env")]);
    expect(code).toBe(ExitCode.ERROR);
    expect(stderr).toBe(`apikeys: ${missing}: could not read it (ENOENT)\n`);
    expect(stdout).toContain(maskKey(keys.live.key));
  });

  it("prints JSON with the backend's answer for each finding", async () => {
    const { code, stdout } = await apikeys(["scan", "--json", path.join(scratch, "repo/.env")]);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(JSON.parse(stdout)).toMatchObject({
      found: 1,
      lookedUp: true,
      findings: [{ file: path.join(scratch, "repo/.env"), line: 2, column: 13, maskedKey: maskKey(keys.live.key), match: { keyId: keys.live.keyId, code: "VALID", role: "current", key: { name: "Partner X" } } }],
    });
    expectNoKeyIn(stdout);
  });

  it("runs as the bundled bin on stdin, configured by the environment", async () => {
    const { code, stdout, stderr } = await runProcess(process.execPath, [path.join(repoRoot(), "dist/cli/apikeys.js"), "scan"], {
      env: { PATH: process.env.PATH ?? "", ...aws.stack.env, APIKEYS_READ_FUNCTION: aws.stack.functions.read },
      stdin: `leaked: ${keys.inactive.key}\n`,
    });
    expect(code).toBe(ExitCode.FINDINGS);
    expect(stderr).not.toMatch(/^apikeys:/m);
    expect(stdout.split("\n")[0]).toBe(`stdin:1:9: ${maskKey(keys.inactive.key)}  ${keys.inactive.keyId} (Legacy import): not live, INACTIVE (the key's Status toggle is off)`);
    expectNoKeyIn(stdout + stderr);
  });
});
