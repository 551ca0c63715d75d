import { DESCRIPTION_MAX_LENGTH, KEY_PREFIX_PATTERN, LIMITS, keyFieldRules, recoveryWindowRule, validateKeyFields } from "../../contract";
import fs from "node:fs";
import path from "node:path";
import { keysManifestSchema, parseManifest } from "../../manifest";
import { DECLARATION_PROPERTIES } from "../../manifest/keysManifestSchema";
import { repoRoot } from "../../tools/repoRoot";

const long = (length: number) => "a".repeat(length);

/** Values to try per field: good ones, bad ones, and the edges between them. */
const SAMPLES: Record<string, unknown[]> = {
  name: ["Swaggy M", "  padded  ", long(64), long(65), "", "   ", "semi;colon", 7],
  description: ["", "Partner X", long(DESCRIPTION_MAX_LENGTH), long(DESCRIPTION_MAX_LENGTH + 1), "tab\tand\nnewline", "bell\u0007", 1],
  status: ["active", "inactive", "deleted", "Active", true],
  prefix: ["ak", "svc2", "a", "Ak", "a".repeat(17), "ab_c", 12],
  owner: ["billing", long(128), long(129), "  ", 3],
  scopes: [[], ["orders:read", "orders/*"], ["a b"], ["x", "x"], Array.from({ length: LIMITS.scopes + 1 }, (_, i) => `s${i}`), [long(65)], "orders:read"],
  metadata: [{}, { team: "billing" }, { "bad key": "x" }, { team: 1 }, { team: long(257) }, Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"])), ["x"]],
  expiresAt: ["2027-01-31T00:00:00Z", "2027-01-31T00:00:00.123+02:00", "2027-01-31", "2027-02-30T00:00:00Z", "tomorrow", 1],
  rotation: [{}, { trigger: "2026-11", gracePeriod: "24h" }, { automaticallyAfterDays: 30 }, { gracePeriod: "31d" }, { automaticallyAfterDays: 0 }, { trigger: "" }, { every: 1 }, "weekly"],
  recoveryWindowInDays: [0, 7, 30, 3, 31, 7.5, "7"],
};

function contractAccepts(property: string, value: unknown): boolean {
  if (property === "recoveryWindowInDays") return !("reason" in recoveryWindowRule(value));
  return !validateKeyFields({ name: "Key", [property]: value }).failures.length;
}

function manifestAccepts(property: string, value: unknown): boolean {
  const declaration = { name: "Key", [property]: value };
  try {
    parseManifest(JSON.stringify({ keys: { k: declaration } }), "keys.json");
    return true;
  } catch {
    return false;
  }
}

describe("keysManifestSchema", () => {
  it("declares exactly the contract's key fields, plus the recovery window", () => {
    expect(Object.keys(keysManifestSchema.definitions.key.properties)).toEqual([...Object.keys(keyFieldRules), "recoveryWindowInDays"]);
  });

  it("carries the contract's limits, so an editor using the schema agrees with the provider", () => {
    const { properties } = keysManifestSchema.definitions.key;
    expect(properties.description.maxLength).toBe(DESCRIPTION_MAX_LENGTH);
    expect(properties.prefix.pattern).toBe(KEY_PREFIX_PATTERN.source);
    expect(properties.status.enum).toEqual(["active", "inactive"]);
    expect(properties.scopes.maxItems).toBe(LIMITS.scopes);
    expect(properties.metadata.maxProperties).toBe(LIMITS.metadataEntries);
    expect(properties.rotation.properties.automaticallyAfterDays.maximum).toBe(LIMITS.automaticallyAfterDays);
  });

  for (const [property, values] of Object.entries(SAMPLES)) {
    it.each(values.map((value) => [JSON.stringify(value).slice(0, 40), value]))(`accepts ${property} %s exactly when the contract does`, (_label, value) => {
      expect(manifestAccepts(property, value)).toBe(contractAccepts(property, value));
    });
  }
});

describe("the README's list of entry properties", () => {
  it("names every property an entry may declare, and no other", () => {
    const readme = fs.readFileSync(path.join(repoRoot(), "README.md"), "utf8");
    const list = /^- Entry properties: ([\s\S]*?)\. Region and functions/m.exec(readme)?.[1] ?? "";
    // Top-level names only: `rotation { trigger, ... }` names rotation.
    const named = list.replace(/\{[^{}]*(\{[^{}]*\}[^{}]*)*\}/g, "").match(/`([A-Za-z]+)/g)?.map((name) => name.slice(1));
    expect(named?.sort()).toEqual([...DECLARATION_PROPERTIES].sort());
  });
});
