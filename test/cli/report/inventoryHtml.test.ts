import { createHash } from "node:crypto";
import type { AuditEntry } from "../../../cli/backend/queryAudit";
import type { KeyEntry } from "../../../cli/backend/scanKeys";
import { escapeHtml } from "../../../cli/report/escapeHtml";
import { inventoryHtml, type InventoryData } from "../../../cli/report/inventoryHtml";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const HOSTILE = `</td><script>alert("x")</script><img src=x onerror=alert(1)>'"&`;

function entry(name: string, extra: Partial<KeyEntry> = {}): KeyEntry {
  return { keyId: `key_${name.replace(/[^A-Za-z0-9]/g, "").padEnd(16, "0").slice(0, 16)}`, name, description: "", status: "active", prefix: "ak", maskedKey: "ak_abcd…wxyz", createdAt: "2026-11-01T10:00:00.000Z", updatedAt: "2026-11-01T10:00:00.000Z", version: 1, scopes: [], metadata: {}, rotation: {}, allowedCidrs: [], ...extra };
}

const EVENT: AuditEntry = { keyId: "key_0000000000000000", at: "2026-11-02T00:00:00.000Z", eventId: "e1", action: "revoke", changedFields: ["key"], actor: "arn:aws:iam::1:user/oncall", reason: HOSTILE };

function data(extra: Partial<InventoryData> = {}): InventoryData {
  return {
    generatedAt: NOW,
    tableName: "apikeys",
    auditTableName: "apikeys-audit",
    entries: [entry("Swaggy M", { owner: "partnerships", expiresAt: "2026-12-10T00:00:00.000Z" }), entry(HOSTILE, { owner: HOSTILE, status: "inactive" })],
    warnWithinSeconds: 30 * 86400,
    audit: { since: new Date("2026-11-01T00:00:00.000Z"), until: NOW, events: [EVENT] },
    ...extra,
  };
}

/** The text between each pair of `tag` elements. */
function contentsOf(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((match) => match[1]);
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

describe("escapeHtml", () => {
  it("turns every character that could start markup or end an attribute into an entity", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });
});

