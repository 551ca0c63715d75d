import path from "node:path";
import { ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { createKey } from "../../../contract";
import { useLocalStack } from "../../support/useLocalStack";
import { useProviderHost } from "../../support/dynamicProviderHost";
import { useLeakScan } from "../../support/leakScan";

// Every bad declaration and every misbehaving backend gives an error that names the property or the failing call,
// and leaves nothing half-created.
const URN = "urn:pulumi:dev::apikeys::pulumi-nodejs:dynamic/apikeys:ApiKey::hostile";
const FIXTURE = path.join(__dirname, "../../fixtures/misbehavingHandler.js");
/** Every function the Lambda server invoked, in order. */
const invoked: string[] = [];
const aws = useLocalStack({
  onInvocation: (record) => invoked.push(record.functionName),
  accessDenied: ["denied-create"],
  extraFunctions: {
    "garbage-create": { bundle: FIXTURE, handler: "garbage" },
    "shape-create": { bundle: FIXTURE, handler: "wrongShape" },
    "hang-create": { bundle: FIXTURE, handler: "hang", timeoutMs: 1_000 },
    "crash-create": { bundle: FIXTURE, handler: "crash" },
    "throwing-create": { bundle: FIXTURE, handler: "throwing" },
  },
});
const provider = useProviderHost(aws);
const scan = useLeakScan(aws);
const declaration = (overrides: Record<string, unknown> = {}) => provider.declaration({ name: "Hostile", ...overrides });

async function footprint(): Promise<string> {
  const items = (await aws.scanItems()).length;
  const { SecretList = [] } = await aws.secrets.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
  return `${items} items, ${SecretList.length} secrets`;
}

const BAD_DECLARATIONS: [string, Record<string, unknown>, string, RegExp][] = [
  ["an empty name", { name: "" }, "name", /must not be empty/],
  ["a 10 000-character name", { name: "n".repeat(10_000) }, "name", /at most 64 characters, got 10000/],
  ["a name with a null byte", { name: "evil\u0000name" }, "name", /letters, digits/],
  ["a name with an escape sequence", { name: "\u001b[31mred" }, "name", /letters, digits/],
  ["a name that is a number", { name: 7 }, "name", /must be a string, got number/],
  ["a name that is an object", { name: { toString: "x" } }, "name", /must be a string, got object/],
  ["a description with a right-to-left override", { description: "ok\u202egnp.exe" }, "description", /bidirectional/],
  ["a 1 MB description", { description: "d".repeat(1_000_000) }, "description", /at most 256 characters/],
  ["a status of 1", { status: 1 }, "status", /got 1/],
  ["a status of ACTIVE", { status: "ACTIVE" }, "status", /got "ACTIVE"/],
  ["a prefix with a path", { prefix: "../ak" }, "prefix", /must match/],
  ["a prefix with an underscore", { prefix: "ak_live" }, "prefix", /must match/],
  ["an expiry in the past", { expiresAt: "2020-01-01T00:00:00Z" }, "expiresAt", /must be in the future/],
  ["an expiry that is a number", { expiresAt: 1893456000 }, "expiresAt", /ISO-8601/],
  ["oversized metadata", { metadata: { blob: "m".repeat(300) } }, "metadata", /at most 256 characters/],
  ["too many metadata entries", { metadata: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, "v"])) }, "metadata", /at most 20 entries/],
  ["metadata with a nested object", { metadata: { nested: { a: 1 } } }, "metadata", /must be a string, got object/],
  ["scopes with a newline", { scopes: ["read\nwrite"] }, "scopes", /\[0\] must be/],
  ["scopes that are an object", { scopes: { read: true } }, "scopes", /list of strings, got object/],
  ["an unknown field", { isAdmin: true }, "isAdmin", /not a known property/],
  ["a misspelt field", { descripton: "typo" }, "descripton", /not a known property/],
  ["a recovery window of 365 days", { recoveryWindowInDays: 365 }, "recoveryWindowInDays", /from 7 to 30/],
  ["a region with a path", { region: "us-east-1/../../x" }, "region", /AWS region/],
  ["a function name with a space", { functions: { create: "a b", read: "r", update: "u", delete: "d" } }, "functions.create", /function name or ARN/],
  ["an adopt without a keyId", { adopt: { keyId: "not-a-key-id" } }, "adopt.keyId", /must be a keyId/],
  ["a rotation grace period of a year", { rotation: { gracePeriod: "365d" } }, "rotation", /at most 30d/],
  ["metadata named constructor", { metadata: { constructor: "x" } }, "metadata", /\.constructor is a reserved name/],
  ["metadata named prototype", { metadata: { prototype: "x" } }, "metadata", /\.prototype is a reserved name/],
];

