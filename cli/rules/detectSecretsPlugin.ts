import { BASE62_ALPHABET, KEY_CHECKSUM_LENGTH, KEY_RANDOM_LENGTH } from "../../contract";
import { RULE_NAME, type RuleSet } from "./RuleSet";

/**
 * A detect-secrets plugin (a Python module). Unlike the pattern-only rules it checks each match's CRC-32 checksum
 * (zlib's is the same IEEE polynomial), so like `apikeys scan` it reports no string that merely has a key's shape.
 */
export function detectSecretsPlugin(rules: RuleSet): string {
  return `# ${rules.banner}
"""detect-secrets plugin for pulumi-apikeys API keys.

    detect-secrets scan --plugin apikeys_detector.py
    detect-secrets-hook --plugin apikeys_detector.py --baseline .secrets.baseline <files>

Reports only keys whose CRC-32 checksum holds, as \`apikeys scan\` does.
"""
import re
import zlib

from detect_secrets.plugins.base import RegexBasedDetector

BASE62_ALPHABET = "${BASE62_ALPHABET}"
RANDOM_LENGTH = ${KEY_RANDOM_LENGTH}
CHECKSUM_LENGTH = ${KEY_CHECKSUM_LENGTH}


def base62(value, width):
    """value in base62, left-padded with "0" to width characters."""
    digits = ""
    while True:
        digits = BASE62_ALPHABET[value % 62] + digits
        value //= 62
        if value == 0:
            return digits.rjust(width, "0")


def has_valid_checksum(key):
    """True when the last six characters are the CRC-32 of the thirty before them."""
    body = key.rsplit("_", 1)[-1]
    random, checksum = body[:RANDOM_LENGTH], body[RANDOM_LENGTH:]
    return base62(zlib.crc32(random.encode("ascii")), CHECKSUM_LENGTH) == checksum


class ApiKeysDetector(RegexBasedDetector):
    """${RULE_NAME} (prefix ${rules.prefixes.join(", ")})."""

    secret_type = "${RULE_NAME}"
    # re.ASCII: a key is a whole word of ASCII word characters, as in every other rule.
    denylist = (re.compile(r"\\b${rules.source}\\b", re.ASCII),)

    def analyze_string(self, string):
        for match in super().analyze_string(string):
            if has_valid_checksum(match):
                yield match
`;
}
