import { KEY_ID_PATTERN } from "../../contract";
import type { DocumentSender, TextOutput } from "../CliContext";
import { ExitCode } from "../ExitCode";
import { auditMarkdown } from "../audit/auditMarkdown";
import { utcDays } from "../audit/utcDays";
import { queryAudit, type AuditEntry } from "../backend/queryAudit";
import { renderTable } from "../render/renderTable";

/** Output formats of `apikeys audit`. */
export const AuditFormat = { TABLE: "table", MARKDOWN: "markdown", JSON: "json" } as const;
/** One of {@link AuditFormat}. */
export type AuditFormat = (typeof AuditFormat)[keyof typeof AuditFormat];

/** Days one report may span through the byDay index: a Query per day, so a year is 366 of them. */
export const MAX_AUDIT_DAYS = 366;

/** Options of {@link auditReport}. */
export interface AuditReportOptions {
  tableName: string;
  since: Date;
  keyId?: string;
  format: AuditFormat;
}

/** What {@link auditReport} reads from and writes to. */
export interface AuditReportIo {
  dynamo: DocumentSender;
  stdout: TextOutput;
  now(): Date;
}

function tableRow(event: AuditEntry): string[] {
  return [
    event.at,
    event.action,
    event.keyId,
    event.maskedKey ?? "-",
    event.changedFields.join(", ") || "-",
    event.actor,
    [event.project, event.stack].filter(Boolean).join("/") || "-",
    // The table is for a terminal; markdown and JSON carry the full commit.
    event.commit?.slice(0, 12) ?? "-",
  ];
}

/** `apikeys audit`: the audit trail of every key (or one) since a point in time, as a table, a Markdown report or JSON. */
export async function auditReport(options: AuditReportOptions, io: AuditReportIo): Promise<ExitCode> {
  // --key is echoed in the report, so it must be a keyId; a key pasted there by mistake is refused, never printed.
  if (options.keyId !== undefined && !KEY_ID_PATTERN.test(options.keyId)) throw new Error('--key must be a keyId such as "key_0123456789abcdef"');
  const until = io.now();
  const days = utcDays(options.since, until).length;
  if (!options.keyId && days > MAX_AUDIT_DAYS) {
    throw new Error(`--since spans ${days} days; a report reads at most ${MAX_AUDIT_DAYS} (one query per day), or any span of one key with --key`);
  }
  const events = await queryAudit(io.dynamo, { tableName: options.tableName, since: options.since, until, keyId: options.keyId });
  switch (options.format) {
    case AuditFormat.JSON: {
      const report = { tableName: options.tableName, since: options.since.toISOString(), until: until.toISOString(), ...(options.keyId ? { keyId: options.keyId } : {}), events };
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      break;
    }
    case AuditFormat.MARKDOWN:
      io.stdout.write(auditMarkdown(events, { since: options.since, until, keyId: options.keyId, tableName: options.tableName }, until));
      break;
    default:
      io.stdout.write(
        events.length
          ? `${renderTable(["When", "Action", "Key ID", "API Auth Key", "Changed", "Actor", "Project/stack", "Commit"], events.map(tableRow))}\n`
          : `No audit events since ${options.since.toISOString()}${options.keyId ? ` for ${options.keyId}` : ""}.\n`,
      );
  }
  return ExitCode.OK;
}
