/**
 * How long each backend function may run, in seconds: what infra/ deploys, and what callers wait for (plus a margin)
 * before they give up on an answer.
 */
export const FUNCTION_TIMEOUT_SECONDS = {
  create: 30,
  read: 10,
  update: 30,
  delete: 30,
  verify: 10,
  rotation: 30,
} as const;

/** A backend function, by the operation it runs. */
export type BackendOperation = keyof typeof FUNCTION_TIMEOUT_SECONDS;
