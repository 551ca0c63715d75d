import { randomBytes } from "node:crypto";

/** The base62 alphabet: digits, then upper case, then lower case (the order GitHub's tokens use). */
export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Encodes a non-negative integer in base62, left-padded with "0" to `width` characters. */
export function encodeBase62(value: number, width: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`encodeBase62: ${value} is not a non-negative safe integer`);
  let out = "";
  let rest = value;
  do {
    out = BASE62_ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  if (out.length > width) throw new RangeError(`encodeBase62: ${value} needs more than ${width} characters`);
  return out.padStart(width, "0");
}

/**
 * Returns `length` uniformly random base62 characters.
 * Rejection sampling (bytes >= 248 are dropped) keeps every character equally likely; a plain `byte % 62` would not.
 */
export function randomBase62(length: number, random: (size: number) => Buffer = randomBytes): string {
  let out = "";
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte >= 248) continue;
      out += BASE62_ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** True when every character of `text` is in the base62 alphabet. */
export function isBase62(text: string): boolean {
  return /^[0-9A-Za-z]*$/.test(text);
}
