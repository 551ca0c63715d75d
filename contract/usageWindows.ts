import type { Credits, RateLimit } from "./messages";
import { parseDuration } from "./parseDuration";

/**
 * Where a key's counters stand at an instant. A rate limit counts in fixed windows aligned to the epoch (a "1m"
 * window runs from one whole UTC minute to the next); credits count in epochs that start when the declared credits
 * were last set and, with a refill, again at every UTC day or month boundary. Each window or epoch has its own
 * attribute on the key's usage item, so the counter of a new one starts from its own start value in the same atomic
 * update that spends from it: no reset is ever written, and nothing is read first.
 */

/** The rate-limit window at `now`: its attribute name and when it ends. */
export interface RateWindow {
  attribute: string;
  /** The attribute of the window before, kept while clocks of other workers may still be in it. */
  previous: string;
  endsAt: number;
}

/** The credit epoch at `now`: its attribute name, the balance it starts from, and when a refill ends it. */
export interface CreditEpoch {
  attribute: string;
  previous?: string;
  start: number;
  /** When the next refill starts a new epoch; undefined without a refill. */
  endsAt?: number;
}

/** The prefix of every rate-limit window attribute. */
export const RATE_ATTRIBUTE_PREFIX = "rate_";
/** The prefix of every credit epoch attribute. */
export const CREDIT_ATTRIBUTE_PREFIX = "credits_";

/** The window a rate limit counts in at `now`. */
export function rateWindow(rateLimit: RateLimit, now: Date): RateWindow {
  const windowMs = (parseDuration(rateLimit.window) ?? 1) * 1000;
  const index = Math.floor(now.getTime() / windowMs);
  const name = (i: number) => `${RATE_ATTRIBUTE_PREFIX}${windowMs / 1000}_${i}`;
  return { attribute: name(index), previous: name(index - 1), endsAt: (index + 1) * windowMs };
}

/** The UTC day or month of an instant, as a number of days or months since 1970, and when it ends. */
function period(interval: "daily" | "monthly", at: number): { index: number; endsAt: number } {
  if (interval === "daily") {
    const index = Math.floor(at / 86_400_000);
    return { index, endsAt: (index + 1) * 86_400_000 };
  }
  const date = new Date(at);
  const index = (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth();
  return { index, endsAt: Date.UTC(1970, index + 1, 1) };
}

/**
 * The epoch credits count in at `now`, for credits declared (or last changed) at `setAt`. The first epoch starts
 * from `remaining`; each refill boundary after it starts a new one from `refill.amount`.
 */
export function creditEpoch(credits: Credits, setAt: string | undefined, now: Date): CreditEpoch {
  const since = setAt ? Date.parse(setAt) : 0;
  const base = `${CREDIT_ATTRIBUTE_PREFIX}${since}`;
  if (!credits.refill) return { attribute: `${base}_0`, start: credits.remaining };
  const current = period(credits.refill.interval, now.getTime());
  const first = period(credits.refill.interval, since).index;
  return {
    attribute: `${base}_${current.index}`,
    ...(current.index - 1 >= first ? { previous: `${base}_${current.index - 1}` } : {}),
    start: current.index <= first ? credits.remaining : credits.refill.amount,
    endsAt: current.endsAt,
  };
}

/** Seconds from `now` until `endsAt`, at least 1: what a refusal tells the caller to wait. */
export function secondsUntil(endsAt: number, now: Date): number {
  return Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000));
}

/** The live balance of credits, from the key's usage item (undefined when there is none yet). */
export function creditsLeft(credits: Credits, setAt: string | undefined, usage: Record<string, unknown> | undefined, now: Date): number {
  const epoch = creditEpoch(credits, setAt, now);
  const balance = usage?.[epoch.attribute];
  return typeof balance === "number" ? balance : epoch.start;
}
