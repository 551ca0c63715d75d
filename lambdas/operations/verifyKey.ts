import { timingSafeEqual } from "node:crypto";
import { LIMITS, VerifyCode, hashKey, parseKey, type VerifyKeyRequest, type VerifyResult } from "../../contract";
import type { Backend } from "../Backend";
import { log } from "../log";
import { chargeUsage } from "./chargeUsage";
import { judgeLookup } from "./judgeLookup";
import { judgeRequest } from "./judgeRequest";

/** Options of {@link verifyKey}. */
export interface VerifyOptions {
  /** Record the use on lastUsedAt (throttled) and charge the key's counters; off for rotation tests, which are not uses. */
  recordUse?: boolean;
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** True when the request's optional fields have the contract's shapes: otherwise it is MALFORMED, before any read. */
function wellFormed(request: VerifyKeyRequest): boolean {
  const { sourceIp, requiredScopes, cost } = request;
  if (sourceIp !== undefined && typeof sourceIp !== "string") return false;
  if (requiredScopes !== undefined && (!Array.isArray(requiredScopes) || requiredScopes.length > LIMITS.scopes || !requiredScopes.every((scope) => typeof scope === "string"))) return false;
  return cost === undefined || (typeof cost === "number" && Number.isInteger(cost) && cost >= 0 && cost <= LIMITS.credits);
}

/**
 * Checks a key, in the order the README gives: its checksum and the request's shape first (a malformed request costs
 * no read), then one strongly consistent GetItem of the lookup item by hash; the value's own state (rotated out,
 * inactive, not yet valid, expired), then the request against the key (address, scopes), and last, for a key with a
 * rate limit or credits, one conditional update that spends from both. A refusal spends nothing. Every expected
 * outcome is a value; only infrastructure failures throw.
 */
export async function verifyKey(backend: Backend, request: VerifyKeyRequest, options: VerifyOptions = {}): Promise<VerifyResult> {
  const key = request?.key;
  if (typeof key !== "string" || !parseKey(key) || !wellFormed(request)) return { valid: false, code: VerifyCode.MALFORMED };
  const hash = hashKey(key);
  const item = await backend.store.getLookup(hash);
  // The item is addressed by the hash; comparing it again in constant time costs nothing and guards the adapter.
  if (!item || !sameHash(item.hash, hash)) return { valid: false, code: VerifyCode.NOT_FOUND };
  const now = backend.now();
  const result = judgeLookup(item, now);
  if (!result.valid) return result;
  const refusal = judgeRequest(item, { sourceIp: request.sourceIp, requiredScopes: request.requiredScopes ?? [] });
  if (refusal) return refusal;
  const recordUse = options.recordUse ?? true;
  let accepted = result;
  if (recordUse && (item.rateLimit || item.credits)) {
    const charge = await chargeUsage(backend, item, request.cost ?? 1, now);
    if ("refusal" in charge) return charge.refusal;
    if (charge.creditsRemaining !== undefined) accepted = { ...result, creditsRemaining: charge.creditsRemaining };
  }

  const interval = backend.config.lastUsedIntervalSeconds * 1000;
  if (recordUse && (!item.lastUsedAt || Date.parse(item.lastUsedAt) <= now.getTime() - interval)) {
    // A lost write only delays lastUsedAt; it must not turn a good key away.
    await backend.store.touchLastUsed(hash, now.toISOString(), new Date(now.getTime() - interval).toISOString()).catch((error: Error) => {
      log("error", "could not record last use", { operation: "verify", keyId: item.keyId, error: error.name });
    });
  }
  return accepted;
}
