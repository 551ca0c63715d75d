import { ConflictError, ValidationError, VerifyCode, type ChangeContext } from "../../contract";
import type { Backend } from "../Backend";
import type { KeyRecord } from "../store/KeyStore";
import { judgeLookup } from "./judgeLookup";
import { rotateKey } from "./rotateKey";

/** What {@link revokeValue} did. */
export interface Revocation {
  record: KeyRecord;
  /** False when the value answered nothing any more (already rotated out, or gone), so nothing had to change. */
  rotated: boolean;
  /** The masked form of the revoked value, when the record knew it (it was the current value). */
  maskedKey?: string;
}

// A revoked current value must be refused at once: no grace.
const NO_GRACE = "0s";

/**
 * Kills the value of `record`'s key whose hash is `hash` at once, through a rotation, the one way the backend replaces
 * a value: the current value rotates out with no grace period; a previous or pending value is dropped by a rotation
 * that gives the current value, which did not leak, its declared grace. The rotation stores the declared settings
 * with the switch (the current value's, with no grace), never a new trigger: the caller puts them back as they were.
 */
export async function revokeValue(backend: Backend, record: KeyRecord, hash: string, context?: ChangeContext): Promise<Revocation> {
  const item = await backend.store.getLookup(hash);
  if (!item) return { record, rotated: false };
  if (item.keyId !== record.keyId) throw new ValidationError("revoke.hash", `is a value of another key than ${record.keyId}`);
  const declared = record.rotation ?? {};
  if (hash === record.hash) return { record: await rotateKey(backend, record, { ...declared, gracePeriod: NO_GRACE }, context), rotated: true, maskedKey: record.maskedKey };
  if (hash !== record.previousHash && hash !== record.pendingHash) {
    throw new ConflictError(`key ${record.keyId} has a lookup item for this value that its record does not name; the table disagrees with itself (see apikeys drift)`);
  }
  if (judgeLookup(item, backend.now()).code === VerifyCode.ROTATED_OUT) return { record, rotated: false };
  return { record: await rotateKey(backend, record, declared, context), rotated: true };
}
