import { diffApiKey } from "../../../provider/runtime/diffApiKey";
import { UNKNOWN } from "../../../provider/runtime/ApiKeyState";

const FUNCTIONS = { create: "c", read: "r", update: "u", delete: "d" };
const INPUTS = { name: "Swaggy M", description: "Partner X", status: "active", prefix: "ak", region: "us-east-1", functions: FUNCTIONS, recoveryWindowInDays: 7 };
const STATE = { ...INPUTS, keyId: "key_1", maskedKey: "ak_abcd…wxyz", secretArn: "arn", createdAt: "t", updatedAt: "t", version: 1, __provider: "old" };

describe("diffApiKey", () => {
  it("reports no change when the inputs match the state, whatever the provider text", () => {
    expect(diffApiKey(STATE, { ...INPUTS, __provider: "new" })).toEqual({ changes: false, replaces: [], changed: [], deleteBeforeReplace: false });
  });

  it("treats omitted defaults as equal to the written defaults", () => {
    const { description: _d, status: _s, prefix: _p, recoveryWindowInDays: _r, ...sparse } = INPUTS;
    expect(diffApiKey({ ...sparse, description: "" }, sparse).changes).toBe(false);
    expect(diffApiKey(sparse, { ...INPUTS, description: "" }).changes).toBe(false);
  });

  it("treats omitted scopes, metadata and rotation as their empty defaults", () => {
    expect(diffApiKey({ ...STATE, scopes: [], metadata: {}, rotation: {} }, INPUTS).changes).toBe(false);
  });

  it("treats omitted allowedCidrs as none, and absent limits as the nulls the state stores", () => {
    expect(diffApiKey({ ...STATE, allowedCidrs: [], rateLimit: null, credits: null, notBefore: null }, INPUTS).changes).toBe(false);
  });

  it("does not count a live credit balance that moved as a change: it is an output, not drift", () => {
    const credits = { remaining: 100 };
    expect(diffApiKey({ ...STATE, credits, creditsRemaining: 42 }, { ...INPUTS, credits }).changes).toBe(false);
  });

  it("ignores adopt and the audit context, which only a create reads", () => {
    expect(diffApiKey({ ...STATE, adopt: { keyId: "key_0000000000000000" } }, { ...INPUTS, auditContext: { project: "p", stack: "s" } }).changes).toBe(false);
  });

  it("ignores the order of keys inside functions", () => {
    expect(diffApiKey(STATE, { ...INPUTS, functions: { delete: "d", update: "u", read: "r", create: "c" } }).changes).toBe(false);
  });

  it.each([
    ["name", { name: "Other" }],
    ["description", { description: "new purpose" }],
    ["status", { status: "inactive" }],
    ["functions", { functions: { ...FUNCTIONS, read: "r2" } }],
    ["recoveryWindowInDays", { recoveryWindowInDays: 30 }],
    ["owner", { owner: "team-payments" }],
    ["scopes", { scopes: ["orders:read"] }],
    ["metadata", { metadata: { tier: "gold" } }],
    ["expiresAt", { expiresAt: "2999-01-01T00:00:00.000Z" }],
    ["rotation", { rotation: { trigger: "2026-12" } }],
    ["rateLimit", { rateLimit: { limit: 50, window: "1m" } }],
    ["credits", { credits: { remaining: 100, refill: { amount: 100, interval: "daily" } } }],
    ["allowedCidrs", { allowedCidrs: ["10.0.0.0/8"] }],
    ["notBefore", { notBefore: "2999-01-01T00:00:00.000Z" }],
  ])("updates %s in place", (property, change) => {
    expect(diffApiKey(STATE, { ...INPUTS, ...change })).toEqual({ changes: true, replaces: [], changed: [property], deleteBeforeReplace: false });
  });

  it.each([
    ["prefix", { prefix: "pk" }],
    ["region", { region: "eu-west-1" }],
  ])("replaces the key when %s changes", (property, change) => {
    expect(diffApiKey(STATE, { ...INPUTS, ...change })).toEqual({ changes: true, replaces: [property], changed: [property], deleteBeforeReplace: false });
  });

  it("reports a value unknown until apply as a possible change", () => {
    expect(diffApiKey(STATE, { ...INPUTS, prefix: UNKNOWN }).replaces).toEqual(["prefix"]);
    expect(diffApiKey(STATE, { ...INPUTS, functions: { ...FUNCTIONS, update: UNKNOWN } }).changed).toEqual(["functions"]);
  });
});
