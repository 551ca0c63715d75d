import fs from "node:fs";
import path from "node:path";
import { createKey, keyChecksum, randomBase62 } from "../../contract";

/** A key placed in a fixture file, and where. */
export interface PlacedKey {
  key: string;
  /** The file, relative to the fixture directory. */
  file: string;
  line: number;
}

/** Fixture files full of keys, and what a scanner must and must not report. */
export interface KeyFixtures {
  dir: string;
  /** Keys with a listed prefix and a valid checksum: every scanner finds these. */
  keys: PlacedKey[];
  /** Strings of a listed prefix's key shape whose checksum is wrong: pattern-only scanners report them, checksum checks do not. */
  lookalikes: PlacedKey[];
  /** Valid keys whose prefix is not listed: `apikeys scan` finds them, rules made for the list do not. */
  unlisted: PlacedKey[];
  /** Placeholders of a key's shape with almost no entropy: no rule reports them. */
  placeholders: PlacedKey[];
}

/** A string of `key`'s shape whose checksum is wrong. */
export function wrongChecksum(key: string): string {
  const separator = key.lastIndexOf("_");
  const random = key.slice(separator + 1, -6);
  const checksum = keyChecksum(random);
  return `${key.slice(0, separator + 1)}${random}${checksum.slice(0, -1)}${checksum.endsWith("0") ? "1" : "0"}`;
}

// The ways a key ends up in a file: assignments, JSON, YAML, code, URLs, logs, comma-separated lists.
const CONTEXTS: ((key: string) => string)[] = [
  (key) => `API_KEY=${key}`,
  (key) => `  "token": "${key}",`,
  (key) => `apiKey: ${key}`,
  (key) => `const key = '${key}'; // TODO move to the secret`,
  (key) => `GET https://api.example.test/orders?api_key=${key}&page=2`,
  (key) => `2026-11-28T13:34:00Z INFO authorised with ${key} from 10.0.0.1`,
  (key) => `Authorization: Bearer ${key}`,
  (key) => `${key}`,
];

/**
 * Writes `perPrefix` random keys of each prefix, as many look-alikes, a few keys of an unlisted prefix and a few
 * placeholders into files of several kinds under `dir`, some lines holding two keys separated by one comma.
 */
export function writeKeyFixtures(dir: string, prefixes: readonly string[], perPrefix: number, unlistedPrefix = "zz"): KeyFixtures {
  const files: Record<string, string[]> = { ".env": [], "config/settings.json": [], "deploy/values.yaml": [], "src/client.ts": [], "logs/app.log": [], "keys.csv": [] };
  const names = Object.keys(files);
  const fixtures: KeyFixtures = { dir, keys: [], lookalikes: [], unlisted: [], placeholders: [] };
  let turn = 0;
  const place = (kind: keyof Omit<KeyFixtures, "dir">, key: string) => {
    const file = names[turn % names.length];
    const lines = files[file];
    lines.push(`# line ${lines.length + 1}`, CONTEXTS[turn % CONTEXTS.length](key));
    fixtures[kind].push({ key, file, line: lines.length });
    turn += 1;
  };
  for (const prefix of prefixes) {
    for (let index = 0; index < perPrefix; index++) {
      place("keys", createKey(prefix).key);
      place("lookalikes", wrongChecksum(createKey(prefix).key));
    }
  }
  for (let index = 0; index < 3; index++) place("unlisted", createKey(unlistedPrefix).key);
  for (const prefix of prefixes) place("placeholders", `${prefix}_${"X".repeat(36)}`);
  // Two keys on one line, one comma apart: a rule whose boundary eats a character would miss the second.
  const [first, second] = [createKey(prefixes[0]).key, createKey(prefixes[prefixes.length - 1]).key];
  files["keys.csv"].push(`${first},${second}`);
  fixtures.keys.push({ key: first, file: "keys.csv", line: files["keys.csv"].length }, { key: second, file: "keys.csv", line: files["keys.csv"].length });
  for (const [file, lines] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), `${lines.join("\n")}\n`);
  }
  return fixtures;
}

/** A random prefix of `length` characters that the format allows. */
export function randomPrefix(length: number): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const rest = randomBase62(length * 3).toLowerCase().replace(/[^a-z0-9]/g, "");
  return letters[Math.floor(Math.random() * letters.length)] + rest.slice(0, length - 1);
}

/** `file:line:key` of each placed key, sorted: what two scanners' findings are compared by. */
export function placements(keys: readonly PlacedKey[]): string[] {
  return keys.map(({ file, line, key }) => `${file}:${line}:${key}`).sort();
}
