import { RULE_NAME, type RuleSet } from "./RuleSet";

/**
 * pre-commit hook definitions (`.pre-commit-hooks.yaml`, read from the root of a repository that a
 * `.pre-commit-config.yaml` names): `apikeys-scan` runs `apikeys scan` offline on the staged files (checksums checked,
 * no false positives); `apikeys-pattern` is the pattern alone for pre-commit's pygrep, which needs nothing installed.
 */
export function preCommitHooks(rules: RuleSet): string {
  return [
    `# ${rules.banner}`,
    "- id: apikeys-scan",
    `  name: ${RULE_NAME}s (checksum checked)`,
    "  description: Refuses a commit whose files hold an apikeys API key with a valid checksum (apikeys scan, offline).",
    "  entry: apikeys scan --offline",
    "  language: node",
    "  types: [text]",
    "- id: apikeys-pattern",
    `  name: ${RULE_NAME} pattern (prefix ${rules.prefixes.join(", ")})`,
    "  description: Refuses a commit whose files hold a string of an apikeys API key's shape; the pattern only, no checksum.",
    // pygrep compiles the entry as a Python bytes pattern, where \b is ASCII as in the other rules.
    `  entry: '\\b${rules.source}\\b'`,
    "  language: pygrep",
    "  types: [text]",
    "",
  ].join("\n");
}
