import { VerifyCode } from "../../../contract";
import { issueKey } from "../../../lambdas/operations/issueKey";
import { updateKey } from "../../../lambdas/operations/updateKey";
import { deleteKey } from "../../../lambdas/operations/deleteKey";
import { verifyKey } from "../../../lambdas/operations/verifyKey";
import { rotateKey } from "../../../lambdas/operations/rotateKey";
import { useLocalStack } from "../../support/useLocalStack";
import { useLocalBackend } from "../../support/localBackend";

const aws = useLocalStack();
const backend = useLocalBackend(aws);

async function newKey(fields: Record<string, unknown> = {}) {
  const view = await issueKey(backend, { name: "Verified", ...fields });
  return { view, key: await aws.plaintextOf(view.secretArn) };
}

function reads(): number {
  return backend.calls.GetItemCommand ?? 0;
}

describe("verifyKey", () => {
  it("answers VALID with the key's name, scopes, metadata and expiry", async () => {
    const expiresAt = new Date(backend.now().getTime() + 86_400_000).toISOString();
    const { view, key } = await newKey({ scopes: ["orders:read"], metadata: { team: "payments" }, expiresAt });
    expect(await verifyKey(backend, { key })).toEqual({
      valid: true,
      code: VerifyCode.VALID,
      keyId: view.keyId,
      name: "Verified",
      scopes: ["orders:read"],
      metadata: { team: "payments" },
      expiresAt,
    });
  });

  it.each([
    ["a string that is not a key", "hello"],
    ["a key whose checksum is wrong", "ak_0000000000000000000000000000002C8GjT"],
    ["an empty string", ""],
  ])("answers MALFORMED for %s without reading DynamoDB", async (_what, candidate) => {
    const before = reads();
    expect(await verifyKey(backend, { key: candidate })).toEqual({ valid: false, code: VerifyCode.MALFORMED });
    expect(reads()).toBe(before);
  });

  it("answers MALFORMED for a request without a key", async () => {
    expect(await verifyKey(backend, {} as never)).toEqual({ valid: false, code: VerifyCode.MALFORMED });
  });

  it("answers NOT_FOUND for a well-formed key it never issued, after one read", async () => {
    const before = reads();
    expect(await verifyKey(backend, { key: "ak_0000000000000000000000000000002C8GjS" })).toEqual({ valid: false, code: VerifyCode.NOT_FOUND });
    expect(reads()).toBe(before + 1);
  });

  it("rejects a deactivated key on the very next call, and accepts it again once reactivated", async () => {
    const { view, key } = await newKey();
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.VALID);
    await updateKey(backend, { keyId: view.keyId, changes: { status: "inactive" } });
    expect(await verifyKey(backend, { key })).toEqual({ valid: false, code: VerifyCode.INACTIVE, keyId: view.keyId });
    await updateKey(backend, { keyId: view.keyId, changes: { status: "active" } });
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.VALID);
  });

  it("answers EXPIRED once the expiry has passed", async () => {
    const { view, key } = await newKey({ expiresAt: new Date(backend.now().getTime() + 60_000).toISOString() });
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.VALID);
    backend.advance(60_000);
    expect(await verifyKey(backend, { key })).toEqual({ valid: false, code: VerifyCode.EXPIRED, keyId: view.keyId });
  });

  it("answers NOT_FOUND for a deleted key on the very next call", async () => {
    const { view, key } = await newKey();
    await deleteKey(backend, { keyId: view.keyId, recoveryWindowInDays: 7 });
    expect(await verifyKey(backend, { key })).toEqual({ valid: false, code: VerifyCode.NOT_FOUND });
  });

  it("keeps the old value valid during the grace period after a rotation, then answers ROTATED_OUT", async () => {
    const { view, key: oldKey } = await newKey({ rotation: { gracePeriod: "1h" } });
    const rotated = await rotateKey(backend, (await backend.store.get(view.keyId))!, { trigger: "2026-11", gracePeriod: "1h" });
    const newKeyValue = await aws.plaintextOf(view.secretArn);
    expect(newKeyValue).not.toBe(oldKey);
    expect(rotated.maskedKey).not.toBe(view.maskedKey);

    expect((await verifyKey(backend, { key: oldKey })).code).toBe(VerifyCode.VALID);
    expect((await verifyKey(backend, { key: newKeyValue })).code).toBe(VerifyCode.VALID);
    backend.advance(3_600_000);
    expect(await verifyKey(backend, { key: oldKey })).toEqual({ valid: false, code: VerifyCode.ROTATED_OUT, keyId: view.keyId });
    expect((await verifyKey(backend, { key: newKeyValue })).code).toBe(VerifyCode.VALID);
  });

  it("records last use at most once a minute per key", async () => {
    const { view, key } = await newKey();
    const writes = () => backend.calls.UpdateItemCommand ?? 0;
    const before = writes();
    await verifyKey(backend, { key });
    const first = (await aws.getLookup((await backend.store.get(view.keyId))!.hash!))!.lastUsedAt;
    expect(first).toBe(backend.now().toISOString());
    for (let i = 0; i < 5; i++) {
      backend.advance(10_000);
      await verifyKey(backend, { key });
    }
    expect(writes()).toBe(before + 1);
    backend.advance(10_000);
    await verifyKey(backend, { key });
    expect(writes()).toBe(before + 2);
    expect((await aws.getLookup((await backend.store.get(view.keyId))!.hash!))!.lastUsedAt).toBe(backend.now().toISOString());
  });

  it("does not record a use for an invalid key", async () => {
    const { view, key } = await newKey({ status: "inactive" });
    const before = backend.calls.UpdateItemCommand ?? 0;
    await verifyKey(backend, { key });
    expect(backend.calls.UpdateItemCommand ?? 0).toBe(before);
    expect((await aws.getLookup((await backend.store.get(view.keyId))!.hash!))!.lastUsedAt).toBeUndefined();
  });
});

