import { allowedPrefixes } from "../../policy/allowedPrefixes";
import { resourceViolations } from "../support/policyHarness";

describe("apikey-allowed-prefix", () => {
  it("allows the default prefix, whether declared or left out", async () => {
    expect(await resourceViolations(allowedPrefixes, { props: { prefix: "ak" } })).toEqual([]);
    expect(await resourceViolations(allowedPrefixes, { props: {} })).toEqual([]);
  });

  it("flags a prefix that is not on the list, naming the allowed ones", async () => {
    expect(await resourceViolations(allowedPrefixes, { props: { prefix: "tmp" } })).toEqual(['API key "partner-x" uses the prefix "tmp", which is not allowed (allowed: "ak").']);
  });

  it("takes the list from the pack's config", async () => {
    const config = { allowedPrefixes: ["ak", "svc"] };
    expect(await resourceViolations(allowedPrefixes, { props: { prefix: "svc" } }, config)).toEqual([]);
    expect(await resourceViolations(allowedPrefixes, { props: {} }, { allowedPrefixes: ["svc"] })).toEqual([
      'API key "partner-x" uses the prefix "ak", which is not allowed (allowed: "svc").',
    ]);
  });

  it("leaves other resource types alone", async () => {
    expect(await resourceViolations(allowedPrefixes, { type: "aws:iam/role:Role", props: { prefix: "x" } })).toEqual([]);
  });
});
