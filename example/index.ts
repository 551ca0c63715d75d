/** The example stack: one ApiKey per entry of the keys file, and an inventory of them as the stack output. */
import path from "node:path";
import { ApiKey } from "../provider";
import { loadKeysFile } from "./loadKeysFile";

const keysFile = process.env.APIKEYS_KEYS_FILE || path.join(__dirname, "keys.yaml");

const keys = loadKeysFile(keysFile).map(({ id, args }) => ({ id, key: new ApiKey(id, args) }));

/** The seed's list: Key Name, Last Used, API Auth Key (masked), Date Created, Status; plus the keyId. */
export const inventory = Object.fromEntries(
  keys.map(({ id, key }) => [
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
