import type { KeyView } from "../../contract";
import type { KeyRecord } from "../store/KeyStore";

/** The metadata a Lambda may return for a live record; `creditsRemaining` is the live balance of a key with credits. */
export function toKeyView(record: KeyRecord, lastUsedAt?: string, creditsRemaining?: number): KeyView {
  if (record.status === "deleted") throw new Error(`toKeyView: key ${record.keyId} is deleted`);
  const view: KeyView = {
    keyId: record.keyId,
    name: record.name,
    description: record.description,
    status: record.status,
    prefix: record.prefix,
    scopes: record.scopes ?? [],
    metadata: record.metadata ?? {},
    rotation: record.rotation ?? {},
    allowedCidrs: record.allowedCidrs ?? [],
    maskedKey: record.maskedKey,
    secretArn: record.secretArn,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    version: record.version,
  };
  // Absent optional fields stay absent, so that Pulumi shows no empty values in diffs.
  if (record.owner) view.owner = record.owner;
  if (record.expiresAt) view.expiresAt = record.expiresAt;
  if (record.rotatedAt) view.rotatedAt = record.rotatedAt;
  if (lastUsedAt) view.lastUsedAt = lastUsedAt;
  if (record.rateLimit) view.rateLimit = record.rateLimit;
  if (record.notBefore) view.notBefore = record.notBefore;
  if (record.credits) {
    view.credits = record.credits;
    view.creditsRemaining = creditsRemaining ?? record.credits.remaining;
  }
  return view;
}
