import { createKey, holdsKey, parseKey, redactKeys, redactValue } from "../../contract";

const KEY = "ak_0123456789ABCDEFGHIJKLMNOPQRST4PMbyp";

describe("redactKeys", () => {
  it("is tested with a well-formed key", () => {
    expect(parseKey(KEY)).toBeDefined();
  });

  it("replaces every well-formed key in a text", () => {
    expect(redactKeys(`error: unknown command '${KEY}', or ${KEY}`)).toBe("error: unknown command '[redacted key]', or [redacted key]");
  });

  it("replaces keys of any prefix, inside JSON and glued to other text", () => {
    const svc = createKey("svc").key;
    expect(redactKeys(JSON.stringify({ status: svc }))).toBe('{"status":"[redacted key]"}');
    expect(redactKeys(`x${KEY}y`)).toBe("[redacted key]y");
    expect(redactKeys(`${"a".repeat(20)}${KEY.slice(2)}`)).not.toContain(KEY.slice(3));
  });

  it("leaves alone what only looks like a key: its checksum does not match", () => {
    const lookalike = `${KEY.slice(0, -1)}q`;
    expect(redactKeys(lookalike)).toBe(lookalike);
  });

  it("also replaces the exact secrets it is given, such as a key whose checksum was mistyped", () => {
    const mistyped = `${KEY.slice(0, -1)}q`;
    expect(redactKeys(`cannot look up ${mistyped}`, [mistyped])).toBe("cannot look up [redacted key]");
    expect(redactKeys("nothing here", [""])).toBe("nothing here");
  });
});

describe("holdsKey", () => {
  it.each([
    ["a key", KEY],
    ["a text quoting a key", `the key is ${KEY}.`],
    ["a list holding a key", ["orders:read", KEY]],
    ["a map holding a key as a value", { partner: KEY }],
    ["a map holding a key as a name", { [KEY]: "x" }],
    ["a nested map", { rotation: { trigger: KEY } }],
  ])("finds %s", (_what, value) => {
    expect(holdsKey(value)).toBe(true);
  });

  it.each([
    ["a plain text", "Swaggy M"],
    ["a key with a wrong checksum", `${KEY.slice(0, -1)}q`],
    ["numbers and nulls", [1, null, { a: undefined }]],
  ])("finds nothing in %s", (_what, value) => {
    expect(holdsKey(value)).toBe(false);
  });
});

describe("redactValue", () => {
  it("redacts keys in strings, list items and map names at any depth, and keeps everything else", () => {
    const value = { name: "Kept", scopes: ["a", KEY], metadata: { [KEY]: `see ${KEY}` }, days: 7, on: true, none: null };
    expect(redactValue(value)).toEqual({
      name: "Kept",
      scopes: ["a", "[redacted key]"],
      metadata: { "[redacted key]": "see [redacted key]" },
      days: 7,
      on: true,
      none: null,
    });
  });
});
