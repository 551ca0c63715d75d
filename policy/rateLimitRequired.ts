import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DEFAULT_KEY_PREFIX, parseDuration } from "../contract";
import { apiKeyProps } from "./apiKeyResource";

/** Config of {@link rateLimitRequired}. */
export interface RateLimitRequiredConfig {
  /** Prefixes of keys that need no limit: internal service keys (`svc`), say. */
  exemptPrefixes: string[];
  /** When set, a limit allowing more requests per second than this (averaged over its window) is flagged too. */
  maxRequestsPerSecond?: number;
}

/**
 * Keys handed to callers carry a rate limit, so one leaked or runaway client cannot take the whole API. Advisory by
 * default: a platform team turns it mandatory in its pack's config once its keys have limits.
 */
export const rateLimitRequired: ResourceValidationPolicy = {
  name: "apikey-rate-limit-required",
  description: "Every API key has a rateLimit, except keys with an exempt prefix; optionally at most a number of requests per second.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      exemptPrefixes: { type: "array", items: { type: "string" }, default: [] },
      maxRequestsPerSecond: { type: "number", exclusiveMinimum: 0 },
    },
  },
  validateResource: (args, reportViolation) => {
    const key = apiKeyProps(args);
    if (!key) return;
    const { exemptPrefixes, maxRequestsPerSecond } = args.getConfig<RateLimitRequiredConfig>();
    const prefix = key.prefix ?? DEFAULT_KEY_PREFIX;
    if (exemptPrefixes.includes(prefix)) return;
    const limit = key.rateLimit;
    if (!limit) {
      reportViolation(`API key "${args.name}" has no rateLimit: set rateLimit: { limit, window }, so that one client cannot exhaust the API.`);
      return;
    }
    const seconds = typeof limit.window === "string" ? parseDuration(limit.window) : undefined;
    // An unknown window (a preview's computed value, say) is left to the provider's check.
    if (maxRequestsPerSecond === undefined || !seconds || typeof limit.limit !== "number") return;
    const perSecond = limit.limit / seconds;
    if (perSecond > maxRequestsPerSecond) {
      reportViolation(`API key "${args.name}" has a rateLimit of ${limit.limit} per ${limit.window}, ${Number(perSecond.toFixed(2))} per second, above the ${maxRequestsPerSecond} per second allowed.`);
    }
  },
};
