import type { ResourceValidationArgs } from "@pulumi/policy";
import { API_KEY_TYPE, type Credits, type KeyStatus, type RateLimit, type RotationSettings } from "../contract";

/** The type token of the ApiKey dynamic resource (provider/ApiKey.ts): what every policy here applies to. */
export { API_KEY_TYPE };

/** The properties of an ApiKey that the policies read: its declared inputs and, where the engine has them, outputs. */
export interface ApiKeyProps {
  name?: string;
  description?: string;
  status?: KeyStatus;
  prefix?: string;
  owner?: string;
  expiresAt?: string;
  rotation?: RotationSettings;
  rateLimit?: RateLimit | null;
  credits?: Credits | null;
  allowedCidrs?: string[];
  notBefore?: string | null;
  /** An output: when the backend last changed the key. */
  updatedAt?: string;
}

/** The props of `args` when it is an ApiKey, else undefined (the pack runs over every resource of the stack). */
export function apiKeyProps(args: Pick<ResourceValidationArgs, "type" | "props">): ApiKeyProps | undefined {
  return args.type === API_KEY_TYPE ? (args.props as ApiKeyProps) : undefined;
}

/** True for a string with something other than whitespace in it. */
export function isFilled(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}
