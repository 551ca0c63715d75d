import { KEY_PATTERN } from "../../contract";
import { exampleKeys } from "./exampleKeys";
import { RULE_NAME, type RuleSet } from "./RuleSet";

/** What a GitHub custom pattern's form asks for, and a test string with the matches it must show. */
export interface GitHubPattern {
  name: string;
  secretFormat: string;
  beforeSecret: string;
  afterSecret: string;
  testString: string;
  expectedMatches: string[];
}

// Not a word character: GitHub's default boundaries leave `_` out, ours keep it in, as `\b` does in the other rules.
const NOT_WORD = `[^${KEY_PATTERN.wordCharacter.slice(1)}`;

/** The custom pattern's fields for `rules`, with a test string of example keys and of near misses that must not match. */
export function gitHubPattern(rules: RuleSet): GitHubPattern {
  const keys = rules.prefixes.map((prefix) => exampleKeys(prefix, 1)[0]);
  const [first] = keys;
  const body = first.slice(first.indexOf("_") + 1);
  const unlisted = ["zz", "zzz", "zzzz"].find((prefix) => !rules.prefixes.includes(prefix))!;
  const lines = [
    ...keys.map((key, index) => (index % 2 === 0 ? `APIKEYS_KEY=${key}` : `"token": "${key}",`)),
    `prefix not on the list: ${unlisted}_${body}`,
    `one character short: ${first.slice(0, -1)}`,
    `one character long: ${first}x`,
    `glued to a word: x${first}`,
  ];
  return {
    name: RULE_NAME,
    secretFormat: rules.source,
    beforeSecret: `\\A|${NOT_WORD}`,
    afterSecret: `\\z|${NOT_WORD}`,
    testString: lines.join("\n"),
    expectedMatches: keys,
  };
}

/** {@link gitHubPattern} as the YAML file users copy the fields from. */
export function gitHubPatternFile(rules: RuleSet): string {
  const pattern = gitHubPattern(rules);
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  return [
    `# ${rules.banner}`,
    "#",
    "# A GitHub secret scanning custom pattern (repository, organization or enterprise settings: Advanced Security,",
    "# Custom patterns, New pattern). Copy each field into the field of the same name (before_secret and after_secret",
    "# are under More options) and paste test_string into Test string: it must highlight exactly expected_matches,",
    "# which are example keys no backend issued. GitHub matches the pattern only; it cannot check the checksum.",
    `name: ${pattern.name}`,
    `secret_format: ${quote(pattern.secretFormat)}`,
    `before_secret: ${quote(pattern.beforeSecret)}`,
    `after_secret: ${quote(pattern.afterSecret)}`,
    "test_string: |",
    ...pattern.testString.split("\n").map((line) => `  ${line}`),
    "expected_matches:",
    ...pattern.expectedMatches.map((key) => `  - ${key}`),
    "",
  ].join("\n");
}
