import type { DocumentSender, TextOutput } from "../CliContext";
import { ExitCode } from "../ExitCode";
import { scanKeys, type KeyEntry } from "../backend/scanKeys";
import { expiryNote } from "../render/expiryNote";
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
  /** Only live keys whose expiry falls within this many seconds from now; exit 1 when there are any. */
  expiringWithinSeconds?: number;
}

/** What {@link listKeys} reads from and writes to. */
export interface ListKeysIo {
  dynamo: DocumentSender;
  stdout: TextOutput;
  stderr: TextOutput;
  /** The clock `--expiring` counts from. */
  now?(): Date;
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

/** A key's rate limit as `100/1m`, empty without one. */
function rateLimitOf(entry: KeyEntry): string {
  return entry.rateLimit ? `${entry.rateLimit.limit}/${entry.rateLimit.window}` : "";
}

/** A key's live balance, with its refill: `42 (refill 100 daily)`; empty without credits. */
function creditsOf(entry: KeyEntry): string {
  if (!entry.credits) return "";
  const refill = entry.credits.refill;
  return `${entry.creditsRemaining ?? entry.credits.remaining}${refill ? ` (refill ${refill.amount} ${refill.interval})` : ""}`;
}

// In CSV always, so a program finds the same columns in every export; in the table only when a listed key has one,
// so the list of keys without limits stays as narrow as it was.
const LIMIT_COLUMNS: { column: Column; shown(entries: KeyEntry[]): boolean }[] = [
  { column: { title: "Rate Limit", table: (e) => rateLimitOf(e) || "-", csv: rateLimitOf }, shown: (entries) => entries.some((entry) => entry.rateLimit) },
  { column: { title: "Credits", table: (e) => creditsOf(e) || "-", csv: creditsOf }, shown: (entries) => entries.some((entry) => entry.credits) },
];

/** What `apikeys list --help` says the list shows: its columns, as defined above. */
export const LIST_DESCRIPTION =
  `list the backend's keys: ${COLUMNS.map((column) => column.title).join(", ")}; ` +
  `${LIMIT_COLUMNS.map(({ column }) => column.title).join(" and ")} when a listed key has them (in CSV always)`;

/** Whether a key expires after `now` and no later than the period's end: what a scheduled check must hear about. */
function expiresWithin(entry: KeyEntry, now: Date, seconds: number): boolean {
  const at = entry.expiresAt ? Date.parse(entry.expiresAt) : NaN;
  return entry.status !== "deleted" && at > now.getTime() && at <= now.getTime() + seconds * 1000;
}

function matches(entry: KeyEntry, options: ListKeysOptions): boolean {
  if (options.status) return entry.status === options.status && matchesOwnerAndPrefix(entry, options);
  if (entry.status === "deleted" && !options.includeDeleted) return false;
  return matchesOwnerAndPrefix(entry, options);
}

function matchesOwnerAndPrefix(entry: KeyEntry, options: ListKeysOptions): boolean {
  return (options.owner === undefined || entry.owner === options.owner) && (options.prefix === undefined || entry.prefix === options.prefix);
}

function formatPeriod(seconds: number): string {
  const [count, unit] = seconds % 86400 === 0 ? [seconds / 86400, "day"] : seconds % 3600 === 0 ? [seconds / 3600, "hour"] : [seconds, "second"];
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

function byName(a: KeyEntry, b: KeyEntry): number {
  return a.name.localeCompare(b.name) || a.keyId.localeCompare(b.keyId);
}

/**
 * `apikeys list`: the seed's key list from the backend's table, filtered, as a table, JSON or CSV on stdout. With
 * `--expiring <period>`, only the live keys that expire within it, soonest first, and exit 1 when there are any.
 */
export async function listKeys(options: ListKeysOptions, io: ListKeysIo): Promise<ExitCode> {
  const progress = scanProgress(io.stderr, options.progress === true);
  let entries: KeyEntry[];
  const now = io.now?.() ?? new Date();
  try {
    entries = await scanKeys(io.dynamo, options.tableName, { pageSize: options.pageSize, onPage: progress.page, now });
  } finally {
    progress.done();
  }
  const expiring = options.expiringWithinSeconds;
  const selected = entries
    .filter((entry) => matches(entry, options) && (expiring === undefined || expiresWithin(entry, now, expiring)))
    .sort(expiring === undefined ? byName : (a, b) => a.expiresAt!.localeCompare(b.expiresAt!) || byName(a, b));
  const expiresIn: Column[] = expiring === undefined ? [] : [{ title: "Expires in", table: (e) => expiryNote(e.expiresAt, now)!.replace(/^expires in /, ""), csv: (e) => e.expiresAt ?? "" }];
  switch (options.format) {
    case ListFormat.JSON:
      io.stdout.write(`${JSON.stringify(selected, null, 2)}\n`);
      break;
    case ListFormat.CSV: {
      const columns = [...COLUMNS, ...LIMIT_COLUMNS.map((limit) => limit.column), ...expiresIn];
      io.stdout.write(toCsv(columns.map((column) => column.title), selected.map((entry) => columns.map((column) => column.csv(entry)))));
      break;
    }
    default: {
      const columns = [...COLUMNS, ...LIMIT_COLUMNS.filter((limit) => limit.shown(selected)).map((limit) => limit.column), ...expiresIn];
      io.stdout.write(
        selected.length
          ? `${renderTable(columns.map((column) => column.title), selected.map((entry) => columns.map((column) => column.table(entry))))}\n`
          : expiring !== undefined
            ? `No key in table ${options.tableName} expires within ${formatPeriod(expiring)}.\n`
            : `No keys in table ${options.tableName}${entries.length ? " match the filters" : ""}.\n`,
      );
    }
  }
  // A scheduled pipeline fails while keys are about to expire, so someone renews or rotates them in time.
  return expiring !== undefined && selected.length ? ExitCode.FINDINGS : ExitCode.OK;
}
