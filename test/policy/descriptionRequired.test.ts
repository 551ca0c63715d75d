import { descriptionRequired } from "../../policy/descriptionRequired";
import { resourceViolations } from "../support/policyHarness";

describe("apikey-description-required", () => {
  it("passes a key that says what it is for", async () => {
    expect(await resourceViolations(descriptionRequired, { props: { name: "Partner X", description: "Partner X read API" } })).toEqual([]);
  });

  it.each([undefined, "", "   "])("flags a key whose description is %j", async (description) => {
    expect(await resourceViolations(descriptionRequired, { props: { name: "Partner X", description } })).toEqual([
      'API key "partner-x" has no description: say what the key is for and who calls with it.',
    ]);
  });

  it("leaves other resource types alone", async () => {
    expect(await resourceViolations(descriptionRequired, { type: "aws:dynamodb/table:Table", props: {} })).toEqual([]);
  });

  it("blocks the deployment", () => {
    expect(descriptionRequired.enforcementLevel).toBe("mandatory");
  });
});
