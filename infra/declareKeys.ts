import type * as pulumi from "@pulumi/pulumi";
import type { KeyManifest } from "../manifest";
import { ApiKey, type KeyFunctions } from "../provider";

/** Where keys are managed: the backend's region and functions. */
export interface KeyConnection {
  region: pulumi.Input<string>;
  functions: pulumi.Input<KeyFunctions>;
}

/**
 * One ApiKey per manifest entry, named by the entry's id. The keys are not children of the backend: their URNs stay
 * the same whether this stack deploys the backend or uses another one, so switching does not replace any key.
 */
export function declareKeys(manifest: KeyManifest, connection: KeyConnection, opts?: pulumi.CustomResourceOptions): Record<string, ApiKey> {
  return Object.fromEntries(manifest.entries.map(({ id, declaration }) => [id, new ApiKey(id, { ...declaration, ...connection }, opts)]));
}
