import { API_KEY_TYPE } from "../../contract";

/** The type token of an ApiKey in Pulumi state: a dynamic resource of module `apikeys`, type `ApiKey`. */
export { API_KEY_TYPE };

/** The fields drift compares between state and backend. */
export const COMPARED_FIELDS = ["name", "description", "status", "owner"] as const;
/** One of {@link COMPARED_FIELDS}. */
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** An ApiKey resource of a stack, as its state last saw it. */
export interface ManagedKey {
  stack: string;
  /** The resource's name in the program (the last part of its URN). */
  resource: string;
  urn: string;
  keyId: string;
  /** The compared fields as recorded in state; absent when unset. */
  fields: Partial<Record<ComparedField, string>>;
  region?: string;
  /** Marked for deletion by an earlier replacement that could not finish: the engine deletes it on the next update. */
  pendingDelete: boolean;
}

interface StateResource {
  urn?: string;
  type?: string;
  id?: string;
  delete?: boolean;
  outputs?: Record<string, unknown>;
}

// Pulumi marks a secret value with this signature, and the Automation API exports with `--show-secrets`, which adds
// its JSON-encoded plaintext. ApiKey fields are not secrets unless a program made them so.
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

function plain(value: unknown): unknown {
  if (typeof value !== "object" || value === null || !(SECRET_SIGNATURE in value)) return value;
  const { plaintext } = value as { plaintext?: string };
  return typeof plaintext === "string" ? JSON.parse(plaintext) : undefined;
}

/** The ApiKey resources in a stack's exported state (the `{ version, deployment }` the Automation API returns). */
export function managedKeysOf(exported: unknown, stack: string): ManagedKey[] {
  const deployment = (exported as { deployment?: { resources?: unknown } } | undefined)?.deployment;
  const resources = deployment && "resources" in deployment ? deployment.resources : deployment ? [] : undefined;
  if (!Array.isArray(resources)) throw new Error(`stack "${stack}": the exported state has no deployment`);
  return (resources as StateResource[])
    .filter((resource) => resource.type === API_KEY_TYPE && (resource.id || resource.outputs?.keyId))
    .map((resource) => {
      const outputs = resource.outputs ?? {};
      const fields: ManagedKey["fields"] = {};
      for (const field of COMPARED_FIELDS) {
        const value = plain(outputs[field]);
        if (typeof value === "string") fields[field] = value;
      }
      const region = plain(outputs.region);
      return {
        stack,
        resource: (resource.urn ?? "").split("::").pop() ?? "",
        urn: resource.urn ?? "",
        keyId: String(resource.id || plain(outputs.keyId)),
        fields,
        ...(typeof region === "string" ? { region } : {}),
        pendingDelete: resource.delete === true,
      };
    });
}
