import type { Policies } from "@pulumi/policy";
import { allowedPrefixes } from "./allowedPrefixes";
import { descriptionRequired } from "./descriptionRequired";
import { expiryOrRotation } from "./expiryOrRotation";
import { inactiveKeysReviewed } from "./inactiveKeysReviewed";
import { ownerRequired } from "./ownerRequired";
import { rateLimitRequired } from "./rateLimitRequired";
import { redactViolations } from "./redactViolations";

/** Every policy of the pack, each reporting with keys redacted; `now` is the clock of the time-based ones. */
export function apiKeyPolicies(now: () => Date = () => new Date()): Policies {
  return [descriptionRequired, ownerRequired, expiryOrRotation(now), allowedPrefixes, inactiveKeysReviewed(now), rateLimitRequired].map(redactViolations);
}
