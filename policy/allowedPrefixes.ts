import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DEFAULT_KEY_PREFIX } from "../contract";
import { apiKeyProps } from "./apiKeyResource";

/** Config of {@link allowedPrefixes}. */
export interface AllowedPrefixesConfig {
  allowedPrefixes: string[];
}

/** Keys use the prefixes secret scanners are set up for, so a leaked key is recognised wherever it turns up. */
export const allowedPrefixes: ResourceValidationPolicy = {
  name: "apikey-allowed-prefix",
  description: "Every API key uses a prefix from the allowed list (the prefixes secret scanning knows).",
  enforcementLevel: "mandatory",
  configSchema: { properties: { allowedPrefixes: { type: "array", items: { type: "string" }, minItems: 1, default: [DEFAULT_KEY_PREFIX] } } },
  validateResource: (args, reportViolation) => {
    const key = apiKeyProps(args);
    if (!key) return;
    const { allowedPrefixes: allowed } = args.getConfig<AllowedPrefixesConfig>();
    const prefix = key.prefix ?? DEFAULT_KEY_PREFIX;
    if (!allowed.includes(prefix)) {
      reportViolation(`API key "${args.name}" uses the prefix "${prefix}", which is not allowed (allowed: ${allowed.map((p) => `"${p}"`).join(", ")}).`);
    }
  },
};
