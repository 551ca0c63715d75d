import type { AuditEntry } from "../backend/queryAudit";
import type { KeyEntry } from "../backend/scanKeys";
import { describeFinding } from "../commands/driftReport";
import { DriftKind, type DriftFinding } from "../drift/compareDrift";
import { countActions } from "../audit/auditMarkdown";
import { expiryNote } from "../render/expiryNote";
import { formatInstant } from "../render/formatInstant";
import { cspHash } from "./cspHash";
import { escapeHtml } from "./escapeHtml";
import { REPORT_STYLE } from "./reportStyle";
import { SORT_SCRIPT } from "./sortScript";

/** Everything the inventory page shows. */
export interface InventoryData {
  generatedAt: Date;
  tableName: string;
  auditTableName: string;
  /** The live keys (tombstones left out). */
  entries: KeyEntry[];
  /** Keys that expire within this many seconds get a warning. */
  warnWithinSeconds: number;
  audit: { since: Date; until: Date; events: AuditEntry[] };
  /** Present when stacks were given: what drifted between them and the backend. */
  drift?: { stacks: string[]; compared: number; findings: DriftFinding[] };
}

/** A column of the key table: its header, its sort key in the address, each row's cell HTML and sort value. */
interface Column {
  key: string;
  title: string;
  cell(entry: KeyEntry): string;
  sort(entry: KeyEntry): string;
}

const h = escapeHtml;

function badge(text: string, kind: string, title?: string): string {
  return `<span class="badge ${kind}"${title ? ` title="${h(title)}"` : ""}>${h(text)}</span>`;
}

function expiryCell(entry: KeyEntry, data: InventoryData): string {
  if (!entry.expiresAt) return `<span class="none">never</span>`;
  const left = Date.parse(entry.expiresAt) - data.generatedAt.getTime();
  const note = expiryNote(entry.expiresAt, data.generatedAt)!;
  const warning = left <= 0 ? badge(note, "bad") : left <= data.warnWithinSeconds * 1000 ? badge(note, "warn") : "";
  return `${h(formatInstant(entry.expiresAt))}${warning ? ` ${warning}` : ""}`;
}

function driftOf(keyId: string, data: InventoryData): DriftFinding[] {
  return data.drift?.findings.filter((finding) => finding.keyId === keyId) ?? [];
}

function columns(data: InventoryData): Column[] {
  const list: Column[] = [
    { key: "name", title: "Key Name", cell: (e) => h(e.name), sort: (e) => e.name },
    { key: "last-used", title: "Last Used", cell: (e) => (e.lastUsedAt ? h(formatInstant(e.lastUsedAt)) : `<span class="none">never</span>`), sort: (e) => e.lastUsedAt ?? "" },
    { key: "masked-key", title: "API Auth Key", cell: (e) => `<code>${h(e.maskedKey)}</code>`, sort: (e) => e.maskedKey },
    { key: "created", title: "Date Created", cell: (e) => h(formatInstant(e.createdAt)), sort: (e) => e.createdAt },
    { key: "status", title: "Status", cell: (e) => badge(e.status, `status-${e.status === "active" ? "active" : "inactive"}`), sort: (e) => e.status },
    { key: "owner", title: "Owner", cell: (e) => (e.owner ? h(e.owner) : `<span class="none">none</span>`), sort: (e) => e.owner ?? "" },
    // Keys without an expiry sort after every date.
    { key: "expires", title: "Expires", cell: (e) => expiryCell(e, data), sort: (e) => e.expiresAt ?? "9999" },
  ];
  if (data.entries.some((entry) => entry.rateLimit)) {
    list.push({ key: "rate-limit", title: "Rate Limit", cell: (e) => (e.rateLimit ? h(`${e.rateLimit.limit} per ${e.rateLimit.window}`) : `<span class="none">none</span>`), sort: (e) => String(e.rateLimit?.limit ?? "") });
  }
  if (data.entries.some((entry) => entry.credits)) {
    list.push({
      key: "credits",
      title: "Credits",
      cell: (e) => (e.credits ? h(`${e.creditsRemaining ?? e.credits.remaining} left${e.credits.refill ? `, ${e.credits.refill.amount} ${e.credits.refill.interval}` : ""}`) : `<span class="none">none</span>`),
      sort: (e) => String(e.creditsRemaining ?? e.credits?.remaining ?? ""),
    });
  }
  if (data.drift) {
    list.push({
      key: "drift",
      title: "Drift",
      cell: (e) => {
        const found = driftOf(e.keyId, data);
        return found.length ? found.map((finding) => badge(finding.kind, "drift", describeFinding(finding))).join("") : badge("in sync", "in-sync");
      },
      sort: (e) => driftOf(e.keyId, data).map((finding) => finding.kind).join(" ") || "~",
    });
  }
  list.push({ key: "key-id", title: "Key ID", cell: (e) => `<code>${h(e.keyId)}</code>`, sort: (e) => e.keyId });
  return list;
}

