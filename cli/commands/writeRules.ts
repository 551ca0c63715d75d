import fs from "node:fs";
import path from "node:path";
import type { TextOutput } from "../CliContext";
import { ExitCode } from "../ExitCode";
import { ruleSet } from "../rules/RuleSet";
import { PRE_COMMIT_HOOKS_FILE, scannerRules } from "../rules/scannerRules";

/** Options of {@link writeRules}. */
export interface WriteRulesOptions {
  /** The directory the rule files go to. */
  out: string;
  prefixes: string[];
  /** A policy pack config whose `apikey-allowed-prefix.allowedPrefixes` adds prefixes: the scanners know what the policy allows. */
  policyConfig?: string;
  /** Where the pre-commit hook definitions go instead of the output directory (`.pre-commit-hooks.yaml` at a repository's root). */
  hooksFile?: string;
  /** Compare with the files in place instead of writing them: exit 1 when one differs or is missing. */
  check: boolean;
}

/** What {@link writeRules} writes to. */
export interface WriteRulesIo {
  stdout: TextOutput;
}

function allowedPrefixesOf(file: string): string[] {
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`--policy-config ${file}: ${(error as Error).message}`);
  }
  const prefixes = (config as { "apikey-allowed-prefix"?: { allowedPrefixes?: unknown } } | null)?.["apikey-allowed-prefix"]?.allowedPrefixes;
  if (!Array.isArray(prefixes) || !prefixes.every((prefix) => typeof prefix === "string")) {
    throw new Error(`--policy-config ${file}: has no "apikey-allowed-prefix": { "allowedPrefixes": [...] } list of strings`);
  }
  return prefixes;
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * `apikeys rules --out <dir>`: writes every scanner's rule (gitleaks, TruffleHog, detect-secrets, GitHub secret
 * scanning, pre-commit), generated from the key format for the given prefixes; `--check` compares instead, so CI can
 * tell when committed rules no longer match what the format and the prefix list give.
 */
export async function writeRules(options: WriteRulesOptions, io: WriteRulesIo): Promise<ExitCode> {
  const rules = ruleSet([...options.prefixes, ...(options.policyConfig ? allowedPrefixesOf(options.policyConfig) : [])]);
  const files = scannerRules(rules).map((file) => ({
    ...file,
    path: file.name === PRE_COMMIT_HOOKS_FILE && options.hooksFile ? options.hooksFile : path.join(options.out, file.name),
  }));
  const prefixes = `the prefix${rules.prefixes.length === 1 ? "" : "es"} ${rules.prefixes.join(", ")}`;
  if (options.check) {
    const stale = files.filter((file) => readIfPresent(file.path) !== file.text);
    for (const file of stale) io.stdout.write(`${file.path}: ${readIfPresent(file.path) === undefined ? "missing" : "differs from what apikeys rules generates"}\n`);
    if (stale.length) {
      io.stdout.write(`${stale.length} of ${files.length} rule files are not what the key format gives for ${prefixes}; run apikeys rules again without --check.\n`);
      return ExitCode.FINDINGS;
    }
    io.stdout.write(`The ${files.length} rule files match the key format for ${prefixes}.\n`);
    return ExitCode.OK;
  }
  for (const file of files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, file.text);
  }
  io.stdout.write(`Wrote the rules for ${prefixes}:\n${files.map((file) => `  ${file.path}\n`).join("")}`);
  return ExitCode.OK;
}
