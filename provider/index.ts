/** Declare API keys in a Pulumi program: `import { ApiKey, declareKeys } from "pulumi-apikeys"`. */
export { ApiKey, type ApiKeyArgs, type RotationArgs } from "./ApiKey";
export { declareKeys, type KeyConnection } from "./declareKeys";
export type { ApiKeyInputs, ApiKeyOutputs } from "./runtime/ApiKeyState";
export { PACKAGE_NAME } from "./serializedProvider";
export { keyFunctionsOf, type KeyFunctions, type KeyStatus } from "../contract";
export { loadManifest, loadProgramManifest, ManifestError, type KeyDeclaration, type KeyManifest, type ManifestEntry, type ManifestProblem } from "../manifest";
