import * as pulumi from "@pulumi/pulumi";
import { declareKeys, keyFunctionsOf, loadProgramManifest, type ApiKey } from "pulumi-apikeys";
import { ApiKeysBackend } from "pulumi-apikeys/backend";
import type { StackSettings } from "./stackSettings";

/** What the stack exports. */
export interface StackOutputs {
  /** Undefined when the stack uses an existing backend. */
  keyTableName?: pulumi.Output<string>;
  auditTableName?: pulumi.Output<string>;
  /** ARN of the verify function: what an HTTP API names as its Lambda authorizer. */
  authorizerArn?: pulumi.Output<string>;
  demoUrl?: pulumi.Output<string>;
  functionNames: pulumi.Output<Record<string, string>>;
  /** Per manifest entry: its keyId, masked key, status and secret (never the key). */
  keys: Record<string, pulumi.Output<{ keyId: string; maskedKey: string; status: string; secretArn: string }>>;
}

function inventory(keys: Record<string, ApiKey>): StackOutputs["keys"] {
  return Object.fromEntries(
    Object.entries(keys).map(([id, key]) => [id, pulumi.all([key.keyId, key.maskedKey, key.status, key.secretArn]).apply(([keyId, maskedKey, status, secretArn]) => ({ keyId, maskedKey, status, secretArn }))]),
  );
}

/**
 * The whole program: the backend (unless an existing one is configured), then the keys of the manifest against it,
 * so one `pulumi up` brings up both. The manifest is read first: a bad one stops the program before anything is
 * declared.
 */
export function defineStack(settings: StackSettings): StackOutputs {
  const manifest = loadProgramManifest(settings.keysFile);
  const existing = settings.existingBackend;
  if (existing) {
    const functions = keyFunctionsOf(existing.functionPrefix);
    const keys = declareKeys(manifest, { region: existing.region, functions });
    return { functionNames: pulumi.output<Record<string, string>>({ ...functions }), keys: inventory(keys) };
  }
  const backend = new ApiKeysBackend(settings.prefix, { prefix: settings.prefix, bundleDir: settings.bundleDir, logRetentionDays: settings.logRetentionDays, demoApi: true });
  // Depending on the component waits for all of it: tables, key policy and role policies are in place first.
  const keys = declareKeys(manifest, { region: backend.region, functions: backend.keyFunctions }, { dependsOn: [backend] });
  return {
    keyTableName: backend.keyTable.name,
    auditTableName: backend.auditTable.name,
    authorizerArn: backend.functions.verify.arn,
    demoUrl: backend.demoApi!.url,
    functionNames: pulumi.output(Object.fromEntries(Object.entries(backend.functions).map(([fn, resource]) => [fn, resource.name]))),
    keys: inventory(keys),
  };
}
