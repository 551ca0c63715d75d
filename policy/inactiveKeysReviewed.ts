import type { StackValidationPolicy } from "@pulumi/policy";
import { apiKeyProps } from "./apiKeyResource";

/** Config of {@link inactiveKeysReviewed}. */
export interface InactiveKeysReviewedConfig {
  maxInactiveDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Flags keys left inactive for more than `maxInactiveDays`: a paused key that nobody resumes should be deleted.
 * A stack policy, because it needs `updatedAt`, an output: resource policies see only a key's inputs, stack policies
 * see the outputs in state. Keys without `updatedAt` (not created yet) are skipped. `updatedAt` moves with any
 * change of the key, so the count starts again at the last edit.
 */
export function inactiveKeysReviewed(now: () => Date = () => new Date()): StackValidationPolicy {
  return {
    name: "apikey-inactive-review",
    description: "API keys that stay inactive longer than the review period are flagged for deletion or reactivation.",
    enforcementLevel: "advisory",
    configSchema: { properties: { maxInactiveDays: { type: "integer", minimum: 1, default: 90 } } },
    validateStack: (args, reportViolation) => {
      const { maxInactiveDays } = args.getConfig<InactiveKeysReviewedConfig>();
      for (const resource of args.resources) {
        const key = apiKeyProps(resource);
        if (key?.status !== "inactive" || typeof key.updatedAt !== "string") continue;
        const days = Math.floor((now().getTime() - Date.parse(key.updatedAt)) / DAY_MS);
        if (days > maxInactiveDays) {
          reportViolation(`API key "${resource.name}" has been inactive for ${days} days (since ${key.updatedAt}): delete it, or set it active again.`, resource.urn);
        }
      }
    },
  };
}
