import type { DocumentSender, TextOutput } from "../CliContext";
import { ExitCode } from "../ExitCode";
import { scanKeys, type KeyEntry } from "../backend/scanKeys";
import { formatInstant } from "../render/formatInstant";
import { renderTable } from "../render/renderTable";
import { scanProgress } from "../render/scanProgress";
import { toCsv } from "../render/toCsv";

/** Output formats of `apikeys list`. */
export const ListFormat = { TABLE: "table", JSON: "json", CSV: "csv" } as const;
/** One of {@link ListFormat}. */
export type ListFormat = (typeof ListFormat)[keyof typeof ListFormat];

/** Statuses `--status` accepts: the Status toggle, and `deleted` for tombstones. */
export const LIST_STATUSES = ["active", "inactive", "deleted"] as const;

/** Options of {@link listKeys}. */
export interface ListKeysOptions {
  tableName: string;
  format: ListFormat;
  status?: (typeof LIST_STATUSES)[number];
  owner?: string;
  /** The key prefix (`ak`, `svc`), as declared. */
  prefix?: string;
  /** Show tombstones too; `--status deleted` implies it. */
  includeDeleted?: boolean;
  pageSize?: number;
  /** Report scan progress on stderr even when it is not a terminal. */
  progress?: boolean;
}

/** What {@link listKeys} reads from and writes to. */
export interface ListKeysIo {
  dynamo: DocumentSender;
  stdout: TextOutput;
  stderr: TextOutput;
}

/** A column of the list: its title, its cell in the table (for people) and in CSV (for programs, full instants). */
interface Column {
  title: string;
  table(entry: KeyEntry): string;
  csv(entry: KeyEntry): string;
}

const COLUMNS: Column[] = [
  { title: "Key Name", table: (e) => e.name, csv: (e) => e.name },
  { title: "Last Used", table: (e) => formatInstant(e.lastUsedAt, "never"), csv: (e) => e.lastUsedAt ?? "" },
  { title: "API Auth Key", table: (e) => e.maskedKey, csv: (e) => e.maskedKey },
  { title: "Date Created", table: (e) => formatInstant(e.createdAt), csv: (e) => e.createdAt },
  { title: "Status", table: (e) => e.status, csv: (e) => e.status },
  { title: "Key ID", table: (e) => e.keyId, csv: (e) => e.keyId },
  { title: "Owner", table: (e) => e.owner ?? "-", csv: (e) => e.owner ?? "" },
  { title: "Expires", table: (e) => formatInstant(e.expiresAt), csv: (e) => e.expiresAt ?? "" },
];

function matches(entry: KeyEntry, options: ListKeysOptions): boolean {
  if (options.status) return entry.status === options.status && matchesOwnerAndPrefix(entry, options);
  if (entry.status === "deleted" && !options.includeDeleted) return false;
  return matchesOwnerAndPrefix(entry, options);
}

function matchesOwnerAndPrefix(entry: KeyEntry, options: ListKeysOptions): boolean {
  return (options.owner === undefined || entry.owner === options.owner) && (options.prefix === undefined || entry.prefix === options.prefix);
}

function byName(a: KeyEntry, b: KeyEntry): number {
  return a.name.localeCompare(b.name) || a.keyId.localeCompare(b.keyId);
}

/** `apikeys list`: the seed's key list from the backend's table, filtered, as a table, JSON or CSV on stdout. */
export async function listKeys(options: ListKeysOptions, io: ListKeysIo): Promise<ExitCode> {
  const progress = scanProgress(io.stderr, options.progress === true);
  let entries: KeyEntry[];
  try {
    entries = await scanKeys(io.dynamo, options.tableName, { pageSize: options.pageSize, onPage: progress.page });
  } finally {
    progress.done();
  }
  const selected = entries.filter((entry) => matches(entry, options)).sort(byName);
  switch (options.format) {
    case ListFormat.JSON:
      io.stdout.write(`${JSON.stringify(selected, null, 2)}\n`);
      break;
    case ListFormat.CSV:
      io.stdout.write(toCsv(COLUMNS.map((column) => column.title), selected.map((entry) => COLUMNS.map((column) => column.csv(entry)))));
      break;
    default:
      io.stdout.write(
        selected.length
          ? `${renderTable(COLUMNS.map((column) => column.title), selected.map((entry) => COLUMNS.map((column) => column.table(entry))))}\n`
          : `No keys in table ${options.tableName}${entries.length ? " match the filters" : ""}.\n`,
      );
  }
  return ExitCode.OK;
}
