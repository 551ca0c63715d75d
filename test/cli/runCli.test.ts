import { Readable } from "node:stream";
import type { CliContext } from "../../cli/CliContext";
import { ExitCode } from "../../cli/ExitCode";
import { runCli } from "../../cli/runCli";
import { textBuffer, type TextBuffer } from "../support/textBuffer";

const KEY = "ak_0123456789ABCDEFGHIJKLMNOPQRST4PMbyp";

interface FakeContext extends CliContext {
  stdout: TextBuffer;
  stderr: TextBuffer;
  /** Commands sent to AWS, by client. */
  sent: { dynamo: string[]; lambda: string[] };
}

/** A context with no AWS behind it: every command sent fails with `failure`, and is recorded. */
function fakeContext(failure: Error = new Error("no AWS in this test")): FakeContext {
  const sent = { dynamo: [] as string[], lambda: [] as string[] };
  const sender = (into: string[]) => ({
    send: async (command: object) => {
      into.push(command.constructor.name);
      throw failure;
    },
  });
  return {
    stdout: textBuffer(),
    stderr: textBuffer(),
    stdin: Readable.from([`${KEY}\n`]),
    env: {},
    sent,
    dynamo: () => sender(sent.dynamo) as never,
    lambda: () => sender(sent.lambda) as never,
    loadStackState: async () => {
      throw new Error("no Pulumi in this test");
    },
    callerArn: async () => undefined,
    now: () => new Date("2026-11-28T12:00:00Z"),
  };
}

describe("runCli", () => {
  it("refuses a key given to verify as an argument (exit 2), invokes nothing and never prints the key", async () => {
    const context = fakeContext();
    const code = await runCli(["verify", KEY], context);
    expect(code).toBe(ExitCode.ERROR);
    expect(context.stderr.text()).toContain("apikeys verify reads the key from stdin, never from arguments");
    expect(context.stderr.text()).toContain('printf %s "$KEY" | apikeys verify');
    expect(context.sent.lambda).toEqual([]);
    expect(context.stdout.text() + context.stderr.text()).not.toContain(KEY);
  });

  it("redacts a key that commander echoes back, such as one typed as a command", async () => {
    const context = fakeContext();
    expect(await runCli([KEY], context)).toBe(ExitCode.ERROR);
    expect(context.stderr.text()).toContain("unknown command '[redacted key]'");
    expect(context.stderr.text()).not.toContain(KEY);
  });

  it("exits 2 on a usage error, so it is never mistaken for drift or an invalid key", async () => {
    for (const argv of [["list", "--json", "--csv"], ["list", "--status", "revoked"], ["drift"], ["audit", "--since", "soon"], ["list", "--page-size", "0"]]) {
      const context = fakeContext();
      expect(await runCli(argv, context)).toBe(ExitCode.ERROR);
      expect(context.stderr.text()).toMatch(/^error: /m);
      expect(context.sent.dynamo).toEqual([]);
    }
  });

  it("exits 0 after printing help", async () => {
    const context = fakeContext();
    expect(await runCli(["list", "--help"], context)).toBe(ExitCode.OK);
    expect(context.stdout.text()).toContain("Usage: apikeys list [options]");
  });

  it("names every column of the list in its help, the limit columns too", async () => {
    const context = fakeContext();
    await runCli(["list", "--help"], context);
    const help = context.stdout.text().replace(/\s+/g, " ");
    expect(help).toContain("Key Name, Last Used, API Auth Key, Date Created, Status, Key ID, Owner, Expires; Rate Limit and Credits when a listed key has them (in CSV always)");
  });

  it("reports an AWS failure on one line with a hint, and exits 2", async () => {
    const context = fakeContext(Object.assign(new Error("Requested resource not found"), { name: "ResourceNotFoundException" }));
    expect(await runCli(["list", "--table", "nope"], context)).toBe(ExitCode.ERROR);
    expect(context.sent.dynamo).toEqual(["ScanCommand"]);
    expect(context.stderr.text()).toBe(
      "apikeys: ResourceNotFoundException: Requested resource not found (check the table or function name and AWS_REGION; see --table, --function and the APIKEYS_* variables)\n",
    );
  });

  it("reports a stack that cannot be exported as an error (exit 2), not as drift", async () => {
    const context = fakeContext();
    expect(await runCli(["drift", "--stack", "dev"], context)).toBe(ExitCode.ERROR);
    expect(context.stderr.text()).toBe("apikeys: no Pulumi in this test\n");
  });

  it("takes table names from the environment when no option names them", async () => {
    const context = { ...fakeContext(), env: { APIKEYS_TABLE_NAME: "keys-from-env" } };
    const sent: unknown[] = [];
    context.dynamo = () => ({ send: async (command: { input: unknown }) => (sent.push(command.input), { Items: [] }) }) as never;
    expect(await runCli(["list"], context)).toBe(ExitCode.OK);
    expect(sent).toEqual([expect.objectContaining({ TableName: "keys-from-env" })]);
    expect(context.stdout.text()).toBe("No keys in table keys-from-env.\n");
  });
});
