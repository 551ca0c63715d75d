import fs from "node:fs";
import yaml from "js-yaml";
import type { ApiKeyArgs } from "../provider";

/** One declared key: its resource name and its arguments. */
export interface KeyEntry {
  id: string;
  args: ApiKeyArgs;
}

/** Reads a keys file (`keys:` mapping resource names to ApiKey arguments); the provider's check validates each entry. */
export function loadKeysFile(file: string): KeyEntry[] {
  const document = yaml.load(fs.readFileSync(file, "utf8"), { filename: file }) as { keys?: unknown } | undefined;
  const keys = document?.keys ?? {};
  if (typeof keys !== "object" || keys === null || Array.isArray(keys)) {
    throw new Error(`${file}: "keys" must be a mapping from resource names to key declarations`);
  }
  return Object.entries(keys).map(([id, args]) => {
    if (typeof args !== "object" || args === null || Array.isArray(args)) throw new Error(`${file}: keys.${id} must be a mapping`);
    return { id, args: args as ApiKeyArgs };
  });
}
