import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { createKey, parseKey } from "../../contract";
import { ManifestError, loadManifest, parseManifest, type ManifestProblem } from "../../manifest";
import type { DECLARATION_PROPERTIES } from "../../manifest/keysManifestSchema";

/** The problems a manifest text is refused with, as printed lines. */
function problemsOf(text: string): string[] {
  try {
    parseManifest(text, "keys.yaml");
  } catch (error) {
    if (error instanceof ManifestError) return error.message.split("\n").slice(1);
    throw error;
  }
  throw new Error("the manifest was accepted");
}

const PARTNER = `# Keys of the orders API.
keys:
  partner-x:
    name: Swaggy M
    description: Partner X read API
    owner: partnerships
    status: enabled
`;

describe("loadManifest", () => {
  it("reads example/keys.yaml into one entry per key, in file order, with each declaration as written", () => {
    const file = path.join(__dirname, "../../example/keys.yaml");
    const manifest = loadManifest(file);
    expect(manifest.file).toBe(file);
    expect(manifest.entries.map(({ id, line }) => [id, line])).toEqual([
      ["partner-x", 4],
      ["billing-service", 14],
      ["legacy-import", 20],
    ]);
    expect(manifest.entries[0].declaration).toEqual({
      name: "Swaggy M",
      description: "Partner X read API",
      owner: "partnerships",
      scopes: ["orders:read"],
      metadata: { partner: "x" },
      rotation: { trigger: "2026-11", gracePeriod: "24h" },
    });
    // Defaults stay implicit: the provider fills them, as it does for a declaration in code.
    expect(manifest.entries[2].declaration).toEqual({ name: "Legacy import", description: "Nightly import job, paused", status: "inactive", owner: "data-platform" });
  });

  it("names the file it read in every problem", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-manifest-"));
    const file = path.join(dir, "keys.yaml");
    fs.writeFileSync(file, "keys:\n  a:\n    status: on\n");
    try {
      expect(() => loadManifest(file)).toThrow(`${file}:2: keys.a.name: is required`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a bad value with the file, the line and the property path", () => {
    expect(problemsOf(PARTNER)).toEqual(['keys.yaml:7: keys.partner-x.status: must be one of "active", "inactive", got "enabled"']);
  });

  it("reads rate limits, credits, allowed CIDRs and notBefore as declared", () => {
    const text = `keys:
  metered:
    name: Metered
    rateLimit: { limit: 50, window: 1m }
    credits: { remaining: 1000, refill: { amount: 1000, interval: monthly } }
    allowedCidrs: [203.0.113.0/24, "2001:db8::/32"]
    notBefore: 2027-01-01T00:00:00Z
`;
    expect(parseManifest(text, "keys.yaml").entries[0].declaration).toMatchObject({
      rateLimit: { limit: 50, window: "1m" },
      credits: { remaining: 1000, refill: { amount: 1000, interval: "monthly" } },
      allowedCidrs: ["203.0.113.0/24", "2001:db8::/32"],
      notBefore: "2027-01-01T00:00:00Z",
    });
  });

  it("refuses bad limits, credits and CIDRs, naming the property and the line", () => {
    const text = `keys:
  metered:
    name: Metered
    rateLimit: { limit: -1, window: 1m }
    credits: { refill: { amount: 10, interval: daily } }
    allowedCidrs: [10.0.0.0/33]
    notBefore: soon
  windowless:
    name: Windowless
    rateLimit: { limit: 5, window: 0s }
`;
    const problems = problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^keys\.yaml:4: keys\.metered\.rateLimit\.limit: /),
        expect.stringMatching(/^keys\.yaml:5: keys\.metered\.credits\.remaining: is required/),
        expect.stringMatching(/^keys\.yaml:6: keys\.metered\.allowedCidrs.*prefix outside \/0 to \/32/),
        expect.stringMatching(/^keys\.yaml:7: keys\.metered\.notBefore: must be an ISO-8601 instant/),
        expect.stringMatching(/^keys\.yaml:10: keys\.windowless\.rateLimit\.window: must be a duration from "1s" to "24h"/),
      ]),
    );
  });

  it("reports every problem at once, in line order, and keeps them as data", () => {
    const text = `keys:
  partner-x:
    name: ""
    prefix: AK
    surprise: true
  billing:
    name: Billing
    rotation:
      gracePeriod: 90d
`;
    expect(problemsOf(text)).toEqual([
      "keys.yaml:3: keys.partner-x.name: must not be empty",
      "keys.yaml:4: keys.partner-x.prefix: must match ^[a-z][a-z0-9]{1,15}$ (a lower-case letter, then 1 to 15 lower-case letters or digits)",
      "keys.yaml:5: keys.partner-x.surprise: is not a known property (known: name, description, status, prefix, owner, scopes, metadata, expiresAt, rotation, rateLimit, credits, allowedCidrs, notBefore, recoveryWindowInDays)",
      'keys.yaml:9: keys.billing.rotation.gracePeriod: must be a duration such as "90s", "15m", "24h" or "7d", at most 30d, got "90d"',
    ]);
    let problems: ManifestProblem[] = [];
    try {
      parseManifest(text, "keys.yaml");
    } catch (error) {
      problems = (error as ManifestError).problems;
    }
    expect(problems[0]).toEqual({ file: "keys.yaml", line: 3, path: "keys.partner-x.name", message: "must not be empty" });
  });

  it("points at the list item, map entry or nested property that a rule names", () => {
    const text = `keys:
  partner-x:
    name: Partner
    scopes:
      - orders:read
      - not a scope
    metadata:
      team: 7
    rotation:
      schedule: weekly
`;
    expect(problemsOf(text)).toEqual([
      'keys.yaml:6: keys.partner-x.scopes[1]: must be 1 to 64 letters, digits and : . _ / * -, got "not a scope"',
      "keys.yaml:8: keys.partner-x.metadata.team: must be a string, got number",
      "keys.yaml:10: keys.partner-x.rotation.schedule: is not a known property (known: trigger, gracePeriod, automaticallyAfterDays)",
    ]);
  });

  it("reports a missing name at the line of the entry's id", () => {
    expect(problemsOf("keys:\n  ok:\n    name: Fine\n  nameless:\n    owner: billing\n")).toEqual(["keys.yaml:4: keys.nameless.name: is required"]);
  });

  it.each(["bad id", "a::b", "-lead", "ünïcode", "x".repeat(101)])("refuses the entry id %j, which is not a usable Pulumi resource name", (id) => {
    const [problem] = problemsOf(`keys:\n  ${JSON.stringify(id)}:\n    name: Key\n`);
    expect(problem).toMatch(/^keys\.yaml:2: keys(\[".*"\]|\.[-\w]+): must be 1 to 100 letters, digits, "\.", "_" or "-", starting with a letter or digit \(the id is the Pulumi resource name\)$/);
  });

  it.each(["partner-x", "svc.orders_v2", "2027-audit", "A"])("accepts the entry id %j", (id) => {
    expect(parseManifest(`keys:\n  ${id}:\n    name: Key\n`, "keys.yaml").entries.map((entry) => entry.id)).toEqual([id]);
  });

  it("reports YAML syntax errors with their lines, before any schema check", () => {
    expect(problemsOf("keys:\n  a:\n    name: [unclosed\n  b: {}\n")).toEqual([expect.stringMatching(/^keys\.yaml:\d+: \S/)]);
    expect(problemsOf("keys:\n  a:\n    name: A\n  a:\n    name: B\n")).toEqual(["keys.yaml:4: Map keys must be unique"]);
  });

  it("requires the keys mapping, so an empty or mistyped file cannot delete every key", () => {
    expect(problemsOf("")).toEqual(['keys.yaml:1: must be a mapping with a "keys" entry, got an empty value']);
    expect(problemsOf("key:\n  a:\n    name: A\n")).toEqual(["keys.yaml:1: keys: is required", "keys.yaml:1: key: is not a known property (known: keys)"]);
    expect(problemsOf("keys:\n")).toEqual(["keys.yaml:1: keys: must be a mapping, got an empty value"]);
    expect(parseManifest("keys: {}\n", "keys.yaml").entries).toEqual([]);
  });

  it("refuses an empty value rather than reading it as the default", () => {
    expect(problemsOf("keys:\n  a:\n    name: A\n    owner:\n    status:\n")).toEqual([
      "keys.yaml:4: keys.a.owner: must be a string, got an empty value",
      'keys.yaml:5: keys.a.status: must be one of "active", "inactive", got an empty value',
    ]);
  });

  it("keeps an unquoted expiry a string, as the provider expects", () => {
    const [entry] = parseManifest("keys:\n  a:\n    name: A\n    expiresAt: 2027-01-31T00:00:00Z\n", "keys.yaml").entries;
    expect(entry.declaration.expiresAt).toBe("2027-01-31T00:00:00Z");
  });
});

