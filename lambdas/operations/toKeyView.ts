import type { KeyView } from "../../contract";
import type { KeyRecord } from "../store/KeyStore";

/** The metadata a Lambda may return for a live record. */
export function toKeyView(record: KeyRecord): KeyView {
  if (record.status === "deleted") throw new Error(`toKeyView: key ${record.keyId} is deleted`);
  return {
    keyId: record.keyId,
    name: record.name,
    description: record.description,
    status: record.status,
    prefix: record.prefix,
    maskedKey: record.maskedKey,
    secretArn: record.secretArn,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.lastUsedAt ? { lastUsedAt: record.lastUsedAt } : {}),
    version: record.version,
  };
}
