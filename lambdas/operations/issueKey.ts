import {
  createKey,
  futureExpiryRule,
  maskKey,
  randomBase62,
  unknownProperties,
  validateKeyFields,
  VERIFY_FIELDS,
  ValidationError,
  type CreateKeyRequest,
  type KeyView,
} from "../../contract";
import type { Backend } from "../Backend";
import { log } from "../log";
import type { KeyRecord, LookupItem } from "../store/KeyStore";
import { applyRotationSchedule, assertCanSchedule } from "./applyRotationSchedule";
import { requireValid } from "./requireValid";
import { toKeyView } from "./toKeyView";

const CREATE_PROPERTIES = ["name", "description", "status", "prefix", "owner", "scopes", "metadata", "expiresAt", "rotation"] as const;

/** A new key id: not secret, shown in state and logs. */
export function newKeyId(): string {
  return `key_${randomBase62(16)}`;
}

/**
 * Creates a key: the secret first, then the record and lookup item in one transaction.
 * If anything after the secret fails, what was made is removed at once, so a failed create leaves nothing behind.
 */
export async function issueKey(backend: Backend, request: CreateKeyRequest): Promise<KeyView> {
  const input = (request ?? {}) as unknown as Record<string, unknown>;
  requireValid(unknownProperties(input, CREATE_PROPERTIES));
  const { value: fields, failures } = validateKeyFields(input);
  requireValid(failures);
  const expiry = futureExpiryRule(fields!.expiresAt, backend.now());
  if ("reason" in expiry) throw new ValidationError("expiresAt", expiry.reason);
  assertCanSchedule(backend, fields!.rotation.automaticallyAfterDays);

  const keyId = newKeyId();
  const generated = createKey(fields!.prefix);
  const maskedKey = maskKey(generated.key);
  const now = backend.now().toISOString();
  const secret = await backend.secrets.create({
    name: `${backend.config.secretPrefix}${keyId}`,
    value: generated.key,
    description: `API key ${keyId} (${fields!.name})`,
    kmsKeyId: backend.config.kmsKeyId,
    tags: { keyId, "managed-by": "apikeys" },
  });
  const record: KeyRecord = {
    keyId,
    ...fields!,
    hash: generated.hash,
    maskedKey,
    secretArn: secret.arn,
    secretVersionId: secret.versionId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const lookup = { hash: generated.hash, keyId, ...Object.fromEntries(VERIFY_FIELDS.map((field) => [field, fields![field]])) } as LookupItem;
  let written = false;
  try {
    await backend.store.put(record, lookup);
    written = true;
    await applyRotationSchedule(backend, record, undefined);
  } catch (error) {
    if (written) await backend.store.tombstone(keyId, now).catch((cleanup: Error) => log("error", "could not remove the record of a failed create", { keyId, error: cleanup.name }));
    await backend.secrets.scheduleDeletion(secret.arn, 0).catch((cleanup: Error) => {
      log("error", "could not delete the secret of a failed create", { keyId, error: cleanup.name });
    });
    throw error;
  }
  log("info", "key created", { operation: "create", keyId, maskedKey });
  return toKeyView(record);
}