const KEY = createKey().key;
const DECLARED_KEY = /parses as an API key/;

/** Every property an entry may declare (the Record type makes the compiler insist on each), with a key pasted into it. */
const KEY_PASTED_INTO: Record<(typeof DECLARATION_PROPERTIES)[number], [string, Record<string, unknown>, string, RegExp][]> = {
  name: [["name", { name: KEY }, "keys.entry.name", DECLARED_KEY]],
  description: [["description", { description: `the key is ${KEY}` }, "keys.entry.description", DECLARED_KEY]],
  status: [["status", { status: KEY }, "keys.entry.status", DECLARED_KEY]],
  prefix: [["prefix", { prefix: KEY }, "keys.entry.prefix", DECLARED_KEY]],
  owner: [["owner", { owner: KEY }, "keys.entry.owner", DECLARED_KEY]],
  scopes: [["a scope", { scopes: ["orders:read", KEY] }, "keys.entry.scopes", DECLARED_KEY]],
  metadata: [
    ["a metadata value", { metadata: { partner: KEY } }, "keys.entry.metadata", DECLARED_KEY],
    ["a metadata key", { metadata: { [KEY]: "x" } }, "keys.entry.metadata", DECLARED_KEY],
  ],
  expiresAt: [["expiresAt", { expiresAt: KEY }, "keys.entry.expiresAt", DECLARED_KEY]],
  rotation: [
    ["rotation.trigger", { rotation: { trigger: KEY } }, "keys.entry.rotation", DECLARED_KEY],
    ["rotation.gracePeriod", { rotation: { gracePeriod: KEY } }, "keys.entry.rotation", DECLARED_KEY],
    ["rotation.automaticallyAfterDays", { rotation: { automaticallyAfterDays: KEY } }, "keys.entry.rotation", DECLARED_KEY],
  ],
  rateLimit: [["rateLimit.window", { rateLimit: { limit: 10, window: KEY } }, "keys.entry.rateLimit", DECLARED_KEY]],
  credits: [["credits.refill.interval", { credits: { remaining: 1, refill: { amount: 1, interval: KEY } } }, "keys.entry.credits", DECLARED_KEY]],
  allowedCidrs: [["an allowed CIDR", { allowedCidrs: ["10.0.0.0/8", KEY] }, "keys.entry.allowedCidrs", DECLARED_KEY]],
  notBefore: [["notBefore", { notBefore: KEY }, "keys.entry.notBefore", DECLARED_KEY]],
  recoveryWindowInDays: [["recoveryWindowInDays", { recoveryWindowInDays: KEY }, "keys.entry.recoveryWindowInDays", /got "\[redacted key\]"/]],
};

