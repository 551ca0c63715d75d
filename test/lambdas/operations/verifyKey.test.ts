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
