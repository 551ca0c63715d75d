import { ApiKeyError, type HandlerResponse } from "../contract";
import { awsBackend, type Backend } from "./Backend";
import { log } from "./log";

/** A plain function that does one operation against a backend. */
export type Operation<Req, Res> = (backend: Backend, request: Req) => Promise<Res>;

/**
 * Adapts an operation to a Lambda handler: domain errors become `{ ok: false, error }` values,
 * anything else is logged by name and rethrown so Lambda reports it as a function error.
 */
export function wrapOperation<Req, Res>(
  operation: string,
  run: Operation<Req, Res>,
  backend: () => Backend = awsBackend,
): (event: Req) => Promise<HandlerResponse<Res>> {
  return async (event) => {
    try {
      return { ok: true, result: await run(backend(), event) };
    } catch (error) {
      if (error instanceof ApiKeyError) {
        log("warn", error.message, { operation, code: error.code });
        return { ok: false, error: error.toBody() };
      }
      const { name, message } = error as Error;
      log("error", "operation failed", { operation, error: name, detail: message });
      throw error;
    }
  };
}
