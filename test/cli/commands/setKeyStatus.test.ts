import { runProcess } from "../../support/runProcess";
import path from "node:path";
import { Readable } from "node:stream";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createKey, hashKey } from "../../../contract";
import type { CliContext } from "../../../cli/CliContext";
import { ExitCode } from "../../../cli/ExitCode";
import { runCli } from "../../../cli/runCli";
import { repoRoot } from "../../../tools/repoRoot";
import { invoke } from "../../support/invoke";
import { textBuffer } from "../../support/textBuffer";
import { useLocalStack } from "../../support/useLocalStack";

// apikeys deactivate / activate against the local stack: through the real update function, audited with the reason.
const ACTOR = "arn:aws:iam::123456789012:user/on-call";
/** Every function the Lambda server invoked, in order. */
const invoked: string[] = [];
const aws = useLocalStack({ onInvocation: (record) => invoked.push(record.functionName) });
let lambda: LambdaClient;
let key: { keyId: string; plaintext: string };

beforeAll(async () => {
  lambda = new LambdaClient(aws.stack.clientConfig("lambda", "deployer"));
  const { payload } = await invoke(aws.stack, "create", { name: "Partner X", scopes: ["orders:read"] });
  key = { keyId: payload.result.keyId, plaintext: await aws.plaintextOf(payload.result.secretArn) };
});

afterAll(() => lambda?.destroy());

async function apikeys(argv: string[]) {
  const stdout = textBuffer();
  const stderr = textBuffer();
  const context: CliContext = {
    stdout,
    stderr,
    stdin: Readable.from([]),
    env: { APIKEYS_UPDATE_FUNCTION: aws.stack.functions.update },
    dynamo: () => aws.deployer.dynamo,
    lambda: () => lambda,
    loadStackState: async () => undefined,
    callerArn: async () => ACTOR,
    now: () => new Date(),
  };
  const code = await runCli(argv, context);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function verify(plaintext: string): Promise<string> {
  return (await invoke(aws.stack, "verify", { key: plaintext })).payload.code;
}

async function trailOf(keyId: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await aws.dynamo.send(
    new QueryCommand({ TableName: aws.stack.auditTableName, KeyConditionExpression: "keyId = :keyId", ExpressionAttributeValues: { ":keyId": keyId }, ConsistentRead: true }),
  );
  return Items;
}

describe("apikeys deactivate and activate", () => {
  it("deactivates a key at once through the update function, audited with who and why (exit 0)", async () => {
    expect(await verify(key.plaintext)).toBe("VALID");
    const { code, stdout, stderr } = await apikeys(["deactivate", key.keyId, "--reason", "leaked in ticket OPS-1234"]);
    expect({ code, stderr }).toEqual({ code: ExitCode.OK, stderr: "" });
    expect(stdout).toBe(
      `${key.keyId} (Partner X) is inactive: verify refuses it from its next call on.\n` +
        "Change the key's declaration to match, or the next pulumi refresh and pulumi up of its stack set the declared status again.\n",
    );
    expect(await verify(key.plaintext)).toBe("INACTIVE");
    expect(await aws.getRecord(key.keyId)).toMatchObject({ status: "inactive", version: 2 });
    expect(await aws.getLookup(hashKey(key.plaintext))).toMatchObject({ status: "inactive" });
    expect((await trailOf(key.keyId)).at(-1)).toMatchObject({ action: "update", changedFields: ["status"], actor: ACTOR, reason: "leaked in ticket OPS-1234" });
  });

  it("activates it again, audited too", async () => {
    const { code, stdout } = await apikeys(["activate", key.keyId, "--reason", "rotated the consumer; OPS-1234 closed"]);
    expect(code).toBe(ExitCode.OK);
    expect(stdout.split("\n")[0]).toBe(`${key.keyId} (Partner X) is active: verify accepts it again.`);
    expect(await verify(key.plaintext)).toBe("VALID");
    const trail = await trailOf(key.keyId);
    expect(trail.map((event) => [event.action, event.reason])).toEqual([
      ["create", undefined],
      ["update", "leaked in ticket OPS-1234"],
      ["update", "rotated the consumer; OPS-1234 closed"],
    ]);
  });

  it.each([
    ["no --reason", []],
    ["a blank --reason", ["--reason", "   "]],
    ["a --reason of 257 characters", ["--reason", "r".repeat(257)]],
  ])("refuses %s (exit 2) and invokes nothing", async (_case, reason) => {
    const before = invoked.length;
    const { code, stderr } = await apikeys(["deactivate", key.keyId, ...reason]);
    expect(code).toBe(ExitCode.ERROR);
    expect(stderr).toMatch(/--reason/);
    expect(invoked.length).toBe(before);
    expect(await verify(key.plaintext)).toBe("VALID");
  });

  it("refuses a key given as the keyId or inside the reason (exit 2) without printing it, and invokes nothing", async () => {
    const pasted = createKey().key;
    const before = invoked.length;
    const asKeyId = await apikeys(["deactivate", pasted, "--reason", "leaked"]);
    const inReason = await apikeys(["deactivate", key.keyId, "--reason", `leaked: ${pasted}`]);
    expect([asKeyId.code, inReason.code]).toEqual([ExitCode.ERROR, ExitCode.ERROR]);
    expect(asKeyId.stderr).toBe('apikeys: <keyId> must be a keyId such as "key_0123456789abcdef"\n');
    expect(inReason.stderr).toMatch(/^apikeys: --reason holds a value that parses as an API key/);
    expect(JSON.stringify([asKeyId, inReason])).not.toContain(pasted.slice(3));
    expect(invoked.length).toBe(before);
  });

  it("fails (exit 2) naming the function for a key that does not exist", async () => {
    const { code, stderr } = await apikeys(["deactivate", "key_0000000000000000", "--reason", "leaked"]);
    expect(code).toBe(ExitCode.ERROR);
    expect(stderr).toBe(`apikeys: LambdaInvocationError: update via Lambda function "${aws.stack.functions.update}": key key_0000000000000000 does not exist or was deleted\n`);
  });

  it("runs as the bundled bin, with the caller's identity from STS in the audit event", async () => {
    const { code, stdout } = await runProcess(process.execPath, [path.join(repoRoot(), "dist/cli/apikeys.js"), "deactivate", key.keyId, "--reason", "from the bin"], {
      env: { PATH: process.env.PATH ?? "", ...aws.stack.env, APIKEYS_UPDATE_FUNCTION: aws.stack.functions.update },
    });
    expect(code).toBe(ExitCode.OK);
    expect(stdout).toContain(`${key.keyId} (Partner X) is inactive`);
    expect(await verify(key.plaintext)).toBe("INACTIVE");
    expect((await trailOf(key.keyId)).at(-1)).toMatchObject({ reason: "from the bin", actor: expect.stringMatching(/^arn:aws:/) });
  });
});
