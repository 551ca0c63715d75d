import type { ResourceValidationPolicy } from "@pulumi/policy";
import { apiKeyProps, isFilled } from "./apiKeyResource";

/** Every key names who answers for it: the team to ask before it is rotated, paused or deleted. */
export const ownerRequired: ResourceValidationPolicy = {
  name: "apikey-owner-required",
  description: "Every API key names its owner, the team or person responsible for it.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const key = apiKeyProps(args);
    if (key && !isFilled(key.owner)) reportViolation(`API key "${args.name}" has no owner: name the team or person responsible for it.`);
  },
};
