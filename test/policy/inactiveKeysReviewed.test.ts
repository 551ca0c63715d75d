import { inactiveKeysReviewed } from "../../policy/inactiveKeysReviewed";
import { stackViolations } from "../support/policyHarness";

const NOW = new Date("2026-11-28T00:00:00Z");
const policy = inactiveKeysReviewed(() => NOW);

describe("apikey-inactive-review", () => {
  it("flags a key inactive for longer than the review period (90 days by default), naming it by URN", async () => {
    expect(await stackViolations(policy, [{ name: "legacy-import", props: { status: "inactive", updatedAt: "2026-08-01T00:00:00Z" } }])).toEqual([
      {
        message: 'API key "legacy-import" has been inactive for 119 days (since 2026-08-01T00:00:00Z): delete it, or set it active again.',
        urn: "urn:pulumi:test::apikeys-backend::pulumi-nodejs:dynamic/apikeys:ApiKey::legacy-import",
      },
    ]);
  });

  it("passes keys inactive for a shorter time, active keys, and keys not created yet", async () => {
    const resources = [
      { name: "paused", props: { status: "inactive", updatedAt: "2026-09-15T00:00:00Z" } },
      { name: "busy", props: { status: "active", updatedAt: "2020-01-01T00:00:00Z" } },
      { name: "new", props: { status: "inactive" } },
    ];
    expect(await stackViolations(policy, resources)).toEqual([]);
  });

  it("takes the review period from the pack's config, and only looks at ApiKeys", async () => {
    const paused = { name: "paused", props: { status: "inactive", updatedAt: "2026-09-15T00:00:00Z" } };
    const table = { name: "table", type: "aws:dynamodb/table:Table", props: { status: "inactive", updatedAt: "2020-01-01T00:00:00Z" } };
    expect(await stackViolations(policy, [paused, table], { maxInactiveDays: 30 })).toEqual([expect.objectContaining({ urn: expect.stringMatching(/::paused$/) })]);
  });

  it("advises rather than blocks", () => {
    expect(policy.enforcementLevel).toBe("advisory");
  });
});
