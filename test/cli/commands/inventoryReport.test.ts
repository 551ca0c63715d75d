import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { API_KEY_TYPE, hashKey, type KeyView } from "../../../contract";
import type { CliContext } from "../../../cli/CliContext";
import { ExitCode } from "../../../cli/ExitCode";
import { runCli } from "../../../cli/runCli";
import { repoRoot } from "../../../tools/repoRoot";
import { chromium, type Chromium } from "../../support/chromium";
import { invoke } from "../../support/invoke";
import { textBuffer } from "../../support/textBuffer";
import { useLocalStack } from "../../support/useLocalStack";

// apikeys report --html from the local stack, rendered by headless Chromium: the DOM after the page's own script ran
// under its Content-Security-Policy, and a screenshot kept under test-output/ for people to look at.
jest.setTimeout(120_000);
const aws = useLocalStack();
const HOSTILE = `<img src=x onerror="document.title='owned'"><script>document.title='owned'</script>`;
const SCREENSHOT = path.join(repoRoot(), "test-output/report/inventory.png");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apikeys-report-"));
const keys: Record<string, KeyView> = {};
let browser: Chromium;
let page: string;
let dom: string;

async function create(event: object): Promise<KeyView> {
  return (await invoke(aws.stack, "create", event)).payload.result;
}

/** An exported state that manages each key as the backend has it, but for the status given. */
function stateOf(resources: [string, KeyView, string][]): unknown {
  const outputs = (view: KeyView, status: string) => ({ keyId: view.keyId, name: view.name, description: view.description, status, ...(view.owner ? { owner: view.owner } : {}) });
  return {
    version: 3,
    deployment: { resources: resources.map(([name, view, status]) => ({ urn: `urn:pulumi:dev::partners::${API_KEY_TYPE}::${name}`, type: API_KEY_TYPE, id: view.keyId, outputs: outputs(view, status) })) },
  };
}

