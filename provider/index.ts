/** Declare API keys in a Pulumi program. */
export { ApiKey, type ApiKeyArgs, type RotationArgs } from "./ApiKey";
export type { KeyFunctions } from "./runtime/ApiKeyState";
