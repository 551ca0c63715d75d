import { auditMarkdown } from "../../../cli/audit/auditMarkdown";
import type { AuditEntry } from "../../../cli/backend/queryAudit";

const PERIOD = { since: new Date("2026-10-29T12:00:00Z"), until: new Date("2026-11-28T12:00:00Z"), tableName: "apikeys-audit" };
const DEPLOYER = "arn:aws:sts::123456789012:assumed-role/Deployer/ci";

const EVENTS: AuditEntry[] = [
  { keyId: "key_a", at: "2026-11-01T09:00:00.000Z", eventId: "e1", action: "create", changedFields: ["name", "status"], actor: DEPLOYER, project: "shop", stack: "prod", commit: "0123456789abcdef0123456789abcdef01234567", maskedKey: "ak_Gjzb…7fGc" },
  { keyId: "key_a", at: "2026-11-02T10:00:00.000Z", eventId: "e2", action: "update", changedFields: ["status"], actor: "arn:aws:iam::123456789012:user/jane_doe", project: "shop", stack: "prod" },
];

describe("auditMarkdown", () => {
  it("heads the report with its period, scope and counts", () => {
    const report = auditMarkdown(EVENTS, PERIOD, new Date("2026-11-28T12:00:00Z"));
    expect(report).toContain("# API key audit report");
    expect(report).toContain("- Period: 2026-10-29 12:00 UTC to 2026-11-28 12:00 UTC");
    expect(report).toContain("- Keys: all keys");
    expect(report).toContain("- Events: 2 (create 1, update 1)");
  });

  it("shows who changed which key, what, when and from which stack and commit, one row per event", () => {
    const report = auditMarkdown(EVENTS, PERIOD, new Date());
    expect(report).toContain("| When (UTC) | Key | Action | Changed fields | Actor | Project / stack | Commit |");
    expect(report).toContain(
      `| 2026-11-01T09:00:00.000Z | key\\_a (ak\\_Gjzb…7fGc) | create | name, status | ${DEPLOYER} | shop / prod | 0123456789abcdef0123456789abcdef01234567 |`,
    );
    expect(report).toContain("| 2026-11-02T10:00:00.000Z | key\\_a | update | status | arn:aws:iam::123456789012:user/jane\\_doe | shop / prod | none |");
  });

  it("counts changes per actor and names the changes no commit accounts for", () => {
    const report = auditMarkdown(EVENTS, PERIOD, new Date());
    expect(report).toContain(`| ${DEPLOYER} | 1 | create 1 | 1 |`);
    expect(report).toContain("1 of 2 changes name no source commit, so this report cannot trace them to a reviewed revision. Event ids: e2.");
  });

  it("says so when nothing changed, and names the one key a report is about", () => {
    const report = auditMarkdown([], { ...PERIOD, keyId: "key_a" }, new Date());
    expect(report).toContain("- Keys: key\\_a");
    expect(report).toContain("No key was changed in this period.");
    expect(report).not.toContain("| --- |");
  });

  it("keeps a hostile value inside its cell", () => {
    const report = auditMarkdown([{ ...EVENTS[1], stack: "prod | injected\n# Heading" }], PERIOD, new Date());
    expect(report).toContain("shop / prod \\| injected # Heading");
    expect(report).not.toMatch(/^# Heading/m);
  });

  it("lists the reasons given for changes made outside a deployment, only when there are any", () => {
    expect(auditMarkdown(EVENTS, PERIOD, new Date())).not.toContain("## Reasons given");
    const paused = { ...EVENTS[1], eventId: "e3", reason: "leaked in | a ticket" };
    const report = auditMarkdown([...EVENTS, paused], PERIOD, new Date());
    expect(report).toContain("## Reasons given");
    expect(report).toContain("| 2026-11-02T10:00:00.000Z | key\\_a | update | status | arn:aws:iam::123456789012:user/jane\\_doe | leaked in \\| a ticket |");
  });
});
