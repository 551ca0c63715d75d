import { runProcess, type ProcessResult } from "../../support/runProcess";
import path from "node:path";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { ItemKey } from "../../../contract";
import { ExitCode } from "../../../cli/ExitCode";
import { driftReport, DriftFormat } from "../../../cli/commands/driftReport";
import { loadStackState } from "../../../cli/drift/loadStackState";
import { invoke } from "../../support/invoke";
import { createExampleStack, type ExampleStack } from "../../support/pulumiStack";
import { textBuffer } from "../../support/textBuffer";
import { useLocalStack } from "../../support/useLocalStack";

// The real Pulumi CLI and engine deploy the example program; drift reads that stack's state and the local backend.
jest.setTimeout(300_000);

const aws = useLocalStack();
let example: ExampleStack;
let workspace: LocalWorkspace;
const keyIds: Record<string, string> = {};

beforeAll(async () => {
  example = await createExampleStack(aws.stack);
  workspace = example.stack.workspace as LocalWorkspace;
  example.declare({
    "partner-x": { name: "Swaggy M", owner: "partnerships" },
    "billing-service": { name: "Billing service", prefix: "svc" },
    "legacy-import": { name: "Legacy import", description: "nightly import" },
  });
  await example.up();
  const inventory = (await example.stack.outputs()).inventory.value as Record<string, { keyId: string }>;
  for (const [name, entry] of Object.entries(inventory)) keyIds[name] = entry.keyId;
});

afterAll(async () => {
  await example?.remove();
});

/**
 * Runs `apikeys` as a user would: the bin the installed package put in the project's node_modules/.bin, in the
 * project's directory, with the stack's environment (pulumi on PATH, backend, AWS endpoints).
 */
function apikeys(args: string[]): Promise<ProcessResult> {
  return runProcess(path.join(example.project.dir, "node_modules", ".bin", "apikeys"), args, {
    cwd: example.project.dir,
    env: { ...workspace.envVars, APIKEYS_TABLE_NAME: aws.stack.tableName },
  });
}

/** Drift in-process, with the real loader pointed at the test's Pulumi backend. */
async function drift(stacks: string[]) {
  const stdout = textBuffer();
  const stderr = textBuffer();
  const loader = (stack: string, cwd: string) => loadStackState(stack, cwd, { envVars: workspace.envVars, pulumiCommand: workspace.pulumiCommand });
  const code = await driftReport(
    { stacks, cwd: example.project.dir, tableName: aws.stack.tableName, format: DriftFormat.TABLE, region: aws.stack.region },
    { dynamo: aws.deployer.dynamo, loadStackState: loader, stdout, stderr },
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("driftReport against a real stack", () => {
  it("finds no drift right after pulumi up: the bundled binary exits 0", async () => {
    const { code, stdout, stderr } = await apikeys(["drift", "--stack", example.stack.name, "--json"]);
    // stderr may carry the AWS SDK's Node.js support notice on Node 20; it must carry no error.
    expect({ code, errors: stderr.match(/^apikeys:.*$/m) }).toEqual({ code: ExitCode.OK, errors: null });
    expect(JSON.parse(stdout)).toEqual({ clean: true, stacks: [example.stack.name], tableName: aws.stack.tableName, compared: 3, skipped: [], findings: [] });
  });

  it("finds a status toggled, a key deleted and a key created outside Pulumi: the bundled binary exits 1", async () => {
    expect((await invoke(aws.stack, "update", { keyId: keyIds["partner-x"], changes: { status: "inactive" } })).payload).toMatchObject({ ok: true });
    expect((await invoke(aws.stack, "delete", { keyId: keyIds["legacy-import"], recoveryWindowInDays: 7 })).payload).toMatchObject({ ok: true });
    const stray = (await invoke(aws.stack, "create", { name: "Made by hand" })).payload.result.keyId as string;
    keyIds.stray = stray;

    const { code, stdout } = await apikeys(["drift", "--stack", example.stack.name, "--json"]);

    expect(code).toBe(ExitCode.FINDINGS);
    const stack = example.stack.name;
    expect(JSON.parse(stdout)).toMatchObject({
      clean: false,
      compared: 3,
      findings: [
        { kind: "unmanaged", keyId: stray, name: "Made by hand", managedBy: [] },
        { kind: "deleted", keyId: keyIds["legacy-import"], name: "Legacy import", managedBy: [{ stack, resource: "legacy-import" }], deletedAt: expect.any(String) },
        {
          kind: "changed",
          keyId: keyIds["partner-x"],
          managedBy: [{ stack, resource: "partner-x" }],
          differences: [{ field: "status", state: "active", backend: "inactive" }],
        },
      ],
    });
  });

  it("prints the same findings as a table, one line each, saying what differs", async () => {
    const { code, stdout } = await drift([example.stack.name]);
    expect(code).toBe(ExitCode.FINDINGS);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`Drift between stack ${example.stack.name} and table ${aws.stack.tableName}: 3 findings`);
    expect(lines[2].split(/\s*\|\s*/)).toEqual(["Drift", "Key ID", "Key Name", "Managed by", "Detail"]);
    expect(lines.slice(4).map((line) => line.split(/\s*\|\s*/))).toEqual([
      ["unmanaged", keyIds.stray, "Made by hand", "-", "live in the backend, managed by none of the given stacks"],
      ["deleted", keyIds["legacy-import"], "Legacy import", `${example.stack.name}/legacy-import`, expect.stringMatching(/^in state, but deleted in the backend at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/)],
      ["changed", keyIds["partner-x"], "Swaggy M", `${example.stack.name}/partner-x`, 'status: "active" in state, "inactive" in the backend'],
    ]);
  });

  it("after pulumi refresh, only the key made outside Pulumi is left", async () => {
    await example.refresh();
    const { code, stdout } = await drift([example.stack.name]);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(stdout).toContain(": 1 finding\n");
    expect(stdout).toContain(keyIds.stray);
    expect(stdout).not.toContain(keyIds["partner-x"]);
  });

  it("reports a status edited in the table by hand: the record says inactive, its lookup item (what verify reads) active", async () => {
    const keyId = keyIds["billing-service"];
    await aws.dynamo.send(
      new UpdateCommand({ TableName: aws.stack.tableName, Key: { pk: ItemKey.record(keyId) }, UpdateExpression: "SET #status = :inactive", ExpressionAttributeNames: { "#status": "status" }, ExpressionAttributeValues: { ":inactive": "inactive" } }),
    );
    const { code, stdout } = await drift([example.stack.name]);
    expect(code).toBe(ExitCode.FINDINGS);
    const rows = stdout.trimEnd().split("\n").slice(4).map((line) => line.split(/\s*\|\s*/));
    const managedBy = `${example.stack.name}/billing-service`;
    expect(rows).toEqual([
      ["unmanaged", keyIds.stray, "Made by hand", "-", "live in the backend, managed by none of the given stacks"],
      ["changed", keyId, "Billing service", managedBy, 'status: "active" in state, "inactive" in the backend'],
      [
        "lookup",
        keyId,
        "Billing service",
        managedBy,
        expect.stringMatching(/^the current value's lookup item \(hash [0-9a-f]{12}…\): status "active" on the lookup item, "inactive" on the record; verify answers from the lookup item$/),
      ],
    ]);
  });

  it("fails, naming the stack, when a stack does not exist", async () => {
    await expect(drift(["no-such-stack"])).rejects.toThrow(/could not export stack "no-such-stack".*no stack named/);
  });
});
