import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { loadManifest } from "../../manifest";
import { apiKeyPolicies } from "../../policy/apiKeyPolicies";
import { resourceViolations, stackViolations } from "../support/policyHarness";

const NOW = new Date("2026-11-28T00:00:00Z");
const policies = apiKeyPolicies(() => NOW);
const CONFIG: Record<string, Record<string, unknown>> = JSON.parse(fs.readFileSync(path.join(__dirname, "../../policy/config.json"), "utf8"));

/** Every violation the pack reports for the keys of a manifest, under policy/config.json. */
async function violationsOfManifest(file: string): Promise<string[]> {
  const { entries } = loadManifest(file);
  const violations: string[] = [];
  for (const policy of policies) {
    const config = CONFIG[policy.name] ?? {};
    if ("validateStack" in policy) {
      const found = await stackViolations(policy as StackValidationPolicy, entries.map(({ id, declaration }) => ({ name: id, props: { ...declaration } })), config);
      violations.push(...found.map((violation) => `${policy.name}: ${violation.message}`));
    } else {
      for (const { id, declaration } of entries) {
        const found = await resourceViolations(policy as ResourceValidationPolicy, { name: id, props: { ...declaration } }, config);
        violations.push(...found.map((message) => `${policy.name}: ${message}`));
      }
    }
  }
  return violations;
}

describe("the apikeys policy pack", () => {
  it("has the six policies, blocking except the inactive-key review and the rate-limit advice", () => {
    expect(policies.map((policy) => [policy.name, policy.enforcementLevel])).toEqual([
      ["apikey-description-required", "mandatory"],
      ["apikey-owner-required", "mandatory"],
      ["apikey-expiry-or-rotation", "mandatory"],
      ["apikey-allowed-prefix", "mandatory"],
      ["apikey-inactive-review", "advisory"],
      ["apikey-rate-limit-required", "advisory"],
    ]);
  });

  it("is configured by policy/config.json with values each policy's schema accepts", () => {
    const ajv = new Ajv({ strict: false });
    for (const [name, config] of Object.entries(CONFIG)) {
      const policy = policies.find((candidate) => candidate.name === name);
      expect(policy?.configSchema).toBeDefined();
      const validate = ajv.compile({ type: "object", ...policy!.configSchema, additionalProperties: false });
      expect({ name, valid: validate(config), errors: validate.errors ?? null }).toEqual({ name, valid: true, errors: null });
    }
  });

  it("passes every key of infra/keys.yaml, the manifest the workflows deploy", async () => {
    expect(await violationsOfManifest(path.join(__dirname, "../../infra/keys.yaml"))).toEqual([]);
  });

  it("flags the example stack's keys that would not pass an audit", async () => {
    expect(await violationsOfManifest(path.join(__dirname, "../../example/keys.yaml"))).toEqual([
      'apikey-expiry-or-rotation: API key "partner-x" may stay valid longer than 365 days: it has neither an expiry nor a rotation schedule. Set expiresAt within 365 days, or rotation.automaticallyAfterDays of at most 365.',
      'apikey-expiry-or-rotation: API key "billing-service" may stay valid longer than 365 days: it has neither an expiry nor a rotation schedule. Set expiresAt within 365 days, or rotation.automaticallyAfterDays of at most 365.',
      'apikey-expiry-or-rotation: API key "legacy-import" may stay valid longer than 365 days: it has neither an expiry nor a rotation schedule. Set expiresAt within 365 days, or rotation.automaticallyAfterDays of at most 365.',
      'apikey-rate-limit-required: API key "partner-x" has no rateLimit: set rateLimit: { limit, window }, so that one client cannot exhaust the API.',
      'apikey-rate-limit-required: API key "legacy-import" has no rateLimit: set rateLimit: { limit, window }, so that one client cannot exhaust the API.',
    ]);
  });
});
