/** Exit codes of every command: scripts and CI branch on them. */
export const ExitCode = {
  /** Done, and nothing to report: no drift, a valid key. */
  OK: 0,
  /** Done, and the answer is no: drift found, the key does not verify. */
  FINDINGS: 1,
  /** Could not answer: bad usage, no credentials, an AWS or Pulumi error. */
  ERROR: 2,
} as const;
/** One of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
