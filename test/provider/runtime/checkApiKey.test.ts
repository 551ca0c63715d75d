import { createKey, parseKey } from "../../../contract";
import type { ApiKeyArgs } from "../../../provider";
import { checkApiKey } from "../../../provider/runtime/checkApiKey";
import { UNKNOWN } from "../../../provider/runtime/ApiKeyState";

const FUNCTIONS = { create: "apikeys-create", read: "apikeys-read", update: "apikeys-update", delete: "apikeys-delete" };
const VALID = { name: "Swaggy M", description: "Partner X read API", status: "active", prefix: "ak", region: "us-east-1", functions: FUNCTIONS };

describe("checkApiKey", () => {
  it("accepts a full declaration and fills the defaults", () => {
    const { inputs, failures } = checkApiKey({ name: "  Swaggy M ", region: "eu-west-1", functions: FUNCTIONS, __provider: "serialized" });
    expect(failures).toEqual([]);
    expect(inputs).toEqual({
      name: "Swaggy M",
      description: "",
      status: "active",
      prefix: "ak",
      region: "eu-west-1",
      functions: FUNCTIONS,
      scopes: [],
      metadata: {},
      rotation: {},
      allowedCidrs: [],
      recoveryWindowInDays: 7,
      __provider: "serialized",
    });
  });

  it("accepts ARNs and aliases as function names", () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:apikeys-create:live";
    expect(checkApiKey({ ...VALID, functions: { ...FUNCTIONS, create: arn } }).failures).toEqual([]);
  });

  it("does not repeat an adopt keyId it refuses, which may be a pasted key", () => {
    const pasted = "ak_0000000000000000000000000000002C8GjS";
    const { failures } = checkApiKey({ ...VALID, adopt: { keyId: pasted } });
    expect(failures).toEqual([{ property: "adopt.keyId", reason: expect.stringMatching(/must be a keyId/) }]);
    expect(JSON.stringify(failures)).not.toContain(pasted);
  });

  it("passes values unknown at preview time inside an object through unchecked", () => {
    expect(checkApiKey({ ...VALID, rotation: { trigger: "1", automaticallyAfterDays: UNKNOWN } }).failures).toEqual([]);
  });

  it("passes values that are unknown at preview time through unchecked", () => {
    const { failures, inputs } = checkApiKey({ ...VALID, name: UNKNOWN, functions: { ...FUNCTIONS, read: UNKNOWN } });
    expect(failures).toEqual([]);
    expect(inputs.name).toBe(UNKNOWN);
  });

  const BAD: [string, Record<string, unknown>, string, RegExp][] = [
    ["a missing name", { name: undefined }, "name", /required/],
    ["a null name", { name: null }, "name", /required/],
    ["an empty name", { name: "" }, "name", /empty/],
    ["a blank name", { name: "   " }, "name", /empty/],
    ["a 65-character name", { name: "x".repeat(65) }, "name", /at most 64/],
    ["a name with a slash", { name: "a/b" }, "name", /letters, digits/],
    ["a name with a newline", { name: "a\nb" }, "name", /letters, digits/],
    ["a name with an emoji", { name: "key 🔑" }, "name", /letters, digits/],
    ["a numeric name", { name: 42 }, "name", /string, got number/],
    ["a 257-character description", { description: "d".repeat(257) }, "description", /at most 256/],
    ["a description with a bell character", { description: "ring\u0007" }, "description", /control/],
    ["a description with a right-to-left override", { description: "abc\u202Edef" }, "description", /bidirectional/],
    ["a description that is an object", { description: { text: "x" } }, "description", /string, got object/],
    ["a status in capitals", { status: "Active" }, "status", /"active", "inactive"/],
    ["a status of true", { status: true }, "status", /got true/],
    ["a status of disabled", { status: "disabled" }, "status", /got "disabled"/],
    ["a one-letter prefix", { prefix: "a" }, "prefix", /must match/],
    ["a prefix starting with a digit", { prefix: "1ak" }, "prefix", /must match/],
    ["a prefix with an underscore", { prefix: "a_k" }, "prefix", /must match/],
    ["a 17-character prefix", { prefix: "a".repeat(17) }, "prefix", /must match/],
    ["a prefix that is an array", { prefix: ["ak"] }, "prefix", /string, got array/],
    ["a region that is not a region", { region: "mars" }, "region", /AWS region/],
    ["a missing region", { region: undefined }, "region", /AWS region/],
    ["functions as a string", { functions: "apikeys" }, "functions", /object naming/],
    ["a function name with a space", { functions: { ...FUNCTIONS, update: "api keys" } }, "functions.update", /function name or ARN/],
    ["a missing delete function", { functions: { create: "c", read: "r", update: "u" } }, "functions.delete", /function name or ARN/],
    ["an extra function", { functions: { ...FUNCTIONS, verify: "v" } }, "functions.verify", /not a known property/],
    ["a recovery window of 3 days", { recoveryWindowInDays: 3 }, "recoveryWindowInDays", /0 or a whole number of days from 7 to 30/],
    ["a recovery window of 7.5 days", { recoveryWindowInDays: 7.5 }, "recoveryWindowInDays", /whole number/],
    ["a recovery window as text", { recoveryWindowInDays: "7" }, "recoveryWindowInDays", /got "7"/],
    ["an unknown property", { team: "team-a" }, "team", /not a known property/],
    ["an empty owner", { owner: " " }, "owner", /1 to 128 characters/],
    ["an owner with a control character", { owner: "team\u0000a" }, "owner", /control/],
    ["scopes that are a string", { scopes: "orders:read" }, "scopes", /list of strings, got string/],
    ["a scope with a space", { scopes: ["orders read"] }, "scopes", /\[0\] must be/],
    ["a repeated scope", { scopes: ["a", "a"] }, "scopes", /repeat/],
    ["51 scopes", { scopes: Array.from({ length: 51 }, (_, i) => `s${i}`) }, "scopes", /at most 50/],
    ["metadata that is a list", { metadata: ["a"] }, "metadata", /map of strings, got array/],
    ["a metadata value that is a number", { metadata: { tier: 1 } }, "metadata", /\.tier must be a string, got number/],
    ["an oversized metadata value", { metadata: { note: "x".repeat(257) } }, "metadata", /at most 256/],
    ["21 metadata entries", { metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"])) }, "metadata", /at most 20 entries/],
    ["an expiry without a time zone", { expiresAt: "2999-01-01T00:00:00" }, "expiresAt", /ISO-8601/],
    ["an expiry that is not a date", { expiresAt: "tomorrow" }, "expiresAt", /ISO-8601/],
    ["an expiry in the past", { expiresAt: "2001-01-01T00:00:00Z" }, "expiresAt", /must be in the future/],
    ["an expiry on the 30th of February", { expiresAt: "2999-02-30T00:00:00Z" }, "expiresAt", /ISO-8601/],
    ["an expiry at 24:00", { expiresAt: "2999-01-01T24:00:00Z" }, "expiresAt", /ISO-8601/],
    ["a grace period in weeks", { rotation: { gracePeriod: "2w" } }, "rotation", /gracePeriod must be a duration/],
    ["a grace period over 30 days", { rotation: { gracePeriod: "31d" } }, "rotation", /at most 30d/],
    ["rotation every 0 days", { rotation: { automaticallyAfterDays: 0 } }, "rotation", /automaticallyAfterDays must be a whole number from 1/],
    ["an unknown rotation setting", { rotation: { every: "30d" } }, "rotation", /\.every is not a known property/],
    ["a negative rate limit", { rateLimit: { limit: -1, window: "1m" } }, "rateLimit", /\.limit must be a whole number from 1/],
    ["a rate limit of 0", { rateLimit: { limit: 0, window: "1m" } }, "rateLimit", /\.limit must be a whole number from 1/],
    ["a fractional rate limit", { rateLimit: { limit: 1.5, window: "1m" } }, "rateLimit", /\.limit must be a whole number/],
    ["a rate-limit window of 0s", { rateLimit: { limit: 10, window: "0s" } }, "rateLimit", /\.window must be a duration from "1s" to "24h"/],
    ["a rate-limit window over 24h", { rateLimit: { limit: 10, window: "25h" } }, "rateLimit", /\.window must be a duration from "1s" to "24h".*got "25h"/],
    ["a rate limit without a window", { rateLimit: { limit: 10 } }, "rateLimit", /\.window must be/],
    ["a rate limit with an unknown setting", { rateLimit: { limit: 10, window: "1m", burst: 5 } }, "rateLimit", /\.burst is not a known property/],
    ["a rate limit that is a number", { rateLimit: 10 }, "rateLimit", /object \{ limit, window \}, got number/],
    ["a refill without remaining", { credits: { refill: { amount: 10, interval: "daily" } } }, "credits", /\.remaining is required/],
    ["negative credits", { credits: { remaining: -5 } }, "credits", /\.remaining must be a whole number from 0/],
    ["a refill every week", { credits: { remaining: 5, refill: { amount: 10, interval: "weekly" } } }, "credits", /\.refill\.interval must be "daily" or "monthly", got "weekly"/],
    ["a refill of 0", { credits: { remaining: 5, refill: { amount: 0, interval: "daily" } } }, "credits", /\.refill\.amount must be a whole number from 1/],
    ["a refill with an unknown setting", { credits: { remaining: 5, refill: { amount: 1, interval: "daily", at: "00:00" } } }, "credits", /\.refill\.at is not a known property/],
    ["an invalid CIDR", { allowedCidrs: ["10.0.0.0/33"] }, "allowedCidrs", /\[0\] "10\.0\.0\.0\/33" has a prefix outside \/0 to \/32/],
    ["a CIDR that is not an address", { allowedCidrs: ["10.0.0.0/8", "intranet"] }, "allowedCidrs", /\[1\] "intranet" is not an IPv4 or IPv6 address/],
    ["an IPv4 octet over 255", { allowedCidrs: ["10.0.0.256"] }, "allowedCidrs", /\[0\].*is not an IPv4 or IPv6/],
    ["an IPv6 range with two ::", { allowedCidrs: ["2001::db8::/32"] }, "allowedCidrs", /is not an IPv4 or IPv6/],
    ["a CIDR with host bits set", { allowedCidrs: ["10.1.2.3/8"] }, "allowedCidrs", /bits set after its \/8 prefix: the range is 10\.0\.0\.0\/8/],
    ["an IPv6 CIDR with host bits set", { allowedCidrs: ["2001:db8::1/32"] }, "allowedCidrs", /the range is 2001:db8::\/32/],
    ["a repeated CIDR, once written differently", { allowedCidrs: ["2001:DB8::/32", "2001:0db8:0:0::/32"] }, "allowedCidrs", /\[1\] repeats 2001:db8::\/32/],
    ["allowedCidrs that are a string", { allowedCidrs: "10.0.0.0/8" }, "allowedCidrs", /list of CIDR ranges, got string/],
    ["a notBefore that is not an instant", { notBefore: "next monday" }, "notBefore", /ISO-8601/],
    ["a notBefore after expiresAt", { notBefore: "2999-06-01T00:00:00Z", expiresAt: "2999-01-01T00:00:00Z" }, "notBefore", /must be before expiresAt \(2999-01-01T00:00:00\.000Z\)/],
    ["a notBefore equal to expiresAt", { notBefore: "2999-01-01T00:00:00Z", expiresAt: "2999-01-01T00:00:00Z" }, "notBefore", /must be before expiresAt/],
  ];

  it.each(BAD)("rejects %s, naming the property", (_case, change, property, reason) => {
    const { failures } = checkApiKey({ ...VALID, ...change });
    expect(failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  it("normalizes allowed CIDRs: bare addresses become /32 and /128, IPv6 is written canonically, mapped IPv4 as IPv4", () => {
    const { inputs, failures } = checkApiKey({ ...VALID, allowedCidrs: ["203.0.113.7", " 2001:DB8:0:0:0:0:0:0/32 ", "::1", "::ffff:198.51.100.0/120", "0.0.0.0/0", "::/0"] });
    expect(failures).toEqual([]);
    expect(inputs.allowedCidrs).toEqual(["203.0.113.7/32", "2001:db8::/32", "::1/128", "198.51.100.0/24", "0.0.0.0/0", "::/0"]);
  });

  it("accepts rate limits from 1s to 24h and credits with a refill, as declared", () => {
    for (const window of ["1s", "60s", "1m", "24h", "1d"]) expect(checkApiKey({ ...VALID, rateLimit: { limit: 50, window } }).failures).toEqual([]);
    const credits = { remaining: 0, refill: { amount: 1000, interval: "monthly" } };
    const { inputs, failures } = checkApiKey({ ...VALID, credits, notBefore: "2999-01-01T02:00:00+02:00" });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ credits, notBefore: "2999-01-01T00:00:00.000Z" });
  });

  it("lets a past expiry stand when it was already in the state", () => {
    const declared = { ...VALID, expiresAt: "2001-01-01T00:00:00.000Z" };
    expect(checkApiKey(declared, { expiresAt: "2001-01-01T00:00:00.000Z" }).failures).toEqual([]);
  });

  it("normalizes an expiry to UTC", () => {
    expect(checkApiKey({ ...VALID, expiresAt: "2999-01-01T02:00:00+02:00" }).inputs.expiresAt).toBe("2999-01-01T00:00:00.000Z");
  });

  it("reports every bad property at once", () => {
    const { failures } = checkApiKey({ ...VALID, name: "", prefix: "A", status: "on" });
    expect(failures.map((f) => f.property).sort()).toEqual(["name", "prefix", "status"]);
  });
});

const KEY = createKey("svc").key;
const DECLARED_KEY = /parses as an API key/;
const QUOTED_KEY = /got "\[redacted key\]"/;

/**
 * Every ApiKeyArgs field (the Record type makes the compiler insist on each one), and where in it a key may be pasted:
 * the declaration's change, the property the failure names, and its reason.
 */
const KEY_PASTED_INTO: Record<keyof ApiKeyArgs, [string, Record<string, unknown>, string, RegExp][]> = {
  name: [["name", { name: KEY }, "name", DECLARED_KEY]],
  description: [["description, quoted in a sentence", { description: `the key is ${KEY}` }, "description", DECLARED_KEY]],
  status: [["status", { status: KEY }, "status", DECLARED_KEY]],
  prefix: [["prefix", { prefix: KEY }, "prefix", DECLARED_KEY]],
  owner: [["owner", { owner: KEY }, "owner", DECLARED_KEY]],
  scopes: [["a scope", { scopes: ["orders:read", KEY] }, "scopes", DECLARED_KEY]],
  metadata: [
    ["a metadata value", { metadata: { partner: KEY } }, "metadata", DECLARED_KEY],
    ["a metadata key", { metadata: { [KEY]: "x" } }, "metadata", DECLARED_KEY],
  ],
  expiresAt: [["expiresAt", { expiresAt: KEY }, "expiresAt", DECLARED_KEY]],
  rotation: [
    ["rotation.trigger", { rotation: { trigger: KEY } }, "rotation", DECLARED_KEY],
    ["rotation.gracePeriod", { rotation: { gracePeriod: KEY } }, "rotation", DECLARED_KEY],
    ["rotation.automaticallyAfterDays", { rotation: { automaticallyAfterDays: KEY } }, "rotation", DECLARED_KEY],
    ["a rotation property named by the key", { rotation: { [KEY]: 1 } }, "rotation", DECLARED_KEY],
  ],
  rateLimit: [["rateLimit.window", { rateLimit: { limit: 5, window: KEY } }, "rateLimit", DECLARED_KEY]],
  credits: [["credits.refill.interval", { credits: { remaining: 5, refill: { amount: 5, interval: KEY } } }, "credits", DECLARED_KEY]],
  allowedCidrs: [["an allowed CIDR", { allowedCidrs: ["10.0.0.0/8", KEY] }, "allowedCidrs", DECLARED_KEY]],
  notBefore: [["notBefore", { notBefore: KEY }, "notBefore", DECLARED_KEY]],
  region: [["region", { region: KEY }, "region", QUOTED_KEY]],
  functions: [
    ["functions.create", { functions: { ...FUNCTIONS, create: KEY } }, "functions.create", DECLARED_KEY],
    ["functions.read", { functions: { ...FUNCTIONS, read: KEY } }, "functions.read", DECLARED_KEY],
    ["functions.update", { functions: { ...FUNCTIONS, update: KEY } }, "functions.update", DECLARED_KEY],
    ["functions.delete", { functions: { ...FUNCTIONS, delete: KEY } }, "functions.delete", DECLARED_KEY],
    ["a function property named by the key", { functions: { ...FUNCTIONS, [KEY]: "x" } }, "functions.[redacted key]", /not a known property/],
  ],
  recoveryWindowInDays: [["recoveryWindowInDays", { recoveryWindowInDays: KEY }, "recoveryWindowInDays", QUOTED_KEY]],
  adopt: [
    ["adopt.keyId", { adopt: { keyId: KEY } }, "adopt.keyId", /must be a keyId/],
    ["an adopt property named by the key", { adopt: { [KEY]: "x" } }, "adopt", /must be an object \{ keyId \}/],
  ],
};

describe("checkApiKey with a key pasted by mistake", () => {
  const cases = [
    ...Object.values(KEY_PASTED_INTO).flat(),
    ["an unknown property named by the key", { [KEY]: true }, "[redacted key]", /not a known property/] as [string, Record<string, unknown>, string, RegExp],
  ];

  it("is tested with a well-formed key that each declaration holds", () => {
    expect(parseKey(KEY)).toBeDefined();
    for (const [, change] of cases) expect(JSON.stringify(change)).toContain(KEY.slice(4));
  });

  it.each(cases)("into %s fails, naming the property, and never repeats the key", (_case, change, property, reason) => {
    const { failures, inputs } = checkApiKey({ ...VALID, ...change });
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
    // The random part alone is as secret as the key; the inputs go back to the engine with the failures.
    expect(JSON.stringify({ failures, inputs })).not.toContain(KEY.slice(4, 20));
  });
});

describe("checkApiKey on metadata keys that name parts of every object", () => {
  it.each(["__proto__", "constructor", "prototype"])("refuses %s, naming the metadata property", (name) => {
    const metadata = JSON.parse(`{"tier":"gold",${JSON.stringify(name)}:"x"}`);
    expect(Object.keys(metadata)).toContain(name);
    const { failures } = checkApiKey({ ...VALID, metadata });
    expect(failures).toEqual([{ property: "metadata", reason: `.${name} is a reserved name of JavaScript objects: __proto__, constructor, prototype are not allowed as metadata keys` }]);
  });

  it("accepts ordinary names that merely contain them", () => {
    expect(checkApiKey({ ...VALID, metadata: { "constructor-id": "x", prototypes: "y" } }).failures).toEqual([]);
  });
});
