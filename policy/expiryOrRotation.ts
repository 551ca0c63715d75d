import type { ResourceValidationPolicy } from "@pulumi/policy";
import { apiKeyProps } from "./apiKeyResource";

/** Config of {@link expiryOrRotation}. */
export interface ExpiryOrRotationConfig {
  /** The longest a key value may stay valid: its expiry at most this far ahead, or a rotation at least this often. */
  maxKeyAgeDays: number;
}

const DAY_MS = 86_400_000;

/**
 * No key value lives forever: the key expires within `maxKeyAgeDays` of now, or Secrets Manager rotates it at least
 * that often. A manual `rotation.trigger` alone does not count: nothing makes anyone change it.
 */
export function expiryOrRotation(now: () => Date = () => new Date()): ResourceValidationPolicy {
  return {
    name: "apikey-expiry-or-rotation",
    description: "Every API key expires within the maximum key age, or rotates on a schedule at least that often.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { maxKeyAgeDays: { type: "integer", minimum: 1, default: 365 } } },
    validateResource: (args, reportViolation) => {
      const key = apiKeyProps(args);
      if (!key) return;
      const { maxKeyAgeDays } = args.getConfig<ExpiryOrRotationConfig>();
      const every = key.rotation?.automaticallyAfterDays;
      if (typeof every === "number" && every <= maxKeyAgeDays) return;
      const expiry = typeof key.expiresAt === "string" ? Date.parse(key.expiresAt) : NaN;
      if (!Number.isNaN(expiry) && expiry <= now().getTime() + maxKeyAgeDays * DAY_MS) return;
      const found =
        typeof every === "number"
          ? `it rotates only every ${every} days`
          : Number.isNaN(expiry)
            ? "it has neither an expiry nor a rotation schedule"
            : `it expires ${key.expiresAt}, more than ${maxKeyAgeDays} days from now`;
      reportViolation(
        `API key "${args.name}" may stay valid longer than ${maxKeyAgeDays} days: ${found}. Set expiresAt within ${maxKeyAgeDays} days, or rotation.automaticallyAfterDays of at most ${maxKeyAgeDays}.`,
      );
    },
  };
}
