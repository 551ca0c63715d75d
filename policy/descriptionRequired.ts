import type { ResourceValidationPolicy } from "@pulumi/policy";
import { apiKeyProps, isFilled } from "./apiKeyResource";

/** Every key says what it is for: a reviewer cannot judge a key nobody can explain. */
export const descriptionRequired: ResourceValidationPolicy = {
  name: "apikey-description-required",
  description: "Every API key has a description saying what it is for.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const key = apiKeyProps(args);
    if (key && !isFilled(key.description)) reportViolation(`API key "${args.name}" has no description: say what the key is for and who calls with it.`);
  },
};
