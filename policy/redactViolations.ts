import type { Policies, ReportViolation, ResourceValidation, StackValidation } from "@pulumi/policy";
import { redactKeys } from "../contract";

type Policy = Policies[number];

function redacting(report: ReportViolation): ReportViolation {
  return (message, urn) => report(redactKeys(message), urn);
}

/**
 * `policy` with every violation message passed through the contract's redactKeys. Messages quote resource names and
 * declared values, which go to preview output, pull-request comments and policy reports: a name that parses as a
 * key reads there as "[redacted key]".
 */
export function redactViolations(policy: Policy): Policy {
  if ("validateStack" in policy) {
    const validate: StackValidation = policy.validateStack;
    return { ...policy, validateStack: (args, report) => validate(args, redacting(report)) };
  }
  const wrap = (validate: ResourceValidation): ResourceValidation => (args, report) => validate(args, redacting(report));
  const { validateResource } = policy;
  if (!validateResource) return policy;
  return { ...policy, validateResource: Array.isArray(validateResource) ? validateResource.map(wrap) : wrap(validateResource) };
}
