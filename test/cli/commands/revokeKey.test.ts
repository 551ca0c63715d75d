import path from "node:path";
import { Readable } from "node:stream";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { API_KEY_TYPE, createKey, maskKey, type KeyView } from "../../../contract";
import type { CliContext } from "../../../cli/CliContext";
import { ExitCode } from "../../../cli/ExitCode";
import { runCli } from "../../../cli/runCli";
import { repoRoot } from "../../../tools/repoRoot";
import { invoke } from "../../support/invoke";
import { runProcess } from "../../support/runProcess";
import { textBuffer } from "../../support/textBuffer";
import { useLocalStack } from "../../support/useLocalStack";

// apikeys revoke against the local stack: found by hash through the read function, killed through the update function.
const ACTOR = "arn:aws:iam::123456789012:user/on-call";
const invoked: string[] = [];
const aws = useLocalStack({ onInvocation: (record) => invoked.push(record.functionName) });
let lambda: LambdaClient;
/** Exported states by stack name, as `pulumi stack export` gives them; a stack not here fails to load. */
const states: Record<string, unknown> = {};

beforeAll(() => {
  lambda = new LambdaClient(aws.stack.clientConfig("lambda"));
});
afterAll(() => lambda?.destroy());

async function newKey(event: object = {}): Promise<{ view: KeyView; key: string }> {
  const view = (await invoke(aws.stack, "create", { name: "Swaggy M", rotation: { trigger: "2026-11", gracePeriod: "1h" }, ...event })).payload.result as KeyView;
  return { view, key: await aws.plaintextOf(view.secretArn) };
}

function stateWith(resource: string, keyId: string): unknown {
  return { version: 3, deployment: { resources: [{ urn: `urn:pulumi:dev::partners::${API_KEY_TYPE}::${resource}`, type: API_KEY_TYPE, id: keyId, outputs: { keyId, name: "Swaggy M", status: "active" } }] } };
}

