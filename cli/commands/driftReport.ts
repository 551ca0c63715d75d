import type { DocumentSender, TextOutput } from "../CliContext";
import { ExitCode } from "../ExitCode";
import { scanTable } from "../backend/scanKeys";
import { compareDrift, DriftKind, type DriftFinding } from "../drift/compareDrift";
import { LookupProblem, type LookupDisagreement } from "../drift/compareLookups";
import type { StackStateLoader } from "../drift/loadStackState";
import { managedKeysOf } from "../drift/managedKeysOf";
import { formatInstant } from "../render/formatInstant";
import { renderTable } from "../render/renderTable";
import { scanProgress } from "../render/scanProgress";

/** Output formats of `apikeys drift`. */
export const DriftFormat = { TABLE: "table", JSON: "json" } as const;
/** One of {@link DriftFormat}. */
export type DriftFormat = (typeof DriftFormat)[keyof typeof DriftFormat];

/** Options of {@link driftReport}. */
export interface DriftReportOptions {
  /** Stacks whose ApiKeys together should account for every live key of the backend. */
  stacks: string[];
  /** The Pulumi project directory the stacks belong to. */
  cwd: string;
  tableName: string;
  format: DriftFormat;
  /** The region the table is read in; resources of keys in other regions are skipped. */
  region?: string;
  pageSize?: number;
  progress?: boolean;
}

/** What {@link driftReport} reads from and writes to. */
export interface DriftReportIo {
  dynamo: DocumentSender;
  loadStackState: StackStateLoader;
  stdout: TextOutput;
  stderr: TextOutput;
}

function optional(value: string | undefined): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

/** One lookup item's disagreement with its record, for people. */
function describeLookup(found: LookupDisagreement): string {
  const item = `${found.value ? `the ${found.value} value's` : "a"} lookup item (hash ${found.hash}…)`;
  switch (found.problem) {
    case LookupProblem.DIFFERS:
      return `${item}: ${(found.differences ?? []).map(({ field, record, lookup }) => `${field} ${lookup ?? "(none)"} on the lookup item, ${record ?? "(none)"} on the record`).join(", ")}; verify answers from the lookup item`;
    case LookupProblem.MISSING:
      return `no lookup item for the current value (hash ${found.hash}…): verify refuses the key's own value`;
    case LookupProblem.UNNAMED:
      return `${item} that the record does not name: verify still answers for that value`;
    case LookupProblem.ORPHANED:
      return `${item} left for a key that is deleted or has no record: verify still answers for that value`;
  }
}

/** One line on what drifted, for people. */
export function describeFinding(finding: DriftFinding): string {
  switch (finding.kind) {
    case DriftKind.UNMANAGED:
      return "live in the backend, managed by none of the given stacks";
    case DriftKind.MISSING:
      return "in state, but the backend has no such key";
    case DriftKind.DELETED:
      return `in state, but deleted in the backend${finding.deletedAt ? ` at ${formatInstant(finding.deletedAt)}` : ""}`;
    case DriftKind.DUPLICATE:
      return "managed by more than one resource";
    case DriftKind.CHANGED:
      return (finding.differences ?? []).map(({ field, state, backend }) => `${field}: ${optional(state)} in state, ${optional(backend)} in the backend`).join("; ");
    case DriftKind.LOOKUP:
      return (finding.lookups ?? []).map(describeLookup).join("; ");
  }
}

/**
 * `apikeys drift`: exports each stack's state, scans the backend, and reports every key that differs, and every key
 * whose record and lookup items disagree (what verify answers is then not what the record says). Exit 0 when there is
 * no drift, 1 when there is; failures to read either side throw (exit 2).
 */
export async function driftReport(options: DriftReportOptions, io: DriftReportIo): Promise<ExitCode> {
  if (options.stacks.length === 0) throw new Error("name at least one stack with --stack");
  const states = await Promise.all(options.stacks.map(async (stack) => managedKeysOf(await io.loadStackState(stack, options.cwd), stack)));
  const progress = scanProgress(io.stderr, options.progress === true);
  let scan;
  try {
    scan = await scanTable(io.dynamo, options.tableName, { pageSize: options.pageSize, onPage: progress.page });
  } finally {
    progress.done();
  }
  const report = compareDrift(states.flat(), scan.entries, { region: options.region, stored: scan });
  for (const key of report.skipped) {
    io.stderr.write(`skipped ${key.stack}/${key.resource} (${key.keyId}): its key lives in ${key.region}, the backend was read in ${options.region}\n`);
  }
  const clean = report.findings.length === 0;
  const stacks = `${options.stacks.length === 1 ? "stack" : "stacks"} ${options.stacks.join(", ")}`;
  if (options.format === DriftFormat.JSON) {
    const { compared, skipped, findings } = report;
    const summary = { clean, stacks: options.stacks, tableName: options.tableName, compared, skipped: skipped.map(({ stack, resource, keyId, region }) => ({ stack, resource, keyId, region })), findings };
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else if (clean) {
    io.stdout.write(`No drift: the ${report.compared} keys of ${stacks} match table ${options.tableName}, and it has no other live keys.\n`);
  } else {
    const rows = report.findings.map((finding) => [
      finding.kind,
      finding.keyId,
      finding.name ?? "-",
      finding.managedBy.map(({ stack, resource }) => `${stack}/${resource}`).join(", ") || "-",
      describeFinding(finding),
    ]);
    io.stdout.write(`Drift between ${stacks} and table ${options.tableName}: ${report.findings.length} finding${report.findings.length === 1 ? "" : "s"}\n\n`);
    io.stdout.write(`${renderTable(["Drift", "Key ID", "Key Name", "Managed by", "Detail"], rows)}\n`);
  }
  return clean ? ExitCode.OK : ExitCode.FINDINGS;
}
