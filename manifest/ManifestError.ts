import { redactKeys } from "../contract";

/** One problem in a keys manifest: where it is and what is wrong. */
export interface ManifestProblem {
  file: string;
  /** 1-based line. */
  line: number;
  /** Property path such as `keys.partner-x.status`; empty for the document itself or a YAML syntax error. */
  path: string;
  message: string;
}

/** The line a problem prints as: `keys.yaml:7: keys.partner-x.status: must be one of "active", "inactive"`. */
export function formatProblem(problem: ManifestProblem): string {
  return `${problem.file}:${problem.line}: ${problem.path ? `${problem.path}: ` : ""}${problem.message}`;
}

/**
 * A keys manifest that cannot be applied; lists every problem found, one per line, in file order. The messages go to
 * preview output and pull-request comments, so whatever in a path or message parses as a key is redacted.
 */
export class ManifestError extends Error {
  override readonly name = "ManifestError";
  readonly problems: ManifestProblem[];
  constructor(
    readonly file: string,
    problems: ManifestProblem[],
  ) {
    const redacted = problems.map((problem) => ({ ...problem, path: redactKeys(problem.path), message: redactKeys(problem.message) }));
    super(`${file} is not a valid keys manifest (${redacted.length} ${redacted.length === 1 ? "problem" : "problems"}):\n${redacted.map(formatProblem).join("\n")}`);
    this.problems = redacted;
  }
}
