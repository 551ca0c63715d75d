import { ownerRequired } from "../../policy/ownerRequired";
import { resourceViolations } from "../support/policyHarness";

describe("apikey-owner-required", () => {
  it("passes a key with an owner", async () => {
    expect(await resourceViolations(ownerRequired, { props: { name: "Partner X", owner: "partnerships" } })).toEqual([]);
  });

  it.each([undefined, "", " \t"])("flags a key whose owner is %j", async (owner) => {
    expect(await resourceViolations(ownerRequired, { name: "billing-service", props: { name: "Billing", owner } })).toEqual([
      'API key "billing-service" has no owner: name the team or person responsible for it.',
    ]);
  });

  it("leaves other resource types alone, and blocks the deployment", async () => {
    expect(await resourceViolations(ownerRequired, { type: "aws:lambda/function:Function", props: {} })).toEqual([]);
    expect(ownerRequired.enforcementLevel).toBe("mandatory");
  });
});
