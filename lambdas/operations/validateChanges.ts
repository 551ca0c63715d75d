import { IN_PLACE_FIELDS, ValidationError, futureExpiryRule, keyFieldRules, unknownProperties, type RuleOutcome } from "../../contract";
import type { FieldChanges } from "../store/KeyStore";
import { requireValid } from "./requireValid";

// Optional fields an update may clear by sending null.
const CLEARABLE: readonly string[] = ["owner", "expiresAt", "rateLimit", "credits", "notBefore"];

/** Checks and normalizes the in-place changes of an update; `null` clears owner, expiresAt, rateLimit, credits or notBefore. */
export function validateChanges(changes: Record<string, unknown>, now: Date): FieldChanges {
  requireValid(unknownProperties(changes, IN_PLACE_FIELDS));
  const normalized: Record<string, unknown> = {};
  for (const field of IN_PLACE_FIELDS) {
    const value = changes[field];
    if (value === undefined) continue;
    if (value === null) {
      if (!CLEARABLE.includes(field)) throw new ValidationError(field, "cannot be cleared");
      normalized[field] = null;
      continue;
    }
    const outcome = (keyFieldRules[field] as (v: unknown) => RuleOutcome<unknown>)(value);
    if ("reason" in outcome) throw new ValidationError(field, outcome.reason);
    normalized[field] = outcome.value;
  }
  if (typeof normalized.expiresAt === "string") {
    const future = futureExpiryRule(normalized.expiresAt, now);
    if ("reason" in future) throw new ValidationError("expiresAt", future.reason);
  }
  return normalized as FieldChanges;
}
