import { createKey, maskKey, randomBase62, unknownProperties, validateKeyFields, type CreateKeyRequest, type KeyView } from "../../contract";
import type { Backend } from "../Backend";
import { log } from "../log";
import { requireValid } from "./requireValid";
import { toKeyView } from "./toKeyView";

const CREATE_PROPERTIES = ["name", "description", "status", "prefix"] as const;

/** A new key id: not secret, shown in state and logs. */
export function newKeyId(): string {
  return `key_${randomBase62(16)}`;
}

/**
 * Creates a key: the secret first, then the record and lookup item in one transaction.
 * If the transaction fails the secret is deleted at once, so a failed create leaves nothing behind.
 */
export async function issueKey(backend: Backend, request: CreateKeyRequest): Promise<KeyView> {
  const input = (request ?? {}) as unknown as Record<string, unknown>;
  requireValid(unknownProperties(input, CREATE_PROPERTIES));
  const { value: fields, failures } = validateKeyFields(input);
  requireValid(failures);

  const keyId = newKeyId();
  const generated = createKey(fields!.prefix);
  const maskedKey = maskKey(generated.key);
  const now = backend.now().toISOString();
  const secretArn = await backend.secrets.create({
    name: `${backend.config.secretPrefix}${keyId}`,
    value: generated.key,
    description: `API key ${keyId} (${fields!.name})`,
    kmsKeyId: backend.config.kmsKeyId,
    tags: { keyId, "managed-by": "apikeys" },
  });
  const record = { keyId, ...fields!, hash: generated.hash, maskedKey, secretArn, createdAt: now, updatedAt: now, version: 1 };
  try {
    await backend.store.put(record, { hash: generated.hash, keyId, name: fields!.name, status: fields!.status });
  } catch (error) {
    await backend.secrets.scheduleDeletion(secretArn, 0).catch((cleanup: Error) => {
      log("error", "could not delete the secret of a failed create", { keyId, error: cleanup.name });
    });
    throw error;
  }
  log("info", "key created", { operation: "create", keyId, maskedKey });
  return toKeyView(record);
}
