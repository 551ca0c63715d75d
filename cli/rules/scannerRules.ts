import { detectSecretsPlugin } from "./detectSecretsPlugin";
import { gitHubPatternFile } from "./githubPattern";
import { gitleaksConfig } from "./gitleaksConfig";
import { preCommitHooks } from "./preCommitHooks";
import type { RuleSet } from "./RuleSet";
import { truffleHogDetectors } from "./truffleHogDetectors";

/** A generated file: its name in the output directory, and its text. */
export interface RuleFile {
  name: string;
  text: string;
}

/** The file name of the pre-commit hook definitions, which pre-commit reads at a repository's root as `.pre-commit-hooks.yaml`. */
export const PRE_COMMIT_HOOKS_FILE = "pre-commit-hooks.yaml";

/** Every scanner's rule for `rules`, one file each. */
export function scannerRules(rules: RuleSet): RuleFile[] {
  return [
    { name: "gitleaks.toml", text: gitleaksConfig(rules) },
    { name: "trufflehog.yaml", text: truffleHogDetectors(rules) },
    { name: "apikeys_detector.py", text: detectSecretsPlugin(rules) },
    { name: "github-secret-scanning.yml", text: gitHubPatternFile(rules) },
    { name: PRE_COMMIT_HOOKS_FILE, text: preCommitHooks(rules) },
  ];
}
