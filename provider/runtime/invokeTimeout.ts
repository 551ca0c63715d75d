import { FUNCTION_TIMEOUT_SECONDS, ValidationError, type BackendOperation } from "../../contract";

/** Overrides how long the provider waits for any backend function's answer, in whole seconds. */
export const INVOKE_TIMEOUT_ENV = "APIKEYS_INVOKE_TIMEOUT_SECONDS";

/** Added to a function's own timeout: a cold start (up to 10 s of init) and the network come on top of its run. */
export const INVOKE_TIMEOUT_MARGIN_SECONDS = 15;

/** Longest wait the variable may ask for: Lambda's own maximum run time is 900 s. */
const MAX_SECONDS = 3600;

/**
 * How long the provider waits for `operation`'s answer before giving up: the function's timeout plus a margin, or
 * {@link INVOKE_TIMEOUT_ENV} for a backend deployed with other timeouts.
 */
export function invokeTimeoutMs(operation: BackendOperation, env: NodeJS.ProcessEnv = process.env): number {
  const configured = env[INVOKE_TIMEOUT_ENV];
  if (configured === undefined || configured === "") return (FUNCTION_TIMEOUT_SECONDS[operation] + INVOKE_TIMEOUT_MARGIN_SECONDS) * 1000;
  const seconds = Number(configured);
  if (!/^\d+$/.test(configured.trim()) || seconds < 1 || seconds > MAX_SECONDS) {
    throw new ValidationError(INVOKE_TIMEOUT_ENV, `must be a whole number of seconds from 1 to ${MAX_SECONDS}, got ${JSON.stringify(configured)}`);
  }
  return seconds * 1000;
}