async function apikeys(argv: string[], states: Record<string, unknown> = {}) {
  const stdout = textBuffer();
  const stderr = textBuffer();
  const unused = () => {
    throw new Error("not used");
  };
  const context: CliContext = {
    stdout,
    stderr,
    stdin: Readable.from([]),
    env: { APIKEYS_TABLE_NAME: aws.stack.tableName, APIKEYS_AUDIT_TABLE_NAME: aws.stack.auditTableName, AWS_REGION: aws.stack.region },
    dynamo: () => aws.dynamo,
    lambda: unused,
    loadStackState: async (stack) => states[stack],
    callerArn: unused,
    now: () => new Date(),
  };
  const code = await runCli(argv, context);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The key table's rows in the rendered DOM, each as its cells' text, tags stripped. */
function rowsOf(html: string): string[][] {
  const body = /<table id="keys">.*?<tbody>(.*?)<\/tbody>/s.exec(html)![1];
  return [...body.matchAll(/<tr data-index="\d+">(.*?)<\/tr>/gs)].map((row) => [...row[1].matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => cell[1].replace(/<[^>]+>/g, "").trim()));
}

const names = (html: string) => rowsOf(html).map((row) => row[0]);

beforeAll(async () => {
  browser = chromium();
  const day = 86_400_000;
  keys.partner = await create({ name: "Swaggy M", owner: "partnerships", expiresAt: new Date(Date.now() + 10 * day + 3_600_000).toISOString() });
  keys.billing = await create({ name: "Billing service", prefix: "svc", owner: HOSTILE });
  keys.legacy = await create({ name: "Legacy import", status: "inactive", owner: "data-platform", expiresAt: new Date(Date.now() + 200 * day).toISOString() });
  const partnerKey = await aws.plaintextOf(keys.partner.secretArn);
  await invoke(aws.stack, "verify", { key: partnerKey });
  await invoke(aws.stack, "update", { keyId: keys.legacy.keyId, changes: { status: "inactive" }, context: { reason: "unused since the migration" } });
  await invoke(aws.stack, "update", { keyId: keys.billing.keyId, changes: {}, revoke: { hash: hashKey(await aws.plaintextOf(keys.billing.secretArn)) }, context: { actor: "arn:aws:iam::1:user/oncall", reason: HOSTILE } });
  const states = { dev: stateOf([["partner-x", keys.partner, "active"], ["billing", keys.billing, "inactive"]]) };
  const { code, stdout, stderr } = await apikeys(["report", "--html", "--stack", "dev", "--since", "1d"], states);
  expect({ code, stderr }).toEqual({ code: ExitCode.OK, stderr: "" });
  page = path.join(scratch, "inventory.html");
  fs.writeFileSync(page, stdout);
  dom = await browser.dumpDom(page);
});

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("apikeys report --html in Chromium", () => {
  it("runs its own script under its Content-Security-Policy, and renders the seed's columns with owner, expiry and drift", () => {
    expect(dom).toMatch(/<html lang="en" data-sortable="ready">/);
    const heads = [...dom.matchAll(/<th scope="col" data-column="[a-z-]+"[^>]*><button type="button">([^<]+)<\/button><\/th>/g)].map((match) => match[1]);
    expect(heads).toEqual(["Key Name", "Last Used", "API Auth Key", "Date Created", "Status", "Owner", "Expires", "Drift", "Key ID"]);
    const [billing, legacy, partner] = rowsOf(dom);
    expect(names(dom)).toEqual(["Billing service", "Legacy import", "Swaggy M"]);
    expect(partner).toEqual([
      "Swaggy M",
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/),
      keys.partner.maskedKey,
      expect.stringMatching(/ UTC$/),
      "active",
      "partnerships",
      expect.stringMatching(/ UTC expires in 10 days$/),
      "in sync",
      keys.partner.keyId,
    ]);
    expect(legacy.slice(4, 8)).toEqual(["inactive", "data-platform", expect.not.stringContaining("expires in"), "unmanaged"]);
    expect(billing[1]).toBe("never");
    expect(billing[7]).toBe("changed");
    expect(dom).toContain(`<div id="count-expiring"><dt>Expiring within 30 days</dt><dd>1</dd></div>`);
  });

  it("shows hostile text as text: no element, no handler, no script of it ran", () => {
    expect(dom).toMatch(/<title>API key inventory, [^<]+<\/title>/);
    expect([...dom.matchAll(/<script>/g)]).toHaveLength(1);
    expect(dom).not.toMatch(/<img/);
    expect(rowsOf(dom)[0][5]).toBe(HOSTILE.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    // The revoke's reason, in the audit summary, is text as well.
    expect(dom).toMatch(/<table id="audit-reasons">.*&lt;script&gt;document\.title='owned'&lt;\/script&gt;/s);
  });

  it("sorts by the column named in the address, either way, with the same code its header buttons run", async () => {
    expect(names(await browser.dumpDom(page, "#sort=name:desc"))).toEqual(["Swaggy M", "Legacy import", "Billing service"]);
    // Soonest expiry first; a key that never expires sorts last.
    expect(names(await browser.dumpDom(page, "#sort=expires:asc"))).toEqual(["Swaggy M", "Legacy import", "Billing service"]);
    const byUse = await browser.dumpDom(page, "#sort=last-used:desc");
    expect(names(byUse)[0]).toBe("Swaggy M");
    expect(byUse).toMatch(/data-column="last-used" aria-sort="descending"/);
  });

  it("runs no script its policy does not name: an injected one is refused, the page's own still runs", async () => {
    const tampered = path.join(scratch, "tampered.html");
    fs.writeFileSync(tampered, fs.readFileSync(page, "utf8").replace("</body>", `<script>document.documentElement.setAttribute("data-injected", "yes")</script></body>`));
    const tamperedDom = await browser.dumpDom(tampered);
    const injected = /<html[^>]*data-injected="yes"/;
    expect(tamperedDom).toMatch(/<html[^>]*data-sortable="ready"/);
    expect(tamperedDom).not.toMatch(injected);
    // Without the policy the same script runs: the check above sees the difference.
    const open = path.join(scratch, "no-policy.html");
    fs.writeFileSync(open, fs.readFileSync(tampered, "utf8").replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ""));
    expect(await browser.dumpDom(open)).toMatch(injected);
  });

  it("leaves a screenshot of the page under test-output/", async () => {
    fs.rmSync(SCREENSHOT, { force: true });
    await browser.screenshot(page, SCREENSHOT);
    const png = fs.readFileSync(SCREENSHOT);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(20_000);
  });

  it("refuses to run without --html (exit 2)", async () => {
    const { code, stderr } = await apikeys(["report"]);
    expect(code).toBe(ExitCode.ERROR);
    expect(stderr).toContain("apikeys report writes HTML; add --html");
  });
});
