import { MIN_ENTROPY, RULE_NAME, type RuleSet } from "./RuleSet";

/**
 * A TruffleHog custom detector configuration (YAML). TruffleHog needs keywords to decide where to run a custom
 * detector: one per prefix. There is no verification endpoint: verifying would mean sending each key found to a
 * service, and `apikeys scan` tells whether a key is live without sending it anywhere (it looks it up by hash).
 */
export function truffleHogDetectors(rules: RuleSet): string {
  return [
    `# ${rules.banner}`,
    "#",
    "#   trufflehog filesystem --config trufflehog.yaml --no-verification <path>",
    "#   trufflehog git --config trufflehog.yaml --no-verification file://<repository>",
    "#",
    "# TruffleHog cannot check a key's CRC-32 checksum, so it also reports strings of a key's shape whose checksum is",
    "# wrong; `apikeys scan` reports only keys whose checksum holds.",
    "detectors:",
    `  - name: ${RULE_NAME}`,
    `    description: API keys of the pulumi-apikeys format with the prefix ${rules.prefixes.join(", ")}`,
    "    keywords:",
    ...rules.prefixes.map((prefix) => `      - ${prefix}_`),
    "    regex:",
    // Single-quoted YAML takes backslashes literally; the one group is the key.
    `      key: '\\b(${rules.source})\\b'`,
    `    entropy: ${MIN_ENTROPY}`,
    "",
  ].join("\n");
}
