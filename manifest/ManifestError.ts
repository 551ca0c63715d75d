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

/** A keys manifest that cannot be applied; lists every problem found, one per line, in file order. */
export class ManifestError extends Error {
  override readonly name = "ManifestError";
  constructor(
    readonly file: string,
    readonly problems: ManifestProblem[],
  ) {
    super(`${file} is not a valid keys manifest (${problems.length} ${problems.length === 1 ? "problem" : "problems"}):\n${problems.map(formatProblem).join("\n")}`);
  }
}
