import { rateLimitRequired } from "../../policy/rateLimitRequired";
import { resourceViolations } from "../support/policyHarness";

const NO_LIMIT = 'API key "partner-x" has no rateLimit: set rateLimit: { limit, window }, so that one client cannot exhaust the API.';

describe("apikey-rate-limit-required", () => {
  it("is advisory", () => {
    expect(rateLimitRequired.enforcementLevel).toBe("advisory");
  });

  it("flags a key without a rateLimit, and passes one with", async () => {
    expect(await resourceViolations(rateLimitRequired, { props: {} })).toEqual([NO_LIMIT]);
    expect(await resourceViolations(rateLimitRequired, { props: { rateLimit: null } })).toEqual([NO_LIMIT]);
    expect(await resourceViolations(rateLimitRequired, { props: { rateLimit: { limit: 100, window: "1m" } } })).toEqual([]);
  });

  it("exempts the prefixes its config names, the default prefix only when named", async () => {
    expect(await resourceViolations(rateLimitRequired, { props: { prefix: "svc" } }, { exemptPrefixes: ["svc"] })).toEqual([]);
    expect(await resourceViolations(rateLimitRequired, { props: {} }, { exemptPrefixes: ["svc"] })).toEqual([NO_LIMIT]);
    expect(await resourceViolations(rateLimitRequired, { props: {} }, { exemptPrefixes: ["ak"] })).toEqual([]);
  });

  it("flags a limit above the configured rate per second, averaged over its window", async () => {
    const config = { maxRequestsPerSecond: 10 };
    expect(await resourceViolations(rateLimitRequired, { props: { rateLimit: { limit: 600, window: "1m" } } }, config)).toEqual([]);
    expect(await resourceViolations(rateLimitRequired, { props: { rateLimit: { limit: 601, window: "1m" } } }, config)).toEqual([
      'API key "partner-x" has a rateLimit of 601 per 1m, 10.02 per second, above the 10 per second allowed.',
    ]);
    // Without the option any limit passes.
    expect(await resourceViolations(rateLimitRequired, { props: { rateLimit: { limit: 1_000_000, window: "1s" } } })).toEqual([]);
  });

  it("leaves other resource types alone", async () => {
    expect(await resourceViolations(rateLimitRequired, { type: "aws:iam/role:Role", props: {} })).toEqual([]);
  });
});
