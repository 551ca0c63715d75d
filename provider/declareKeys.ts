import type * as pulumi from "@pulumi/pulumi";
import type { KeyFunctions } from "../contract";
import { loadProgramManifest, type KeyManifest } from "../manifest";
import { ApiKey } from "./ApiKey";

/** Where keys are managed: the backend's region and functions; each defaults as on {@link ApiKey}. */
export interface KeyConnection {
  region?: pulumi.Input<string>;
  functions?: pulumi.Input<KeyFunctions>;
}

/**
 * One ApiKey per entry of a keys manifest (a keys.yaml path, or one already loaded), named by the entry's id. A bad
 * file stops the program before any key is declared, with every problem's line and property. Pass the backend
 * component as `dependsOn` when the same program deploys it, so the keys wait for its permissions.
 */
export function declareKeys(manifest: string | KeyManifest, connection: KeyConnection = {}, opts?: pulumi.CustomResourceOptions): Record<string, ApiKey> {
  const { entries } = typeof manifest === "string" ? loadProgramManifest(manifest) : manifest;
  return Object.fromEntries(entries.map(({ id, declaration }) => [id, new ApiKey(id, { ...declaration, ...connection }, opts)]));
}
