/** The apikeys backend on AWS as one Pulumi component: `import { ApiKeysBackend } from "pulumi-apikeys/backend"`. */
export { ApiKeysBackend, BACKEND_DEFAULTS, SHIPPED_BUNDLE_DIR, type ApiKeysBackendArgs } from "./ApiKeysBackend";
export { AuthorizedDemoApi, type AuthorizedDemoApiArgs } from "./AuthorizedDemoApi";
export { functionPolicy, type FunctionPolicyResources } from "./functionPolicy";
export { deployerPolicy, type DeployerPolicyResources } from "./deployerPolicy";
export { keyPolicy } from "./keyPolicy";
export type { PolicyDocument, PolicyStatement } from "./PolicyDocument";
export { BACKEND_FUNCTIONS, FUNCTION_SETTINGS, type BackendFunction, type KeyFunctions } from "../contract";
