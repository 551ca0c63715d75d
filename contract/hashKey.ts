import { createHash } from "node:crypto";

/**
 * SHA-256 of the whole key (prefix included), hex encoded.
 * Keys carry >= 160 random bits, so a fast unsalted hash is enough: there is nothing to brute-force,
 * and a deterministic hash is what lets verify find a key with one GetItem.
 */
export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** What {@link hashKey} returns: 64 lower-case hex digits. */
export const KEY_HASH_PATTERN = /^[0-9a-f]{64}$/;