describe("verifyKey checking the request against the key", () => {
  it("answers NOT_YET_VALID before notBefore, and VALID from that instant on", async () => {
    const notBefore = new Date(backend.now().getTime() + 60_000).toISOString();
    const { view, key } = await newKey({ notBefore });
    expect(await verifyKey(backend, { key })).toEqual({ valid: false, code: VerifyCode.NOT_YET_VALID, keyId: view.keyId });
    backend.advance(59_999);
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.NOT_YET_VALID);
    backend.advance(1);
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.VALID);
  });

  it("answers INACTIVE before NOT_YET_VALID, and NOT_YET_VALID before FORBIDDEN", async () => {
    const notBefore = new Date(backend.now().getTime() + 60_000).toISOString();
    const { view, key } = await newKey({ notBefore, status: "inactive", allowedCidrs: ["10.0.0.0/8"] });
    expect((await verifyKey(backend, { key, sourceIp: "192.0.2.1" })).code).toBe(VerifyCode.INACTIVE);
    await updateKey(backend, { keyId: view.keyId, changes: { status: "active" } });
    expect((await verifyKey(backend, { key, sourceIp: "192.0.2.1" })).code).toBe(VerifyCode.NOT_YET_VALID);
  });

  it("answers FORBIDDEN from an address outside allowedCidrs, and without an address, for IPv4 and IPv6", async () => {
    const { view, key } = await newKey({ allowedCidrs: ["203.0.113.7/32", "2001:db8::/32"] });
    expect(await verifyKey(backend, { key, sourceIp: "203.0.113.8" })).toEqual({ valid: false, code: VerifyCode.FORBIDDEN, keyId: view.keyId });
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.FORBIDDEN);
    expect((await verifyKey(backend, { key, sourceIp: "not an address" })).code).toBe(VerifyCode.FORBIDDEN);
    expect((await verifyKey(backend, { key, sourceIp: "2001:db9::1" })).code).toBe(VerifyCode.FORBIDDEN);
    expect((await verifyKey(backend, { key, sourceIp: "203.0.113.7" })).code).toBe(VerifyCode.VALID);
    expect((await verifyKey(backend, { key, sourceIp: "::ffff:203.0.113.7" })).code).toBe(VerifyCode.VALID);
    expect((await verifyKey(backend, { key, sourceIp: "2001:db8:ffff::1" })).code).toBe(VerifyCode.VALID);
  });

  it("accepts any address of its family with /0", async () => {
    const { key } = await newKey({ allowedCidrs: ["0.0.0.0/0"] });
    expect((await verifyKey(backend, { key, sourceIp: "198.51.100.1" })).code).toBe(VerifyCode.VALID);
    expect((await verifyKey(backend, { key, sourceIp: "2001:db8::1" })).code).toBe(VerifyCode.FORBIDDEN);
  });

  it("answers INSUFFICIENT_SCOPES unless the key holds every required scope, wildcards as scopeGrants defines them", async () => {
    const { view, key } = await newKey({ scopes: ["orders:*", "billing:read"] });
    expect((await verifyKey(backend, { key, requiredScopes: ["orders:read", "billing:read"] })).code).toBe(VerifyCode.VALID);
    expect(await verifyKey(backend, { key, requiredScopes: ["orders:read", "billing:write"] })).toEqual({ valid: false, code: VerifyCode.INSUFFICIENT_SCOPES, keyId: view.keyId });
    const { key: admin } = await newKey({ scopes: ["*"] });
    expect((await verifyKey(backend, { key: admin, requiredScopes: ["billing:write", "users:delete"] })).code).toBe(VerifyCode.VALID);
    const { key: none } = await newKey();
    expect((await verifyKey(backend, { key: none, requiredScopes: ["orders:read"] })).code).toBe(VerifyCode.INSUFFICIENT_SCOPES);
  });

  it("answers FORBIDDEN before INSUFFICIENT_SCOPES", async () => {
    const { key } = await newKey({ allowedCidrs: ["10.0.0.0/8"] });
    expect((await verifyKey(backend, { key, sourceIp: "192.0.2.1", requiredScopes: ["orders:read"] })).code).toBe(VerifyCode.FORBIDDEN);
  });

  it.each([
    ["requiredScopes that are a string", { requiredScopes: "orders:read" }],
    ["a cost below 0", { cost: -1 }],
    ["a fractional cost", { cost: 0.5 }],
    ["a sourceIp that is a number", { sourceIp: 167772161 }],
  ])("answers MALFORMED for %s, without reading DynamoDB", async (_what, extra) => {
    const { key } = await newKey();
    const before = reads();
    expect(await verifyKey(backend, { key, ...(extra as object) })).toEqual({ valid: false, code: VerifyCode.MALFORMED });
    expect(reads()).toBe(before);
  });
});