/** The problems of a manifest declaring one entry `entry` named Entry, with `change` on top. */
function problemsWith(change: Record<string, unknown>, id = "entry"): ManifestProblem[] {
  try {
    parseManifest(stringify({ keys: { [id]: { name: "Entry", ...change } } }), "keys.yaml");
  } catch (error) {
    if (error instanceof ManifestError) {
      expect(error.message).not.toContain(KEY.slice(3, 20));
      return error.problems;
    }
    throw error;
  }
  throw new Error("the manifest was accepted");
}

describe("loadManifest with a key pasted by mistake", () => {
  const cases = [
    ...Object.values(KEY_PASTED_INTO).flat(),
    ["an unknown property named by the key", { [KEY]: true }, "keys.entry.[redacted key]", /not a known property/] as [string, Record<string, unknown>, string, RegExp],
  ];

  it("is tested with a well-formed key that each declaration holds", () => {
    expect(parseKey(KEY)).toBeDefined();
    for (const [, change] of cases) expect(stringify(change)).toContain(KEY.slice(3));
  });

  it.each(cases)("into %s is refused, naming the property, and the key is in no problem", (_case, change, path, message) => {
    const problems = problemsWith(change);
    expect(problems).toContainEqual({ file: "keys.yaml", line: expect.any(Number), path, message: expect.stringMatching(message) });
    expect(JSON.stringify(problems)).not.toContain(KEY.slice(3, 20));
  });

  it("as an entry id is refused: the id becomes a resource name in every URN of the state", () => {
    const problems = problemsWith({}, KEY);
    expect(problems).toEqual([{ file: "keys.yaml", line: 2, path: "keys.[redacted key]", message: expect.stringMatching(DECLARED_KEY) }]);
  });

  it("as an entry id is redacted in the other problems of that entry too", () => {
    const problems = problemsWith({ status: "enabled" }, KEY);
    expect(problems.map((problem) => problem.path)).toEqual(["keys.[redacted key]", "keys.[redacted key].status"]);
  });
});

describe("loadManifest on metadata keys that name parts of every object", () => {
  it.each(["__proto__", "constructor", "prototype"])("refuses %s, naming the metadata property", (name) => {
    expect(problemsOf(`keys:\n  a:\n    name: A\n    metadata:\n      tier: gold\n      ${name}: x\n`)).toEqual([
      `keys.yaml:6: keys.a.metadata.${name}: is a reserved name of JavaScript objects: __proto__, constructor, prototype are not allowed as metadata keys`,
    ]);
  });
});
