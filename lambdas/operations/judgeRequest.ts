import { VerifyCode, addressAllowed, missingScopes, type VerifyResult } from "../../contract";
import type { LookupItem } from "../store/KeyStore";

/** What a request asks of a key beyond its value: where it comes from, and which scopes it needs. */
export interface RequestNeeds {
  sourceIp?: string;
  requiredScopes: string[];
}

/**
 * The refusal a request earns from a key that is otherwise good, or undefined: FORBIDDEN from an address outside the
 * key's allowedCidrs (or from no address at all, since then none can be shown to be inside), then INSUFFICIENT_SCOPES.
 */
export function judgeRequest(item: LookupItem, needs: RequestNeeds): Extract<VerifyResult, { valid: false }> | undefined {
  if (item.allowedCidrs?.length && !addressAllowed(item.allowedCidrs, needs.sourceIp)) return { valid: false, code: VerifyCode.FORBIDDEN, keyId: item.keyId };
  if (missingScopes(item.scopes ?? [], needs.requiredScopes).length) return { valid: false, code: VerifyCode.INSUFFICIENT_SCOPES, keyId: item.keyId };
  return undefined;
}
