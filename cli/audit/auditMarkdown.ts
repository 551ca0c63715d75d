import type { AuditEntry } from "../backend/queryAudit";
import { escapeMarkdown } from "../render/escapeMarkdown";
import { formatInstant } from "../render/formatInstant";

/** What a report covers, for its header. */
export interface AuditPeriod {
  since: Date;
  until: Date;
  keyId?: string;
  tableName: string;
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(head: string[], rows: string[][]): string[] {
  return [row(head), row(head.map(() => "---")), ...rows.map(row)];
}

/** "create 2, update 1": how many events of each action, in first-seen order. */
export function countActions(events: AuditEntry[]): string {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.action, (counts.get(event.action) ?? 0) + 1);
  return [...counts].map(([action, count]) => `${action} ${count}`).join(", ");
}

function source(event: AuditEntry): string {
  return [event.project, event.stack].filter(Boolean).join(" / ") || "-";
}

/**
 * The audit trail as a Markdown report for a compliance review: who changed which key, what (field names, never
 * values), when, and from which stack and commit; then the changes per actor, and the changes no commit accounts for.
 */
export function auditMarkdown(events: AuditEntry[], period: AuditPeriod, generatedAt: Date): string {
  const lines = [
    "# API key audit report",
    "",
    `- Period: ${formatInstant(period.since.toISOString())} to ${formatInstant(period.until.toISOString())}`,
    `- Keys: ${period.keyId ? escapeMarkdown(period.keyId) : "all keys"}`,
    `- Audit table: ${escapeMarkdown(period.tableName)}`,
    `- Generated: ${formatInstant(generatedAt.toISOString())}`,
    `- Events: ${events.length}${events.length ? ` (${escapeMarkdown(countActions(events))})` : ""}`,
    "",
    "## Changes",
    "",
  ];
  if (events.length === 0) return [...lines, "No key was changed in this period.", ""].join("\n");
  lines.push(
    ...table(
      ["When (UTC)", "Key", "Action", "Changed fields", "Actor", "Project / stack", "Commit"],
      events.map((event) => [
        escapeMarkdown(event.at),
        escapeMarkdown(event.maskedKey ? `${event.keyId} (${event.maskedKey})` : event.keyId),
        escapeMarkdown(event.action),
        escapeMarkdown(event.changedFields.join(", ") || "-"),
        escapeMarkdown(event.actor),
        escapeMarkdown(source(event)),
        escapeMarkdown(event.commit ?? "none"),
      ]),
    ),
  );
  const byActor = new Map<string, AuditEntry[]>();
  for (const event of events) byActor.set(event.actor, [...(byActor.get(event.actor) ?? []), event]);
  lines.push(
    "",
    "## By actor",
    "",
    ...table(
      ["Actor", "Events", "Actions", "Keys"],
      [...byActor].map(([actor, own]) => [escapeMarkdown(actor), String(own.length), escapeMarkdown(countActions(own)), String(new Set(own.map((e) => e.keyId)).size)]),
    ),
  );
  const explained = events.filter((event) => event.reason);
  if (explained.length) {
    lines.push(
      "",
      "## Reasons given",
      "",
      "Changes made outside a deployment (`apikeys deactivate`, `apikeys activate`) record why.",
      "",
      ...table(
        ["When (UTC)", "Key", "Action", "Changed fields", "Actor", "Reason"],
        explained.map((event) => [
          escapeMarkdown(event.at),
          escapeMarkdown(event.keyId),
          escapeMarkdown(event.action),
          escapeMarkdown(event.changedFields.join(", ") || "-"),
          escapeMarkdown(event.actor),
          escapeMarkdown(event.reason ?? ""),
        ]),
      ),
    );
  }
  const untraced = events.filter((event) => !event.commit);
  lines.push("", "## Changes without a commit", "");
  lines.push(
    untraced.length
      ? `${untraced.length} of ${events.length} changes name no source commit, so this report cannot trace them to a reviewed revision. Event ids: ${untraced.map((event) => escapeMarkdown(event.eventId)).join(", ")}.`
      : "Every change names the commit it was deployed from.",
  );
  return [...lines, ""].join("\n");
}
