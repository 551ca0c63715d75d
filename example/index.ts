/** The example stack: one ApiKey per entry of the keys file, and an inventory of them as the stack output. */
import path from "node:path";
import { declareKeys } from "pulumi-apikeys";

const keysFile = process.env.APIKEYS_KEYS_FILE || path.join(__dirname, "keys.yaml");

// A bad manifest stops the program before any key is registered, with every problem's line and property.
const keys = declareKeys(keysFile);

/** The seed's list: Key Name, Last Used, API Auth Key (masked), Date Created, Status; plus keyId, owner and expiry. */
export const inventory = Object.fromEntries(
  Object.entries(keys).map(([id, key]) => [
    id,
    {
      keyId: key.keyId,
      name: key.name,
      lastUsedAt: key.lastUsedAt,
      maskedKey: key.maskedKey,
      createdAt: key.createdAt,
      status: key.status,
      owner: key.owner,
      expiresAt: key.expiresAt,
    },
  ]),
);
