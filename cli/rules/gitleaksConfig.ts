import { MIN_ENTROPY, RULE_ID, RULE_NAME, type RuleSet } from "./RuleSet";

/**
 * A gitleaks configuration (TOML) that extends gitleaks' default rules with one rule for our keys: the pattern as a
 * whole word (`\b`, which RE2 reads as ASCII), a keyword per prefix so gitleaks only runs it where one occurs, and an
 * entropy floor that drops placeholders.
 */
export function gitleaksConfig(rules: RuleSet): string {
  return [
    `# ${rules.banner}`,
    "#",
    "#   gitleaks git --config gitleaks.toml            # the repository's history",
    "#   gitleaks dir --config gitleaks.toml <path>     # files",
    "#",
    "# gitleaks cannot check a key's CRC-32 checksum, so it also reports strings of a key's shape whose checksum is",
    "# wrong: no backend issues those. `apikeys scan` reports only keys whose checksum holds.",
    'title = "apikeys"',
    "",
    "[extend]",
    "# gitleaks' own rules too.",
    "useDefault = true",
    "",
    "[[rules]]",
    `id = "${RULE_ID}"`,
    `description = "${RULE_NAME} (prefix ${rules.prefixes.join(", ")})"`,
    `regex = '''\\b${rules.source}\\b'''`,
    `entropy = ${MIN_ENTROPY.toFixed(1)}`,
    `keywords = [${rules.prefixes.map((prefix) => `"${prefix}_"`).join(", ")}]`,
    'tags = ["apikeys", "api-key"]',
    "",
  ].join("\n");
}
