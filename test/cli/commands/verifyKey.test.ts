import { Readable } from "node:stream";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { ExitCode } from "../../../cli/ExitCode";
import { verifyKey, VerifyFormat, type VerifyKeyOptions } from "../../../cli/commands/verifyKey";
import { runCli } from "../../../cli/runCli";
import type { CliContext } from "../../../cli/CliContext";
import { invoke } from "../../support/invoke";
import { textBuffer } from "../../support/textBuffer";
import { useLocalStack } from "../../support/useLocalStack";

const aws = useLocalStack();
let lambda: LambdaClient;
/** An operator allowed to invoke any function, so that a missing function is what gets reported. */
let anyFunction: LambdaClient;
let active: { keyId: string; plaintext: string };
let inactive: { keyId: string; plaintext: string };

async function create(request: Record<string, unknown>): Promise<{ keyId: string; plaintext: string }> {
  const { payload } = await invoke(aws.stack, "create", request);
  expect(payload).toMatchObject({ ok: true });
  return { keyId: payload.result.keyId, plaintext: await aws.plaintextOf(payload.result.secretArn) };
}

beforeAll(async () => {
  lambda = new LambdaClient(aws.stack.clientConfig("lambda", "deployer"));
  anyFunction = new LambdaClient(aws.stack.clientConfig("lambda"));
  active = await create({ name: "Swaggy M", scopes: ["orders:read"], metadata: { partner: "x" } });
  inactive = await create({ name: "Legacy import", status: "inactive" });
});

afterAll(() => {
  lambda?.destroy();
  anyFunction?.destroy();
});

async function verify(stdinText: string, options: Partial<VerifyKeyOptions> = {}) {
  const stdout = textBuffer();
  const stderr = textBuffer();
  const code = await verifyKey({ functionName: aws.stack.functions.verify, format: VerifyFormat.TEXT, ...options }, { lambda, stdin: Readable.from([stdinText]), stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("verifyKey", () => {
  it("answers VALID with the key's details and exit 0 for a key piped on stdin, and never prints the key", async () => {
    const { code, stdout, stderr } = await verify(`${active.plaintext}\n`);
    expect(code).toBe(ExitCode.OK);
    expect(stdout.split("\n")).toEqual([`VALID ${active.keyId} (Swaggy M)`, "  scopes:   orders:read", "  metadata: partner=x", "  expires:  never", ""]);
    expect(stdout + stderr).not.toContain(active.plaintext);
  });

  it("answers INACTIVE with exit 1 for a key whose Status toggle is off", async () => {
    const { code, stdout } = await verify(inactive.plaintext);
    expect(code).toBe(ExitCode.FINDINGS);
    expect(stdout).toBe(`INACTIVE ${inactive.keyId}: the key's Status toggle is off\n`);
    expect(stdout).not.toContain(inactive.plaintext);
  });

  it("answers MALFORMED with exit 1 for something that is not a key", async () => {
    const { code, stdout } = await verify("not-a-key");
    expect(code).toBe(ExitCode.FINDINGS);
    expect(stdout).toBe("MALFORMED: not a key of our format, or its checksum is wrong\n");
  });

  it("prints the verify result as JSON", async () => {
    const { code, stdout } = await verify(active.plaintext, { format: VerifyFormat.JSON });
    expect(code).toBe(ExitCode.OK);
    expect(JSON.parse(stdout)).toEqual({ valid: true, code: "VALID", keyId: active.keyId, name: "Swaggy M", scopes: ["orders:read"], metadata: { partner: "x" } });
  });

  it("exits 2 naming the function when it does not exist, without printing the key", async () => {
    const stdout = textBuffer();
    const stderr = textBuffer();
    const context: CliContext = {
      stdout,
      stderr,
      stdin: Readable.from([active.plaintext]),
      env: {},
      dynamo: () => aws.deployer.dynamo,
      lambda: () => anyFunction,
      loadStackState: async () => undefined,
      callerArn: async () => undefined,
      now: () => new Date(),
    };
    expect(await runCli(["verify", "--function", "apikeys-nope"], context)).toBe(ExitCode.ERROR);
    expect(stderr.text()).toMatch(/^apikeys: ResourceNotFoundException: .*apikeys-nope.*\(check the table or function name/);
    expect(stdout.text() + stderr.text()).not.toContain(active.plaintext);
  });

  it("fails (rejects) on a function error, with any echo of the key in its message redacted", async () => {
    const echoing = {
      send: async () => ({
        FunctionError: "Unhandled",
        Payload: Buffer.from(JSON.stringify({ errorType: "Error", errorMessage: `cannot look up ${active.plaintext}` })),
      }),
    } as never;
    const error = await verifyKey({ functionName: "apikeys-verify", format: VerifyFormat.TEXT }, { lambda: echoing, stdin: Readable.from([active.plaintext]), stdout: textBuffer(), stderr: textBuffer() }).catch((e: Error) => e);
    expect((error as Error).message).toBe('verify via Lambda function "apikeys-verify": the function failed: Error: cannot look up [redacted key]');
  });

  it("reads the answer with the provider's decoder: a wrong shape fails naming the function", async () => {
    const answering = (value: unknown) => ({ send: async () => ({ Payload: Buffer.from(JSON.stringify(value)) }) }) as never;
    const io = () => ({ stdin: Readable.from([active.plaintext]), stdout: textBuffer(), stderr: textBuffer() });
    const options = { functionName: "apikeys-verify", format: VerifyFormat.JSON };
    await expect(verifyKey(options, { lambda: answering({ ok: true, result: { valid: true } }), ...io() })).rejects.toThrow(
      'verify via Lambda function "apikeys-verify": answered something that is not a verify result: valid is missing',
    );
    await expect(verifyKey(options, { lambda: answering({ valid: true, code: "VALID", keyId: active.keyId, name: "n", scopes: [active.plaintext], metadata: {} }), ...io() })).rejects.toThrow(
      'verify via Lambda function "apikeys-verify": answered a value that parses as an API key in scopes; nothing of the answer is kept',
    );
  });
});
