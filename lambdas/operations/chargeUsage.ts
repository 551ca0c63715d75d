import { CREDIT_ATTRIBUTE_PREFIX, RATE_ATTRIBUTE_PREFIX, VerifyCode, creditEpoch, rateWindow, secondsUntil, type VerifyResult } from "../../contract";
import type { Backend } from "../Backend";
import type { LookupItem, UsageSpend } from "../store/KeyStore";

type Refusal = Extract<VerifyResult, { valid: false }>;

/** What charging a verification came to: refused with a code, or accepted with the balance left. */
export type Charge = { refusal: Refusal } | { creditsRemaining?: number };

// Attributes of windows and epochs that are over, per key, learned from the item each update returns: the next
// update of the key removes them. Bounded, so that a worker that sees many keys does not grow without end.
const staleByKey = new Map<string, string[]>();
const STALE_KEYS_REMEMBERED = 10_000;

function remember(keyId: string, usage: Record<string, unknown>, keep: (string | undefined)[]): void {
  const stale = Object.keys(usage).filter((name) => (name.startsWith(RATE_ATTRIBUTE_PREFIX) || name.startsWith(CREDIT_ATTRIBUTE_PREFIX)) && !keep.includes(name));
  staleByKey.delete(keyId);
  if (!stale.length) return;
  if (staleByKey.size >= STALE_KEYS_REMEMBERED) staleByKey.delete(staleByKey.keys().next().value!);
  staleByKey.set(keyId, stale);
}

/**
 * Spends one rate-limit unit and `cost` credits of the key of `item`, both or neither, in one conditional update of its
 * usage item: no read first, so concurrent verifications cannot both spend the last unit. Only called for a key with a
 * rate limit or credits, after every other check passed. A refusal spends nothing; RATE_LIMITED comes before
 * USAGE_EXCEEDED when both hold.
 */
export async function chargeUsage(backend: Backend, item: LookupItem, cost: number, now: Date): Promise<Charge> {
  const window = item.rateLimit ? rateWindow(item.rateLimit, now) : undefined;
  const epoch = item.credits ? creditEpoch(item.credits, item.creditsSetAt, now) : undefined;
  // The window and epoch before the current ones stay: a worker whose clock is a little behind may still count in them.
  const keep = [window?.attribute, window?.previous, epoch?.attribute, epoch?.previous];
  const spend: UsageSpend = {
    ...(window ? { rate: { attribute: window.attribute, limit: item.rateLimit!.limit } } : {}),
    ...(epoch ? { credits: { attribute: epoch.attribute, start: epoch.start, cost } } : {}),
    stale: (staleByKey.get(item.keyId) ?? []).filter((name) => !keep.includes(name)),
  };
  const outcome = await backend.store.spendUsage(item.keyId, spend);
  remember(item.keyId, outcome.usage, keep);
  if (outcome.spent) return epoch ? { creditsRemaining: outcome.usage[epoch.attribute] as number } : {};
  const used = window ? outcome.usage[window.attribute] : undefined;
  if (window && typeof used === "number" && used >= item.rateLimit!.limit) {
    return { refusal: { valid: false, code: VerifyCode.RATE_LIMITED, keyId: item.keyId, retryAfterSeconds: secondsUntil(window.endsAt, now) } };
  }
  return {
    refusal: { valid: false, code: VerifyCode.USAGE_EXCEEDED, keyId: item.keyId, ...(epoch?.endsAt !== undefined ? { retryAfterSeconds: secondsUntil(epoch.endsAt, now) } : {}) },
  };
}
