import { expiryOrRotation } from "../../policy/expiryOrRotation";
import { resourceViolations } from "../support/policyHarness";

const NOW = new Date("2026-11-28T12:00:00Z");
const policy = expiryOrRotation(() => NOW);

describe("apikey-expiry-or-rotation", () => {
  it("passes a key that expires within the maximum age (365 days by default)", async () => {
    expect(await resourceViolations(policy, { props: { expiresAt: "2027-11-28T12:00:00Z" } })).toEqual([]);
  });

  it("passes a key that rotates on a schedule at least that often, whatever its expiry", async () => {
    expect(await resourceViolations(policy, { props: { rotation: { automaticallyAfterDays: 90 } } })).toEqual([]);
    expect(await resourceViolations(policy, { props: { rotation: { automaticallyAfterDays: 30 }, expiresAt: "2099-01-01T00:00:00Z" } })).toEqual([]);
  });

  it("flags a key with neither an expiry nor a schedule, even with a manual rotation trigger", async () => {
    expect(await resourceViolations(policy, { props: { rotation: { trigger: "2026-11" } } })).toEqual([
      'API key "partner-x" may stay valid longer than 365 days: it has neither an expiry nor a rotation schedule. Set expiresAt within 365 days, or rotation.automaticallyAfterDays of at most 365.',
    ]);
  });

  it("flags an expiry beyond the maximum age", async () => {
    expect(await resourceViolations(policy, { props: { expiresAt: "2027-11-28T12:00:01Z" } })).toEqual([
      'API key "partner-x" may stay valid longer than 365 days: it expires 2027-11-28T12:00:01Z, more than 365 days from now. Set expiresAt within 365 days, or rotation.automaticallyAfterDays of at most 365.',
    ]);
  });

  it("flags a schedule slower than the maximum age", async () => {
    expect(await resourceViolations(policy, { props: { rotation: { automaticallyAfterDays: 400 } } })).toEqual([expect.stringContaining("it rotates only every 400 days")]);
  });

  it("takes the maximum age from the pack's config", async () => {
    const props = { expiresAt: "2027-01-31T00:00:00Z" };
    expect(await resourceViolations(policy, { props }, { maxKeyAgeDays: 30 })).toEqual([expect.stringContaining("longer than 30 days")]);
    expect(await resourceViolations(policy, { props }, { maxKeyAgeDays: 90 })).toEqual([]);
  });

  it("leaves other resource types alone", async () => {
    expect(await resourceViolations(policy, { type: "aws:kms/key:Key", props: {} })).toEqual([]);
  });
});
