import { timingSafeEqual } from "node:crypto";
import { VerifyCode, hashKey, parseKey, type VerifyKeyRequest, type VerifyResult } from "../../contract";
import type { Backend } from "../Backend";
import { log } from "../log";
import { judgeLookup } from "./judgeLookup";

/** Options of {@link verifyKey}. */
export interface VerifyOptions {
  /** Record the use on lastUsedAt (throttled); off for rotation tests, which are not uses. */
  recordUse?: boolean;
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks a key: its checksum first (a malformed key costs no read), then one strongly consistent GetItem of the
 * lookup item by hash. Every expected outcome is a value; only infrastructure failures throw.
 */
export async function verifyKey(backend: Backend, request: VerifyKeyRequest, options: VerifyOptions = {}): Promise<VerifyResult> {
  const key = request?.key;
  if (typeof key !== "string" || !parseKey(key)) return { valid: false, code: VerifyCode.MALFORMED };
  const hash = hashKey(key);
  const item = await backend.store.getLookup(hash);
  // The item is addressed by the hash; comparing it again in constant time costs nothing and guards the adapter.
  if (!item || !sameHash(item.hash, hash)) return { valid: false, code: VerifyCode.NOT_FOUND };
  const now = backend.now();
  const result = judgeLookup(item, now);
  if (!result.valid) return result;

  const interval = backend.config.lastUsedIntervalSeconds * 1000;
  if ((options.recordUse ?? true) && (!item.lastUsedAt || Date.parse(item.lastUsedAt) <= now.getTime() - interval)) {
    // A lost write only delays lastUsedAt; it must not turn a good key away.
    await backend.store.touchLastUsed(hash, now.toISOString(), new Date(now.getTime() - interval).toISOString()).catch((error: Error) => {
      log("error", "could not record last use", { operation: "verify", keyId: item.keyId, error: error.name });
    });
  }
  return result;
}
