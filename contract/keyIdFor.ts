import { createHash } from "node:crypto";
import { BASE62_ALPHABET } from "./base62";

/** What a keyId looks like: `key_` and 16 base62 characters. */
export const KEY_ID_PATTERN = /^key_[0-9A-Za-z]{16}$/;

/** Pattern of a request token: what a UUID or a similar opaque id looks like. */
export const REQUEST_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * The keyId a create with this request token makes: `key_` and 16 base62 characters of SHA-256(token). Deterministic,
 * so a retried create (or a provider that lost the answer) knows which key and which secret the first attempt made.
 */
export function keyIdFor(requestToken: string): string {
  const digest = createHash("sha256").update(requestToken, "utf8").digest();
  let id = "";
  // 16 characters of 62 from 16 bytes: the modulo bias is irrelevant for an identifier.
  for (let i = 0; i < 16; i++) id += BASE62_ALPHABET[digest[i] % 62];
  return `key_${id}`;
}
