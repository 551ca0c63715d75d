import { VerifyCode, type VerifyResult } from "../../contract";
import type { LookupItem } from "../store/KeyStore";

/**
 * What verify answers for a value whose lookup item is `item`, at `now`: the one judgement of a value, shared by
 * verify and by the lookup by hash, which must tell whether a value found in a file is live without recording a use.
 */
export function judgeLookup(item: LookupItem, now: Date): VerifyResult {
  if (item.retiresAt && now.getTime() >= Date.parse(item.retiresAt)) return { valid: false, code: VerifyCode.ROTATED_OUT, keyId: item.keyId };
  if (item.status !== "active") return { valid: false, code: VerifyCode.INACTIVE, keyId: item.keyId };
  if (item.notBefore && now.getTime() < Date.parse(item.notBefore)) return { valid: false, code: VerifyCode.NOT_YET_VALID, keyId: item.keyId };
  if (item.expiresAt && now.getTime() >= Date.parse(item.expiresAt)) return { valid: false, code: VerifyCode.EXPIRED, keyId: item.keyId };
  return {
    valid: true,
    code: VerifyCode.VALID,
    keyId: item.keyId,
    name: item.name,
    scopes: item.scopes ?? [],
    metadata: item.metadata ?? {},
    ...(item.expiresAt ? { expiresAt: item.expiresAt } : {}),
  };
}
