/** The keys manifest: a reviewed YAML file that declares a stack's API keys. */
export { loadManifest, parseManifest } from "./loadManifest";
export { loadProgramManifest } from "./loadProgramManifest";
export { ManifestError, formatProblem, type ManifestProblem } from "./ManifestError";
export { ENTRY_ID_PATTERN, keysManifestSchema } from "./keysManifestSchema";
export type { KeyDeclaration, KeyManifest, ManifestEntry } from "./KeyManifest";