describe("verifyKey counting against rate limits and credits", () => {
  const writes = () => backend.calls.UpdateItemCommand ?? 0;

  /** Puts the clock at an instant, so that windows and refills start where a test needs them. */
  function at(iso: string) {
    backend.setNow(new Date(iso));
  }

  it("admits limit verifications per window, then answers RATE_LIMITED with the seconds to the next window", async () => {
    at("2031-03-04T10:00:00.000Z");
    const { view, key } = await newKey({ rateLimit: { limit: 3, window: "1m" } });
    for (let i = 0; i < 3; i++) expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.VALID);
    at("2031-03-04T10:00:45.500Z");
    expect(await verifyKey(backend, { key })).toEqual({ valid: false, code: VerifyCode.RATE_LIMITED, keyId: view.keyId, retryAfterSeconds: 15 });
    at("2031-03-04T10:00:59.999Z");
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.RATE_LIMITED);
    at("2031-03-04T10:01:00.000Z");
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.VALID);
  });

  it("spends credits by the request's cost, 1 by default, and answers USAGE_EXCEEDED when they cannot pay", async () => {
    at("2031-03-04T10:00:00.000Z");
    const { view, key } = await newKey({ credits: { remaining: 5 } });
    expect(await verifyKey(backend, { key })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 4 });
    expect(await verifyKey(backend, { key, cost: 3 })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 1 });
    expect(await verifyKey(backend, { key, cost: 2 })).toEqual({ valid: false, code: VerifyCode.USAGE_EXCEEDED, keyId: view.keyId });
    expect(await verifyKey(backend, { key, cost: 0 })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 1 });
    expect(await verifyKey(backend, { key })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 0 });
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.USAGE_EXCEEDED);
  });

  it("refuses a first cost larger than the whole balance without spending anything", async () => {
    const { key } = await newKey({ credits: { remaining: 2 } });
    expect((await verifyKey(backend, { key, cost: 3 })).code).toBe(VerifyCode.USAGE_EXCEEDED);
    expect(await verifyKey(backend, { key, cost: 2 })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 0 });
  });

  it("refills daily at the UTC day boundary, to the refill amount", async () => {
    at("2031-03-04T23:59:59.000Z");
    const { view, key } = await newKey({ credits: { remaining: 1, refill: { amount: 2, interval: "daily" } } });
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.VALID);
    expect(await verifyKey(backend, { key })).toEqual({ valid: false, code: VerifyCode.USAGE_EXCEEDED, keyId: view.keyId, retryAfterSeconds: 1 });
    at("2031-03-05T00:00:00.000Z");
    expect(await verifyKey(backend, { key })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 1 });
    expect(await verifyKey(backend, { key })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 0 });
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.USAGE_EXCEEDED);
  });

  it("refills monthly at the UTC month boundary, across a short February", async () => {
    at("2031-02-28T23:59:59.999Z");
    const { key } = await newKey({ credits: { remaining: 0, refill: { amount: 1, interval: "monthly" } } });
    expect(await verifyKey(backend, { key })).toMatchObject({ code: VerifyCode.USAGE_EXCEEDED, retryAfterSeconds: 1 });
    at("2031-03-01T00:00:00.000Z");
    expect(await verifyKey(backend, { key })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 0 });
    at("2031-03-31T23:59:59.000Z");
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.USAGE_EXCEEDED);
    at("2031-04-01T00:00:00.000Z");
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.VALID);
  });

  it("resets the balance to the declared remaining when the credits change, and reports the live balance on read", async () => {
    const { view, key } = await newKey({ credits: { remaining: 2 } });
    await verifyKey(backend, { key });
    await verifyKey(backend, { key });
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.USAGE_EXCEEDED);
    expect((await updateKey(backend, { keyId: view.keyId, changes: { description: "unrelated" } })).creditsRemaining).toBe(0);
    backend.advance(1);
    expect((await updateKey(backend, { keyId: view.keyId, changes: { credits: { remaining: 10 } } })).creditsRemaining).toBe(10);
    expect(await verifyKey(backend, { key })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 9 });
  });

  it("answers RATE_LIMITED before USAGE_EXCEEDED, and a refusal spends neither", async () => {
    at("2031-03-04T10:00:00.000Z");
    const { key } = await newKey({ rateLimit: { limit: 2, window: "1h" }, credits: { remaining: 1 } });
    expect(await verifyKey(backend, { key })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 0 });
    // Credits refuse: the rate-limit unit is not spent either, so the window still has one left.
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.USAGE_EXCEEDED);
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.USAGE_EXCEEDED);
    expect((await verifyKey(backend, { key, cost: 0 })).code).toBe(VerifyCode.VALID);
    expect((await verifyKey(backend, { key, cost: 0 })).code).toBe(VerifyCode.RATE_LIMITED);
  });

  it("spends nothing on a request refused before the counters", async () => {
    const { key } = await newKey({ credits: { remaining: 1 }, scopes: ["orders:read"] });
    const before = writes();
    expect((await verifyKey(backend, { key, requiredScopes: ["billing:read"] })).code).toBe(VerifyCode.INSUFFICIENT_SCOPES);
    expect(writes()).toBe(before);
    expect(await verifyKey(backend, { key })).toMatchObject({ code: VerifyCode.VALID, creditsRemaining: 0 });
  });

  it("costs a plain key one read and no write after its first use in a minute, and a limited key one more write", async () => {
    const { key: plain } = await newKey();
    await verifyKey(backend, { key: plain });
    const [readsBefore, writesBefore] = [reads(), writes()];
    await verifyKey(backend, { key: plain });
    expect([reads() - readsBefore, writes() - writesBefore]).toEqual([1, 0]);
    const { key: limited } = await newKey({ rateLimit: { limit: 100, window: "1h" }, credits: { remaining: 100 } });
    await verifyKey(backend, { key: limited });
    const [limitedReads, limitedWrites] = [reads(), writes()];
    await verifyKey(backend, { key: limited });
    expect([reads() - limitedReads, writes() - limitedWrites]).toEqual([1, 1]);
  });

  it("removes the counters of windows that are over from the usage item", async () => {
    at("2031-03-04T10:00:00.000Z");
    const { view, key } = await newKey({ rateLimit: { limit: 100, window: "1s" } });
    for (let second = 0; second < 6; second++) {
      backend.advance(1000);
      await verifyKey(backend, { key });
    }
    const usage = await backend.store.getUsage(view.keyId);
    expect(Object.keys(usage!).filter((name) => name.startsWith("rate_")).length).toBeLessThanOrEqual(3);
  });

  it("keeps the usage item of a deleted key, so that a verification under way cannot spend a fresh balance", async () => {
    const { view, key } = await newKey({ credits: { remaining: 1 } });
    await verifyKey(backend, { key });
    await deleteKey(backend, { keyId: view.keyId, recoveryWindowInDays: 0 });
    expect(await backend.store.getUsage(view.keyId)).toMatchObject({ keyId: view.keyId });
    expect((await verifyKey(backend, { key })).code).toBe(VerifyCode.NOT_FOUND);
  });
});
