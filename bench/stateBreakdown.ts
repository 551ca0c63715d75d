/** Where the bytes of one resource in `pulumi stack export` go. Every part is in bytes; the parts sum to `total`. */
export interface StateBreakdown {
  /** Bytes the resource adds to the export: what removing it would save. */
  total: number;
  /** The inputs, `__provider` left out. */
  inputs: number;
  /** The outputs, `__provider` left out. */
  outputs: number;
  /** `__provider` in the inputs and again in the outputs. */
  providerTwice: number;
  /** `stackTrace` and `sourcePosition`, which the engine records for every resource. */
  stackTrace: number;
  propertyDependencies: number;
  /** urn, id, type, parent, provider reference, created/modified and the braces around them. */
  identity: number;
  /** The export's indentation, line breaks and separators. */
  prettyPrint: number;
  /** One serialized provider (the `__provider` string itself). */
  providerSource: number;
}

type Resource = Record<string, any>;
interface Deployment {
  deployment: { resources: Resource[] };
}

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");
/** The CLI prints the export as JSON with four-space indentation and a final newline; this reproduces it exactly. */
const exportBytes = (doc: unknown): number => bytes(JSON.stringify(doc, null, 4) + "\n");
const compactBytes = (value: unknown): number => bytes(JSON.stringify(value));

function bytesAdded(doc: Deployment, resource: Resource): number {
  const without = { ...doc, deployment: { ...doc.deployment, resources: doc.deployment.resources.filter((other) => other !== resource) } };
  return exportBytes(doc) - exportBytes(without);
}

/** Bytes `drop` removes from the compact form of `resource` (which it mutates). */
function removed(resource: Resource, drop: (resource: Resource) => void): number {
  const before = compactBytes(resource);
  drop(resource);
  return before - compactBytes(resource);
}

/** Breaks down the first resource whose type ends with `typeSuffix` (e.g. ":ApiKey") in an export's text. */
export function stateBreakdown(exportText: string, typeSuffix: string): StateBreakdown {
  const doc = JSON.parse(exportText) as Deployment;
  const resources = doc.deployment.resources;
  const resource = resources.find((candidate) => String(candidate.type).endsWith(typeSuffix));
  if (!resource) throw new Error(`the export holds no resource of a type ending with ${typeSuffix}`);
  const total = bytesAdded(doc, resource);
  const copy = JSON.parse(JSON.stringify(resource)) as Resource;
  const compact = compactBytes(copy);
  const providerTwice = removed(copy, (r) => {
    delete r.inputs?.__provider;
    delete r.outputs?.__provider;
  });
  const stackTrace = removed(copy, (r) => {
    delete r.stackTrace;
    delete r.sourcePosition;
  });
  const inputs = removed(copy, (r) => delete r.inputs);
  const outputs = removed(copy, (r) => delete r.outputs);
  const propertyDependencies = removed(copy, (r) => delete r.propertyDependencies);
  return {
    total,
    inputs,
    outputs,
    providerTwice,
    stackTrace,
    propertyDependencies,
    identity: compactBytes(copy),
    prettyPrint: total - compact,
    providerSource: bytes(String(resource.inputs?.__provider ?? "")),
  };
}

/** Bytes the first resource of type `type` adds to an export's text; 0 when there is none. */
export function resourceBytes(exportText: string, type: string): number {
  const doc = JSON.parse(exportText) as Deployment;
  const resource = doc.deployment.resources?.find((candidate) => candidate.type === type);
  return resource ? bytesAdded(doc, resource) : 0;
}