// A key pasted into a field by mistake: the engine prints check failures in preview output and pull-request comments.
const PASTED = createKey().key;
const PASTED_KEYS: [string, Record<string, unknown>, string][] = [
  ["status", { status: PASTED }, "status"],
  ["expiresAt", { expiresAt: PASTED }, "expiresAt"],
  ["scopes", { scopes: [PASTED] }, "scopes"],
  ["region", { region: PASTED }, "region"],
  ["rotation.gracePeriod", { rotation: { gracePeriod: PASTED } }, "rotation"],
  ["functions.create", { functions: { create: PASTED, read: "r", update: "u", delete: "d" } }, "functions.create"],
];

describe("a key pasted into a declaration by mistake", () => {
  it.each(PASTED_KEYS)("in %s fails Check naming the property, and no answer of the host repeats it", async (_case, change, property) => {
    const before = invoked.length;
    const responses = provider.host.responses.length;
    const { failures } = await provider.host.check(URN, {}, declaration(change));
    expect(failures.map((failure) => failure.property)).toContain(property);
    expect(JSON.stringify(provider.host.responses.slice(responses))).toContain(property);
    expect(JSON.stringify(provider.host.responses.slice(responses))).not.toContain(PASTED.slice(3));
    expect(invoked.length).toBe(before);
  });
});

describe("a hostile or broken declaration", () => {
  it.each(BAD_DECLARATIONS)("with %s fails Check, naming the property, and invokes nothing", async (_case, change, property, reason) => {
    const before = invoked.length;
    const { failures } = await provider.host.check(URN, {}, declaration(change));
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
    expect(invoked.length).toBe(before);
  });
});

const BROKEN_BACKENDS: [string, string, RegExp][] = [
  ["a function that does not exist", "no-such-function", /create via Lambda function "no-such-function": lambda:InvokeFunction failed: no such function/],
  ["a function the caller may not invoke", "denied-create", /create via Lambda function "denied-create": lambda:InvokeFunction was denied/],
  ["a function that answers HTML", "garbage-create", /create via Lambda function "garbage-create": returned a response that is not an apikeys handler response/],
  ["a function that answers the wrong shape", "shape-create", /create via Lambda function "shape-create": returned a response that is not an apikeys handler response/],
  ["a function that times out", "hang-create", /create via Lambda function "hang-create": the function failed: Sandbox.Timedout/],
  ["a function whose process dies", "crash-create", /create via Lambda function "crash-create": the function failed: Runtime.ExitError/],
  ["a function that throws", "throwing-create", /create via Lambda function "throwing-create": the function failed: RangeError: the backend fell over/],
];

describe("a broken backend", () => {
  it.each(BROKEN_BACKENDS)("behind %s fails create naming the function and the call, creating nothing", async (_case, functionName, message) => {
    const before = await footprint();
    const { inputs } = await provider.host.check(URN, {}, declaration({ functions: { ...aws.stack.keyFunctions, create: functionName } }));
    await expect(provider.host.create(URN, inputs)).rejects.toThrow(message);
    expect(await footprint()).toBe(before);
  });

  it("refused by the real create function for a request that skipped Check, names the property", async () => {
    const before = await footprint();
    await expect(provider.host.create(URN, declaration({ name: "x".repeat(65), prefix: "ak", recoveryWindowInDays: 7 }))).rejects.toThrow(/name: must be at most 64 characters/);
    expect(await footprint()).toBe(before);
  });

  it("never puts a key into any answer, log or error", async () => {
    const { inputs } = await provider.host.check(URN, {}, declaration());
    await provider.host.create(URN, inputs);
    await scan.expectAbsent({ responses: JSON.stringify(provider.host.responses), hostStderr: provider.host.stderr(), lambdaLogs: aws.stack.lambda.allOutput() });
  });
});
