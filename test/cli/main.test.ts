import { runProcess, type ProcessResult } from "../support/runProcess";
import path from "node:path";
import type { KeyView } from "../../contract";
import { ExitCode } from "../../cli/ExitCode";
import { repoRoot } from "../../tools/repoRoot";
import { invoke } from "../support/invoke";
import { useLocalStack } from "../support/useLocalStack";

// The bundled bin (dist/cli/apikeys.js, from `npm run build`), run as a process with nothing but the stack's environment.
const aws = useLocalStack();
let partner: KeyView;

beforeAll(async () => {
  partner = (await invoke(aws.stack, "create", { name: "Swaggy M", owner: "partnerships" })).payload.result;
  await invoke(aws.stack, "create", { name: "Legacy import", status: "inactive" });
});

function apikeys(args: string[], stdin = ""): Promise<ProcessResult> {
  return runProcess(process.execPath, [path.join(repoRoot(), "dist/cli/apikeys.js"), ...args], {
    env: { PATH: process.env.PATH ?? "", ...aws.stack.env, APIKEYS_TABLE_NAME: aws.stack.tableName, APIKEYS_VERIFY_FUNCTION: aws.stack.functions.verify },
    stdin,
  });
}

describe("the apikeys bin", () => {
  it("starts with a shebang, so npm can link it as a command", async () => {
    const { readFile } = await import("node:fs/promises");
    expect((await readFile(path.join(repoRoot(), "dist/cli/apikeys.js"), "utf8")).split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("lists the backend's keys as JSON, configured by the environment alone", async () => {
    const { code, stdout } = await apikeys(["list", "--json"]);
    expect(code).toBe(ExitCode.OK);
    expect(JSON.parse(stdout).map((entry: { name: string; status: string }) => [entry.name, entry.status])).toEqual([
      ["Legacy import", "inactive"],
      ["Swaggy M", "active"],
    ]);
  });

  it("verifies a key piped on stdin: exit 0, and the key appears in no output", async () => {
    const plaintext = await aws.plaintextOf(partner.secretArn);
    const { code, stdout, stderr } = await apikeys(["verify"], `${plaintext}\n`);
    expect(code).toBe(ExitCode.OK);
    expect(stdout).toContain(`VALID ${partner.keyId} (Swaggy M)`);
    expect(stdout + stderr).not.toContain(plaintext);
  });

  it("exits 2 with one line on stderr when the table does not exist", async () => {
    const { code, stderr } = await apikeys(["list", "--table", "no-such-table"]);
    expect(code).toBe(ExitCode.ERROR);
    expect(stderr).toMatch(/^apikeys: ResourceNotFoundException: .*$/m);
  });
});
