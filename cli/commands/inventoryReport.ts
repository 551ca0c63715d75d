import type { DocumentSender, TextOutput } from "../CliContext";
import { ExitCode } from "../ExitCode";
import { utcDays } from "../audit/utcDays";
import { queryAudit } from "../backend/queryAudit";
import { scanTable } from "../backend/scanKeys";
import { compareDrift } from "../drift/compareDrift";
import type { StackStateLoader } from "../drift/loadStackState";
import { managedKeysOf } from "../drift/managedKeysOf";
import { scanProgress } from "../render/scanProgress";
import { inventoryHtml } from "../report/inventoryHtml";
import { MAX_AUDIT_DAYS } from "./auditReport";

/** Options of {@link inventoryReport}. */
export interface InventoryReportOptions {
  tableName: string;
  auditTableName: string;
  /** Start of the audit summary's period. */
  since: Date;
  /** Stacks to compare with the backend for drift badges; none, no drift column. */
  stacks: string[];
  cwd: string;
  /** The region the table is read in; resources of keys in other regions are not compared. */
  region?: string;
  /** Keys that expire within this many seconds are flagged. */
  warnWithinSeconds: number;
  pageSize?: number;
  progress?: boolean;
}

/** What {@link inventoryReport} reads from and writes to. */
export interface InventoryReportIo {
  dynamo: DocumentSender;
  loadStackState: StackStateLoader;
  stdout: TextOutput;
  stderr: TextOutput;
  now(): Date;
}

/**
 * `apikeys report --html`: the inventory as one self-contained HTML page on stdout, for people who read rather than
 * query (auditors, the workflow's artifact): one Scan of the key table, the audit table's days of the period, and
 * with `--stack` the drift of those stacks. Exit 0 when the page is written, 2 when something could not be read.
 */
export async function inventoryReport(options: InventoryReportOptions, io: InventoryReportIo): Promise<ExitCode> {
  const until = io.now();
  const days = utcDays(options.since, until).length;
  if (days > MAX_AUDIT_DAYS) throw new Error(`--since spans ${days} days; the audit summary reads at most ${MAX_AUDIT_DAYS} (one query per day)`);
  const states = await Promise.all(options.stacks.map(async (stack) => managedKeysOf(await io.loadStackState(stack, options.cwd), stack)));
  const progress = scanProgress(io.stderr, options.progress === true);
  let scan;
  try {
    scan = await scanTable(io.dynamo, options.tableName, { pageSize: options.pageSize, onPage: progress.page, now: until });
  } finally {
    progress.done();
  }
  const events = await queryAudit(io.dynamo, { tableName: options.auditTableName, since: options.since, until });
  const drift = options.stacks.length ? compareDrift(states.flat(), scan.entries, { region: options.region, stored: scan }) : undefined;
  for (const key of drift?.skipped ?? []) {
    io.stderr.write(`skipped ${key.stack}/${key.resource} (${key.keyId}): its key lives in ${key.region}, the backend was read in ${options.region}\n`);
  }
  io.stdout.write(
    inventoryHtml({
      generatedAt: until,
      tableName: options.tableName,
      auditTableName: options.auditTableName,
      entries: scan.entries.filter((entry) => entry.status !== "deleted"),
      warnWithinSeconds: options.warnWithinSeconds,
      audit: { since: options.since, until, events },
      ...(drift ? { drift: { stacks: options.stacks, compared: drift.compared, findings: drift.findings } } : {}),
    }),
  );
  return ExitCode.OK;
}