async function apikeys(argv: string[], stdin: string) {
  const stdout = textBuffer();
  const stderr = textBuffer();
  const context: CliContext = {
    stdout,
    stderr,
    stdin: Readable.from([stdin]),
    env: { APIKEYS_READ_FUNCTION: aws.stack.functions.read, APIKEYS_UPDATE_FUNCTION: aws.stack.functions.update },
    dynamo: () => aws.dynamo,
    lambda: () => lambda,
    loadStackState: async (stack) => {
      if (!(stack in states)) throw new Error(`no stack named "${stack}" found`);
      return states[stack];
    },
    callerArn: async () => ACTOR,
    now: () => new Date(),
  };
  const code = await runCli(argv, context);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function verify(key: string): Promise<string> {
  return (await invoke(aws.stack, "verify", { key })).payload.code;
}

async function trailOf(keyId: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await aws.dynamo.send(
    new QueryCommand({ TableName: aws.stack.auditTableName, KeyConditionExpression: "keyId = :keyId", ExpressionAttributeValues: { ":keyId": keyId }, ConsistentRead: true }),
  );
  return Items;
}

describe("apikeys revoke", () => {
  it("kills the leaked value at once through the update function, names the key's resource, says what to change (exit 0)", async () => {
    const { view, key } = await newKey();
    states.dev = stateWith("partner-x", view.keyId);
    const before = invoked.length;

    const { code, stdout, stderr } = await apikeys(["revoke", "--reason", "pasted in a public issue, INC-7", "--stack", "dev"], `${key}\n`);

    expect({ code, stderr }).toEqual({ code: ExitCode.OK, stderr: "" });
    expect(invoked.slice(before)).toEqual([aws.stack.functions.read, aws.stack.functions.update, aws.stack.functions.read]);
    expect(await verify(key)).toBe("ROTATED_OUT");
    const fresh = await aws.plaintextOf(view.secretArn);
    expect(await verify(fresh)).toBe("VALID");
    expect(stdout).toBe(
      [
        `Revoked ${maskKey(key)}, the current value of ${view.keyId} (Swaggy M): verify answers ROTATED_OUT for it from now on.`,
        `The key's new value ${maskKey(fresh)} is current in its secret ${view.secretArn}; services reading the secret get it on their next read.`,
        `Managed by stack dev: urn:pulumi:dev::partners::${API_KEY_TYPE}::partner-x`,
        "",
        "What to change in code:",
        "  - Remove the leaked value from where it was found (apikeys scan lists every place), and from any history or log that keeps it: it verifies nothing any more, but it still reads as a key.",
        "  - Services that had it read the key's secret again; never put the new value in code or configuration either.",
        "  - Leave the rotation settings of resource partner-x (the ApiKey or keys.yaml entry of that name) as they are: they are the key's settings still, so the next pulumi up rotates nothing, and no deployment brings a revoked value back.",
        "  - Run pulumi refresh on dev to record the new masked key and version: until then, a change to this key's declaration fails with a conflict.",
        "",
      ].join("\n"),
    );
    const events = (await trailOf(view.keyId)).filter((event) => event.action !== "create");
    expect(events.map((event) => [event.action, event.reason, event.actor]).sort()).toEqual([
      ["revoke", "pasted in a public issue, INC-7", ACTOR],
      ["rotate", "pasted in a public issue, INC-7", ACTOR],
    ]);
    expect(stdout + stderr).not.toContain(key);
  });

  it("--deactivate switches the key off too, and the advice says to declare it inactive", async () => {
    const { view, key } = await newKey();
    const { code, stdout } = await apikeys(["revoke", "--deactivate", "--reason", "INC-8"], key);
    expect(code).toBe(ExitCode.OK);
    expect(await verify(key)).toBe("ROTATED_OUT");
    expect(await verify(await aws.plaintextOf(view.secretArn))).toBe("INACTIVE");
    expect(stdout).toContain(`The key is inactive: verify refuses its new value too until it is switched on (apikeys activate ${view.keyId} --reason …).`);
    expect(stdout).toContain("  - Set status: inactive in its ApiKey declaration before the next pulumi refresh and pulumi up of the stack that declares it, or they switch the key on again (with its new value, never the revoked one).");
    expect((await trailOf(view.keyId)).find((event) => event.action === "revoke")).toMatchObject({ changedFields: ["key", "status"] });
  });

  it("drops a leaked previous value and leaves the current one its grace period", async () => {
    const { view, key: leaked } = await newKey();
    await invoke(aws.stack, "update", { keyId: view.keyId, changes: { rotation: { trigger: "2026-12", gracePeriod: "1h" } } });
    const current = await aws.plaintextOf(view.secretArn);
    const { code, stdout } = await apikeys(["revoke", "--reason", "old value in a backup"], leaked);
    expect(code).toBe(ExitCode.OK);
    expect(stdout.split("\n").slice(0, 3)).toEqual([
      `Revoked ${maskKey(leaked)}, the previous value of ${view.keyId} (Swaggy M): verify answers NOT_FOUND for it from now on.`,
      `The key's new value ${maskKey(await aws.plaintextOf(view.secretArn))} is current in its secret ${view.secretArn}; services reading the secret get it on their next read.`,
      `Its value before, ${maskKey(current)}, which did not leak, verifies until its grace period (1h) ends.`,
    ]);
    expect([await verify(leaked), await verify(current)]).toEqual(["NOT_FOUND", "VALID"]);
  });

  it("rotates nothing for a value refused already, and records the revoke", async () => {
    const { view, key } = await newKey();
    await apikeys(["revoke", "--reason", "first"], key);
    const masked = (await aws.getRecord(view.keyId))!.maskedKey;
    const { code, stdout } = await apikeys(["revoke", "--reason", "second"], key);
    expect(code).toBe(ExitCode.OK);
    expect(stdout.split("\n")[0]).toBe(`${maskKey(key)}, the previous value of ${view.keyId} (Swaggy M), was refused already (ROTATED_OUT): nothing rotated; the revoke and its reason are in the audit trail.`);
    expect((await aws.getRecord(view.keyId))!.maskedKey).toBe(masked);
  });

  it("names the stacks that manage no resource for the key, and the ones it could not read, after revoking", async () => {
    const { view, key } = await newKey();
    states.other = stateWith("someone-else", "key_0000000000000000");
    const { code, stdout, stderr } = await apikeys(["revoke", "--reason", "INC-9", "--stack", "other", "--stack", "gone"], key);
    expect(code).toBe(ExitCode.OK);
    expect(await verify(key)).toBe("ROTATED_OUT");
    expect(stdout).toContain(`Stack other manages no resource for ${view.keyId}.\n`);
    expect(stdout).not.toContain("Stack gone");
    expect(stderr).toBe('apikeys: could not read stack gone to name the key\'s resource: no stack named "gone" found\n');
  });

  it("exits 1 for a value no key of this backend has, and changes nothing", async () => {
    const before = invoked.length;
    const stranger = createKey().key;
    const { code, stdout } = await apikeys(["revoke", "--reason", "found somewhere"], stranger);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(stdout.split("\n")[0]).toBe(`${maskKey(stranger)} is no value of any key in this backend (never issued by it, deleted, or two rotations old): verify refuses it already, and nothing was changed.`);
    expect(invoked.slice(before)).toEqual([aws.stack.functions.read]);
  });

  it.each([
    ["the key as an argument", (key: string) => [["revoke", "--reason", "x", key], ""]],
    ["no --reason", (key: string) => [["revoke"], key]],
    ["a --reason that holds the key", (key: string) => [["revoke", "--reason", `leaked ${key}`], key]],
    ["a wrong checksum on stdin", (key: string) => [["revoke", "--reason", "x"], `${key.slice(0, -1)}${key.endsWith("0") ? "1" : "0"}`]],
    ["nothing on stdin", () => [["revoke", "--reason", "x"], ""]],
  ] as [string, (key: string) => [string[], string]][])("refuses %s (exit 2), invoking nothing and printing no key", async (_case, make) => {
    const { key } = await newKey();
    const before = invoked.length;
    const [argv, stdin] = make(key);
    const { code, stdout, stderr } = await apikeys(argv, stdin);
    expect(code).toBe(ExitCode.ERROR);
    expect(stderr).toMatch(/^(apikeys: |error: )/);
    expect(invoked.length).toBe(before);
    expect(await verify(key)).toBe("VALID");
    expect(stdout + stderr).not.toContain(key.slice(3, 33));
  });

  it("runs as the bundled bin, reading the key from a pipe", async () => {
    const { view, key } = await newKey();
    const { code, stdout } = await runProcess(process.execPath, [path.join(repoRoot(), "dist/cli/apikeys.js"), "revoke", "--reason", "from the bin"], {
      env: { PATH: process.env.PATH ?? "", ...aws.stack.env, APIKEYS_READ_FUNCTION: aws.stack.functions.read, APIKEYS_UPDATE_FUNCTION: aws.stack.functions.update },
      stdin: key,
    });
    expect(code).toBe(ExitCode.OK);
    expect(stdout.split("\n")[0]).toBe(`Revoked ${maskKey(key)}, the current value of ${view.keyId} (Swaggy M): verify answers ROTATED_OUT for it from now on.`);
    expect(await verify(key)).toBe("ROTATED_OUT");
    expect((await trailOf(view.keyId)).find((event) => event.action === "revoke")).toMatchObject({ reason: "from the bin", actor: expect.stringMatching(/^arn:aws:/) });
  });
});