describe("inventoryHtml", () => {
  const html = inventoryHtml(data());

  it("allows exactly its own inline style and script, by their hashes, and nothing else", () => {
    const [style] = contentsOf(html, "style");
    const [script] = contentsOf(html, "script");
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1].replace(/&#39;/g, "'");
    expect(meta).toBe(`default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(script)}; base-uri 'none'; form-action 'none'`);
    expect(contentsOf(html, "script")).toHaveLength(1);
    // No attribute that loads something, styles inline or handles an event, in any tag (values blanked first).
    const attributes = [...html.matchAll(/<[a-zA-Z][^>]*>/g)].flatMap((tag) => [...tag[0].replace(/"[^"]*"/g, '""').matchAll(/\s([a-zA-Z-]+)=/g)].map((match) => match[1].toLowerCase()));
    const allowed = new Set(["lang", "charset", "http-equiv", "content", "name", "id", "class", "scope", "data-column", "aria-sort", "type", "data-index", "data-sort", "title"]);
    expect(attributes.length).toBeGreaterThan(50);
    expect(attributes.filter((attribute) => !allowed.has(attribute))).toEqual([]);
  });

  it("escapes every value: a hostile name, owner and reason come out as text", () => {
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;/td&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&quot;&amp;");
    // Three times as text (name, owner, the audit reason), never as markup.
    expect(html.split("&lt;script&gt;alert").length - 1).toBeGreaterThanOrEqual(4);
  });

  it("shows the live balance of credits, not the declared one", () => {
    const page = inventoryHtml(data({ entries: [entry("Spent", { credits: { remaining: 40 }, creditsRemaining: 12 })] }));
    expect(page).toContain(">12 left</td>");
    expect(page).not.toContain(">40 left");
  });

  it("has the seed's columns plus owner and expiry, and a key ID; limits, credits and drift only where there are any", () => {
    const heads = (page: string) => [...page.matchAll(/<th scope="col" data-column="[a-z-]+"[^>]*><button type="button">([^<]+)<\/button>/g)].map((match) => match[1]);
    expect(heads(html)).toEqual(["Key Name", "Last Used", "API Auth Key", "Date Created", "Status", "Owner", "Expires", "Key ID"]);
    const limited = inventoryHtml(data({ entries: [entry("Metered", { rateLimit: { limit: 100, window: "1m" }, credits: { remaining: 40, refill: { amount: 1000, interval: "monthly" } } })], drift: { stacks: ["dev"], compared: 1, findings: [] } }));
    expect(heads(limited)).toEqual(["Key Name", "Last Used", "API Auth Key", "Date Created", "Status", "Owner", "Expires", "Rate Limit", "Credits", "Drift", "Key ID"]);
    expect(limited).toContain(">100 per 1m</td>");
    expect(limited).toContain(">40 left, 1000 monthly</td>");
    expect(limited).toContain('<span class="badge in-sync">in sync</span>');
  });

  it("warns of keys that expire within the period and of expired ones, in the table and in a list", () => {
    const page = inventoryHtml(data({ entries: [entry("Soon", { expiresAt: "2026-12-10T00:00:00.000Z" }), entry("Gone", { expiresAt: "2026-11-20T00:00:00.000Z" }), entry("Far", { expiresAt: "2027-06-01T00:00:00.000Z" })] }));
    const warnings = /<ul id="expiry-warnings">(.*?)<\/ul>/.exec(page)![1];
    expect(warnings.match(/<li>.*?<\/li>/g)!.map((item) => item.replace(/<[^>]+>/g, ""))).toEqual([
      "expired 11 days ago Gone (key_Gone000000000000) on 2026-11-20 00:00 UTC",
      "expires in 8 days Soon (key_Soon000000000000) on 2026-12-10 00:00 UTC",
    ]);
    expect(page).toContain('2026-12-10 00:00 UTC <span class="badge warn">expires in 8 days</span>');
    expect(page).toContain('<div id="count-expiring"><dt>Expiring within 30 days</dt><dd>1</dd></div>');
    expect(page).toContain('<div id="count-expired"><dt>Expired</dt><dd>1</dd></div>');
  });

  it("shows drift badges per key and lists findings, the keys not in the table too", () => {
    const [swaggy] = data().entries;
    const page = inventoryHtml(
      data({
        drift: {
          stacks: ["dev", "prod"],
          compared: 3,
          findings: [
            { kind: "changed", keyId: swaggy.keyId, name: "Swaggy M", managedBy: [{ stack: "dev", resource: "partner-x" }], differences: [{ field: "status", state: "active", backend: "inactive" }] },
            { kind: "missing", keyId: "key_1111111111111111", name: "Gone", managedBy: [{ stack: "prod", resource: "gone" }] },
          ],
        },
      }),
    );
    expect(page).toContain(`<span class="badge drift" title="status: &quot;active&quot; in state, &quot;inactive&quot; in the backend">changed</span>`);
    expect(page).toContain("Stacks dev, prod: 3 resources compared with table <code>apikeys</code>.");
    expect(page).toContain("1 of them are in state but not live in the backend");
  });

  it("summarises the audit period: counts per action, per actor, the reasons given, changes without a commit", () => {
    expect(html).toContain("2026-11-01 00:00 UTC to 2026-12-01 12:00 UTC: 1 event (revoke 1).");
    expect(html).toContain("<tr><td><code>arn:aws:iam::1:user/oncall</code></td><td>1</td><td>revoke 1</td><td>1</td></tr>");
    expect(html).toMatch(/<table id="audit-reasons">.*<td>revoke<\/td><td>key<\/td>/s);
    expect(html).toContain('<p id="audit-untraced">1 of 1 changes name no source commit.</p>');
  });
});
