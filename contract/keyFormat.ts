import { encodeBase62, isBase62, randomBase62 } from "./base62";
import { crc32 } from "./crc32";
import { hashKey } from "./hashKey";

/** Random base62 characters in a key: 30 x log2(62) = 178 bits, above the 160 we promise. */
export const KEY_RANDOM_LENGTH = 30;
/** Base62 characters of CRC-32 checksum at the end of a key (62^6 > 2^32). */
export const KEY_CHECKSUM_LENGTH = 6;
/**
 * The key format as regular-expression parts, in the subset every scanner's dialect shares (Go's RE2 for gitleaks and
 * TruffleHog, Python's re, GitHub's Hyperscan, JavaScript). Every scanner rule, `apikeys scan`, redaction and the
 * prefix check derive from these parts, so no two of them can disagree on what a key looks like.
 */
export const KEY_PATTERN = {
  /** Any prefix the format allows: lower-case and short, what a secret scanner matches on. */
  prefix: "[a-z][a-z0-9]{1,15}",
  separator: "_",
  /** The random part and the checksum. */
  body: `[0-9A-Za-z]{${KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH}}`,
  /** What may not touch a key on either side: a key is a whole word, `\b` in every dialect (ASCII). */
  wordCharacter: "[0-9A-Za-z_]",
} as const;
/** Allowed key prefixes: {@link KEY_PATTERN}'s prefix, anchored. */
export const KEY_PREFIX_PATTERN = new RegExp(`^${KEY_PATTERN.prefix}$`);
/** The prefix used when a declaration names none. */
export const DEFAULT_KEY_PREFIX = "ak";
/** Random characters shown by `start` and masked keys. */
const VISIBLE_RANDOM = 4;

/** A freshly generated key: the plaintext, its hash, and the part that may be shown. */
export interface GeneratedKey {
  /** The plaintext: goes to Secrets Manager only. */
  key: string;
  /** {@link hashKey} of `key`: what DynamoDB stores. */
  hash: string;
  /** The prefix and first random characters, safe to show. */
  start: string;
}

/** The parts of a well-formed key. */
export interface ParsedKey {
  prefix: string;
  random: string;
  checksum: string;
}

/** The checksum of a key's random part: CRC-32 in six base62 characters. */
export function keyChecksum(random: string): string {
  return encodeBase62(crc32(random), KEY_CHECKSUM_LENGTH);
}

/** Generates `<prefix>_<30 random base62><6 base62 CRC-32>`, the scanner-friendly format GitHub uses. */
export function createKey(prefix: string = DEFAULT_KEY_PREFIX, random?: (size: number) => Buffer): GeneratedKey {
  if (!KEY_PREFIX_PATTERN.test(prefix)) throw new RangeError(`createKey: prefix must match ${KEY_PREFIX_PATTERN}`);
  const body = randomBase62(KEY_RANDOM_LENGTH, random);
  const key = `${prefix}_${body}${keyChecksum(body)}`;
  return { key, hash: hashKey(key), start: `${prefix}_${body.slice(0, VISIBLE_RANDOM)}` };
}

/**
 * The regular-expression source of a key with one of `prefixes` (any allowed prefix when none are given), without
 * its word boundaries: each dialect adds them its own way. A prefix outside the format is refused.
 */
export function keySource(prefixes: readonly string[] = []): string {
  const bad = prefixes.find((prefix) => !KEY_PREFIX_PATTERN.test(prefix));
  if (bad !== undefined) throw new RangeError(`keySource: prefix ${JSON.stringify(bad)} must match ${KEY_PREFIX_PATTERN}`);
  // Prefixes are lower-case letters and digits, so they need no escaping; sorted so the same list gives the same rule.
  const prefix = prefixes.length ? `(?:${[...new Set(prefixes)].sort().join("|")})` : KEY_PATTERN.prefix;
  return `${prefix}${KEY_PATTERN.separator}${KEY_PATTERN.body}`;
}

/** Splits a key into its parts, or returns undefined when its shape or checksum is wrong (no I/O needed to reject it). */
export function parseKey(key: string): ParsedKey | undefined {
  if (typeof key !== "string") return undefined;
  const separator = key.lastIndexOf("_");
  if (separator < 0) return undefined;
  const prefix = key.slice(0, separator);
  const tail = key.slice(separator + 1);
  if (!KEY_PREFIX_PATTERN.test(prefix)) return undefined;
  if (tail.length !== KEY_RANDOM_LENGTH + KEY_CHECKSUM_LENGTH || !isBase62(tail)) return undefined;
  const random = tail.slice(0, KEY_RANDOM_LENGTH);
  const checksum = tail.slice(KEY_RANDOM_LENGTH);
  return keyChecksum(random) === checksum ? { prefix, random, checksum } : undefined;
}

/** A key as it may be shown: prefix, four random characters, an ellipsis and the last four characters. */
export function maskKey(key: string): string {
  const parsed = parseKey(key);
  if (!parsed) throw new RangeError("maskKey: not a well-formed key");
  return `${parsed.prefix}_${parsed.random.slice(0, VISIBLE_RANDOM)}…${key.slice(-4)}`;
}