function keyTable(data: InventoryData): string {
  const cols = columns(data);
  const rows = [...data.entries]
    .sort((a, b) => a.name.localeCompare(b.name) || a.keyId.localeCompare(b.keyId))
    .map((entry, index) => `<tr data-index="${index}">${cols.map((column) => `<td data-sort="${h(column.sort(entry))}">${column.cell(entry)}</td>`).join("")}</tr>`);
  const head = cols.map((column, index) => `<th scope="col" data-column="${column.key}"${index === 0 ? ' aria-sort="ascending"' : ""}><button type="button">${h(column.title)}</button></th>`).join("");
  return `<table id="keys"><thead><tr>${head}</tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

function summary(data: InventoryData): string {
  const now = data.generatedAt.getTime();
  const expiring = data.entries.filter((entry) => entry.expiresAt && Date.parse(entry.expiresAt) > now && Date.parse(entry.expiresAt) <= now + data.warnWithinSeconds * 1000);
  const items: [string, number, string][] = [
    ["Keys", data.entries.length, "keys"],
    ["Active", data.entries.filter((entry) => entry.status === "active").length, "active"],
    ["Inactive", data.entries.filter((entry) => entry.status === "inactive").length, "inactive"],
    [`Expiring within ${Math.round(data.warnWithinSeconds / 86400)} days`, expiring.length, "expiring"],
    ["Expired", data.entries.filter((entry) => entry.expiresAt && Date.parse(entry.expiresAt) <= now).length, "expired"],
  ];
  if (data.drift) items.push(["Drift findings", data.drift.findings.length, "drift"]);
  items.push(["Audit events", data.audit.events.length, "audit-events"]);
  return `<dl class="summary">${items.map(([label, count, id]) => `<div id="count-${id}"><dt>${h(label)}</dt><dd>${count}</dd></div>`).join("")}</dl>`;
}

function expiryWarnings(data: InventoryData): string {
  const now = data.generatedAt.getTime();
  const soon = data.entries
    .filter((entry) => entry.expiresAt && Date.parse(entry.expiresAt) <= now + data.warnWithinSeconds * 1000)
    .sort((a, b) => a.expiresAt!.localeCompare(b.expiresAt!));
  if (!soon.length) return `<p id="expiry-warnings">No key expires within ${Math.round(data.warnWithinSeconds / 86400)} days.</p>`;
  return `<ul id="expiry-warnings">${soon
    .map((entry) => `<li>${badge(expiryNote(entry.expiresAt, data.generatedAt)!, Date.parse(entry.expiresAt!) <= now ? "bad" : "warn")} ${h(entry.name)} (<code>${h(entry.keyId)}</code>${entry.owner ? `, owner ${h(entry.owner)}` : ""}) on ${h(formatInstant(entry.expiresAt))}</li>`)
    .join("")}</ul>`;
}

function driftSection(data: InventoryData): string {
  if (!data.drift) return "";
  const { stacks, compared, findings } = data.drift;
  const intro = `<p>${stacks.length === 1 ? "Stack" : "Stacks"} ${h(stacks.join(", "))}: ${compared} resource${compared === 1 ? "" : "s"} compared with table <code>${h(data.tableName)}</code>.</p>`;
  if (!findings.length) return `<h2>Drift</h2>${intro}<p id="drift-findings">No drift.</p>`;
  const items = findings.map(
    (finding) =>
      `<li>${badge(finding.kind, "drift")} <code>${h(finding.keyId)}</code>${finding.name ? ` ${h(finding.name)}` : ""}${finding.managedBy.length ? ` (${h(finding.managedBy.map(({ stack, resource }) => `${stack}/${resource}`).join(", "))})` : ""}: ${h(describeFinding(finding))}</li>`,
  );
  const unlisted = findings.filter((finding) => finding.kind === DriftKind.MISSING || finding.kind === DriftKind.DELETED).length;
  return `<h2>Drift</h2>${intro}<ul class="findings" id="drift-findings">${items.join("")}</ul>${unlisted ? `<p>${unlisted} of them are in state but not live in the backend, so the key table above does not show them.</p>` : ""}`;
}

function auditSection(data: InventoryData): string {
  const { since, until, events } = data.audit;
  const period = `${formatInstant(since.toISOString())} to ${formatInstant(until.toISOString())}`;
  const parts = [`<h2>Audit summary</h2>`, `<p>Table <code>${h(data.auditTableName)}</code>, ${h(period)}: ${events.length} event${events.length === 1 ? "" : "s"}${events.length ? ` (${h(countActions(events))})` : ""}.</p>`];
  if (!events.length) return parts.join("");
  const byActor = new Map<string, AuditEntry[]>();
  for (const event of events) byActor.set(event.actor, [...(byActor.get(event.actor) ?? []), event]);
  parts.push(
    `<table id="audit-actors"><thead><tr><th scope="col">Actor</th><th scope="col">Events</th><th scope="col">Actions</th><th scope="col">Keys</th></tr></thead><tbody>`,
    ...[...byActor].map(([actor, own]) => `<tr><td><code>${h(actor)}</code></td><td>${own.length}</td><td>${h(countActions(own))}</td><td>${new Set(own.map((event) => event.keyId)).size}</td></tr>`),
    `</tbody></table>`,
  );
  const explained = events.filter((event) => event.reason);
  if (explained.length) {
    parts.push(
      `<h3>Reasons given for changes outside a deployment</h3><table id="audit-reasons"><thead><tr><th scope="col">When</th><th scope="col">Key</th><th scope="col">Action</th><th scope="col">Changed</th><th scope="col">Actor</th><th scope="col">Reason</th></tr></thead><tbody>`,
      ...explained.map(
        (event) =>
          `<tr><td>${h(formatInstant(event.at))}</td><td><code>${h(event.keyId)}</code></td><td>${h(event.action)}</td><td>${h(event.changedFields.join(", ") || "-")}</td><td><code>${h(event.actor)}</code></td><td>${h(event.reason ?? "")}</td></tr>`,
      ),
      `</tbody></table>`,
    );
  }
  const untraced = events.filter((event) => !event.commit).length;
  parts.push(`<p id="audit-untraced">${untraced ? `${untraced} of ${events.length} changes name no source commit.` : "Every change names the commit it was deployed from."}</p>`);
  return parts.join("");
}

/**
 * The inventory as one self-contained HTML page: the seed's list (Key Name, Last Used, API Auth Key masked, Date
 * Created, Status) with owner and expiry warnings, rate limits and credits where keys have them, drift badges when
 * stacks were compared, and the audit summary of a period. Every value is escaped; the one style sheet and the one
 * script are inline and allowed by their hashes in a Content-Security-Policy that allows nothing else, so the page
 * loads nothing, sends nothing, and runs no script that an escaped value might smuggle in.
 */
export function inventoryHtml(data: InventoryData): string {
  const policy = [`default-src 'none'`, `style-src ${cspHash(REPORT_STYLE)}`, `script-src ${cspHash(SORT_SCRIPT)}`, `base-uri 'none'`, `form-action 'none'`].join("; ");
  const generated = formatInstant(data.generatedAt.toISOString());
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(policy)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API key inventory, ${h(generated)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<h1>API key inventory</h1>
<p class="meta">Table <code>${h(data.tableName)}</code>, generated ${h(generated)}. Keys are shown masked; no value of any key is in this page.</p>
${summary(data)}
<h2>Expiry warnings</h2>
${expiryWarnings(data)}
<h2>Keys</h2>
${keyTable(data)}
${driftSection(data)}
${auditSection(data)}
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}
