import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { REDACTED_KEY, createKey } from "../../contract";
import { apiKeyPolicies } from "../../policy/apiKeyPolicies";
import { descriptionRequired } from "../../policy/descriptionRequired";
import { inactiveKeysReviewed } from "../../policy/inactiveKeysReviewed";
import { redactViolations } from "../../policy/redactViolations";
import { resourceViolations, stackViolations } from "../support/policyHarness";

const NOW = new Date("2026-11-28T00:00:00Z");
// A key every policy objects to: no description, owner, expiry or limit, a prefix not allowed, inactive for a year.
const NAMED_BY_A_KEY = { name: createKey("ak").key, props: { name: "Leaky", status: "inactive", prefix: "zz", updatedAt: "2025-11-01T00:00:00Z" } };

async function messagesOf(policy: ResourceValidationPolicy | StackValidationPolicy): Promise<string[]> {
  if ("validateStack" in policy) return (await stackViolations(policy, [NAMED_BY_A_KEY])).map((violation) => violation.message);
  return resourceViolations(policy, NAMED_BY_A_KEY, { allowedPrefixes: ["ak"] });
}

describe("redactViolations", () => {
  it("sees the key in a message of the policy as written, so the check below can fail", async () => {
    expect((await messagesOf(descriptionRequired)).join("\n")).toContain(NAMED_BY_A_KEY.name);
    expect((await messagesOf(inactiveKeysReviewed(() => NOW))).join("\n")).toContain(NAMED_BY_A_KEY.name);
  });

  it.each(apiKeyPolicies(() => NOW).map((policy) => [policy.name, policy]))("leaves no key in what %s reports, and says where one was", async (_name, policy) => {
    const messages = await messagesOf(policy as ResourceValidationPolicy | StackValidationPolicy);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message).not.toContain(NAMED_BY_A_KEY.name);
      expect(message).toContain(`"${REDACTED_KEY}"`);
    }
  });

  it("keeps the policy's name, level and config schema, and passes the engine's URN through as given", async () => {
    const wrapped = redactViolations(inactiveKeysReviewed(() => NOW)) as StackValidationPolicy;
    expect(wrapped).toMatchObject({ name: "apikey-inactive-review", enforcementLevel: "advisory", configSchema: inactiveKeysReviewed(() => NOW).configSchema });
    const [violation] = await stackViolations(wrapped, [NAMED_BY_A_KEY]);
    expect(violation.urn).toBe(`urn:pulumi:test::apikeys-backend::pulumi-nodejs:dynamic/apikeys:ApiKey::${NAMED_BY_A_KEY.name}`);
  });
});
