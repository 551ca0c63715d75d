import { PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ItemKey, ItemType, type KeyView } from "../../../contract";
import type { DocumentSender } from "../../../cli/CliContext";
import { ExitCode } from "../../../cli/ExitCode";
import { listKeys, ListFormat, type ListKeysOptions } from "../../../cli/commands/listKeys";
import { invoke } from "../../support/invoke";
import { textBuffer } from "../../support/textBuffer";
import { useLocalStack } from "../../support/useLocalStack";

const aws = useLocalStack();
const keys: Record<string, KeyView> = {};
let usedPlaintext: string;

async function create(request: Record<string, unknown>): Promise<KeyView> {
  const { payload } = await invoke(aws.stack, "create", request);
  expect(payload).toMatchObject({ ok: true });
  return payload.result;
}

beforeAll(async () => {
  keys.partner = await create({ name: "Swaggy M", owner: "partnerships", expiresAt: "2099-01-31T00:00:00.000Z" });
  keys.billing = await create({ name: "Billing service", prefix: "svc", owner: "billing" });
  keys.legacy = await create({ name: "Legacy import", status: "inactive", owner: "data-platform" });
  keys.retired = await create({ name: "Retired", owner: "billing" });
  expect((await invoke(aws.stack, "delete", { keyId: keys.retired.keyId, recoveryWindowInDays: 7 })).payload).toMatchObject({ ok: true });
  usedPlaintext = await aws.plaintextOf(keys.partner.secretArn);
  expect((await invoke(aws.stack, "verify", { key: usedPlaintext })).payload).toMatchObject({ valid: true });
});

async function list(options: Partial<ListKeysOptions> = {}, dynamo: DocumentSender = aws.deployer.dynamo, now?: Date) {
  const stdout = textBuffer();
  const stderr = textBuffer();
  const code = await listKeys({ tableName: aws.stack.tableName, format: ListFormat.TABLE, ...options }, { dynamo, stdout, stderr, ...(now ? { now: () => now } : {}) });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function listJson(options: Partial<ListKeysOptions> = {}, now?: Date): Promise<Record<string, unknown>[]> {
  return JSON.parse((await list({ ...options, format: ListFormat.JSON }, aws.deployer.dynamo, now)).stdout);
}

/** The table's rows as cells by column title. */
function rowsOf(table: string): Record<string, string>[] {
  const [header, , ...lines] = table.trimEnd().split("\n").map((line) => line.split(/\s*\|\s*/).map((cell) => cell.trim()));
  return lines.map((cells) => Object.fromEntries(header.map((title, index) => [title, cells[index]])));
}

describe("listKeys", () => {
  it("prints the seed's list of live keys by name: masked key, last use, creation date, status, key id, owner, expiry", async () => {
    const { code, stdout } = await list();
    expect(code).toBe(ExitCode.OK);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0].split(/\s*\|\s*/)).toEqual(["Key Name", "Last Used", "API Auth Key", "Date Created", "Status", "Key ID", "Owner", "Expires"]);
    expect(lines[1]).toMatch(/^-+\|-+/);
    expect(lines.slice(2).map((line) => line.split(" | ")[0].trim())).toEqual(["Billing service", "Legacy import", "Swaggy M"]);
    const partner = lines.find((line) => line.startsWith("Swaggy M"))!.split(/\s*\|\s*/);
    expect(partner).toEqual([
      "Swaggy M",
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/),
      keys.partner.maskedKey,
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/),
      "active",
      keys.partner.keyId,
      "partnerships",
      "2099-01-31 00:00 UTC",
    ]);
    expect(lines.find((line) => line.startsWith("Billing service"))).toMatch(/\| never +\| svc_/);
  });

  it("shows the last use that verify recorded on the lookup item", async () => {
    const [partner] = (await listJson()).filter((entry) => entry.keyId === keys.partner.keyId);
    const lookups = (await aws.scanItems()).filter((item) => item.type === "lookup" && item.keyId === keys.partner.keyId);
    expect(lookups.map((item) => item.lastUsedAt)).toEqual([expect.any(String)]);
    expect(partner.lastUsedAt).toBe(lookups[0].lastUsedAt);
  });

  it("hides deleted keys unless asked; --status deleted lists only them", async () => {
    expect((await listJson()).map((entry) => entry.keyId)).not.toContain(keys.retired.keyId);
    const all = await listJson({ includeDeleted: true });
    expect(all.find((entry) => entry.keyId === keys.retired.keyId)).toMatchObject({ status: "deleted", deletedAt: expect.any(String) });
    expect((await listJson({ status: "deleted" })).map((entry) => entry.keyId)).toEqual([keys.retired.keyId]);
  });

  it("filters by status, owner and key prefix, and says so when nothing matches", async () => {
    expect((await listJson({ status: "inactive" })).map((entry) => entry.name)).toEqual(["Legacy import"]);
    expect((await listJson({ owner: "billing" })).map((entry) => entry.name)).toEqual(["Billing service"]);
    expect((await listJson({ prefix: "svc" })).map((entry) => entry.name)).toEqual(["Billing service"]);
    expect((await listJson({ owner: "billing", includeDeleted: true })).map((entry) => entry.name)).toEqual(["Billing service", "Retired"]);
    expect((await list({ owner: "nobody" })).stdout).toBe(`No keys in table ${aws.stack.tableName} match the filters.\n`);
  });

  it("prints JSON with full instants and the record's metadata, but neither hash nor plaintext", async () => {
    const { stdout } = await list({ format: ListFormat.JSON });
    const partner = JSON.parse(stdout).find((entry: { keyId: string }) => entry.keyId === keys.partner.keyId);
    expect(partner).toEqual({
      keyId: keys.partner.keyId,
      name: "Swaggy M",
      description: "",
      status: "active",
      prefix: "ak",
      owner: "partnerships",
      maskedKey: keys.partner.maskedKey,
      createdAt: keys.partner.createdAt,
      updatedAt: keys.partner.updatedAt,
      lastUsedAt: expect.any(String),
      expiresAt: "2099-01-31T00:00:00.000Z",
      version: keys.partner.version,
      scopes: [],
      metadata: {},
      rotation: {},
      allowedCidrs: [],
    });
    expect(stdout).not.toMatch(/"hash"|previousHash/);
    expect(stdout).not.toContain(usedPlaintext);
  });

  it("prints CSV with the list's columns and full instants", async () => {
    const { stdout } = await list({ format: ListFormat.CSV });
    const rows = stdout.trimEnd().split("\r\n");
    expect(rows[0]).toBe("Key Name,Last Used,API Auth Key,Date Created,Status,Key ID,Owner,Expires,Rate Limit,Credits");
    expect(rows).toContain(`Legacy import,,${keys.legacy.maskedKey},${keys.legacy.createdAt},inactive,${keys.legacy.keyId},data-platform,,,`);
    expect(rows).toHaveLength(4);
  });

  it("pages through the table with ExclusiveStartKey and lists every key, reporting progress on stderr when asked", async () => {
    const scans: Record<string, unknown>[] = [];
    const counting: DocumentSender = {
      send: ((command: ScanCommand) => {
        scans.push(command.input as Record<string, unknown>);
        return aws.deployer.dynamo.send(command);
      }) as DocumentSender["send"],
    };
    const items = (await aws.scanItems()).length;
    const { stdout, stderr } = await list({ format: ListFormat.JSON, pageSize: 2, progress: true }, counting);
    expect(JSON.parse(stdout).map((entry: { name: string }) => entry.name)).toEqual(["Billing service", "Legacy import", "Swaggy M"]);
    expect(scans.length).toBeGreaterThanOrEqual(Math.ceil(items / 2));
    expect(scans[0].ExclusiveStartKey).toBeUndefined();
    expect(scans.slice(1).every((input) => input.ExclusiveStartKey !== undefined)).toBe(true);
    expect(stderr).toContain("scanning: 2 items in 1 page…\n");
    expect(stderr).toMatch(new RegExp(`scanning: ${items} items in ${scans.length} pages, done\\n$`));
  });

  it("prints no progress into a pipe unless asked", async () => {
    const { stderr } = await list({ pageSize: 2 });
    expect(stderr).toBe("");
  });
});

describe("listKeys --expiring", () => {
  const DAY = 86_400_000;
  const now = new Date();
  const soon = new Date(now.getTime() + 10 * DAY + 3_600_000).toISOString();
  const later = new Date(now.getTime() + 40 * DAY + 3_600_000).toISOString();

  beforeAll(async () => {
    keys.soon = await create({ name: "Expires soon", owner: "partnerships", expiresAt: soon });
    keys.later = await create({ name: "Expires later", status: "inactive", expiresAt: later });
  });

  it("lists the keys that expire within the period, with how long each has left, and exits 1", async () => {
    const { code, stdout } = await list({ expiringWithinSeconds: 30 * 86400 }, aws.dynamo);
    expect(code).toBe(ExitCode.FINDINGS);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0].split(/\s*\|\s*/)).toEqual(["Key Name", "Last Used", "API Auth Key", "Date Created", "Status", "Key ID", "Owner", "Expires", "Expires in"]);
    expect(lines.slice(2).map((line) => line.split(/\s*\|\s*/).filter((_, index) => [0, 7, 8].includes(index)))).toEqual([["Expires soon", expect.stringMatching(/ UTC$/), "10 days"]]);
  });

  it("lists inactive keys too, soonest first, and leaves out keys expiring after the period or never", async () => {
    const listed = await listJson({ expiringWithinSeconds: 60 * 86400 });
    expect(listed.map((entry) => entry.name)).toEqual(["Expires soon", "Expires later"]);
    expect(listed.map((entry) => entry.name)).not.toContain("Swaggy M"); // expires in 2099
  });

  it("exits 0 and says so when no key expires within the period", async () => {
    const { code, stdout } = await list({ expiringWithinSeconds: 86400 });
    expect({ code, stdout }).toEqual({ code: ExitCode.OK, stdout: `No key in table ${aws.stack.tableName} expires within 1 day.\n` });
  });

  it("takes the period from the command line, and refuses one it cannot read (exit 2)", async () => {
    const { Readable } = await import("node:stream");
    const { runCli } = await import("../../../cli/runCli");
    const run = async (argv: string[]) => {
      const stdout = textBuffer();
      const stderr = textBuffer();
      const unused = () => {
        throw new Error("not used");
      };
      const code = await runCli(argv, { stdout, stderr, stdin: Readable.from([]), env: { APIKEYS_TABLE_NAME: aws.stack.tableName }, dynamo: () => aws.dynamo, lambda: unused, loadStackState: unused, callerArn: unused, now: () => new Date() });
      return { code, stdout: stdout.text(), stderr: stderr.text() };
    };
    const found = await run(["list", "--expiring", "30d", "--csv"]);
    expect(found.code).toBe(ExitCode.FINDINGS);
    expect(found.stdout.split("\r\n")[1]).toMatch(/^Expires soon,/);
    const refused = await run(["list", "--expiring", "30x"]);
    expect(refused.code).toBe(ExitCode.ERROR);
    expect(refused.stderr).toMatch(/--expiring <period>' argument '30x' is invalid\. must be a period such as "30d"/);
  });
});

describe("listKeys with rate limits, credits, allowed ranges and notBefore", () => {
  const LIMITS = {
    scopes: ["orders:read"],
    metadata: { tier: "gold" },
    rotation: { gracePeriod: "1h" },
    rateLimit: { limit: 100, window: "1m" },
    credits: { remaining: 50 },
    allowedCidrs: ["10.0.0.0/8", "2001:db8::/32"],
    notBefore: "2000-01-01T00:00:00.000Z",
  };

  beforeAll(async () => {
    keys.metered = await create({ name: "Metered", owner: "metering", ...LIMITS });
    keys.refilled = await create({ name: "Refilled", owner: "metering", credits: { remaining: 42, refill: { amount: 100, interval: "daily" } } });
    keys.throttled = await create({ name: "Throttled", owner: "metering", rateLimit: { limit: 5, window: "1s" } });
    keys.plain = await create({ name: "Plain", owner: "metering" });
  });

  it("adds Rate Limit and Credits columns: the limit per window, the balance with its refill, and - for a key without", async () => {
    const { stdout } = await list({ owner: "metering" }, aws.deployer.dynamo, new Date(keys.refilled.createdAt));
    expect(stdout.split("\n")[0].split(/\s*\|\s*/)).toEqual(["Key Name", "Last Used", "API Auth Key", "Date Created", "Status", "Key ID", "Owner", "Expires", "Rate Limit", "Credits"]);
    expect(rowsOf(stdout).map((row) => [row["Key Name"], row["Rate Limit"], row.Credits])).toEqual([
      ["Metered", "100/1m", "50"],
      ["Plain", "-", "-"],
      ["Refilled", "-", "42 (refill 100 daily)"],
      ["Throttled", "5/1s", "-"],
    ]);
  });

  it("leaves the columns out of the table when no listed key has a limit or credits", async () => {
    const plain = await list({ owner: "partnerships" });
    expect(plain.stdout.split("\n")[0]).not.toMatch(/Rate Limit|Credits/);
    const throttled = (await list({ owner: "metering" })).stdout.split("\n")[0];
    expect(throttled).toMatch(/Rate Limit \| Credits$/);
  });

  it("shows the balance at the list's clock: after the refill's UTC boundary, the refill amount", async () => {
    const nextDay = new Date((Math.floor(Date.parse(keys.refilled.createdAt) / 86_400_000) + 1) * 86_400_000);
    const [refilled] = (await listJson({ owner: "metering" }, nextDay)).filter((entry) => entry.keyId === keys.refilled.keyId);
    expect(refilled).toMatchObject({ credits: { remaining: 42, refill: { amount: 100, interval: "daily" } }, creditsRemaining: 100 });
    expect(rowsOf((await list({ owner: "metering" }, aws.deployer.dynamo, nextDay)).stdout).find((row) => row["Key Name"] === "Refilled")!.Credits).toBe("100 (refill 100 daily)");
  });

  it("shows the live balance falling as the verify function accepts the key, from the usage item of the same Scan, as refresh reads it", async () => {
    const spender = await create({ name: "Spender", owner: "spending", credits: { remaining: 10 } });
    const plaintext = await aws.plaintextOf(spender.secretArn);
    const balance = async () => (await listJson({ owner: "spending" }))[0].creditsRemaining;
    expect(await balance()).toBe(10);
    expect((await invoke(aws.stack, "verify", { key: plaintext, cost: 3 })).payload).toMatchObject({ valid: true, creditsRemaining: 7 });
    expect((await invoke(aws.stack, "verify", { key: plaintext })).payload).toMatchObject({ valid: true, creditsRemaining: 6 });
    expect(await balance()).toBe(6);

    const sent: string[] = [];
    const recording: DocumentSender = {
      send: ((command: ScanCommand) => {
        sent.push(command.constructor.name);
        return aws.deployer.dynamo.send(command);
      }) as DocumentSender["send"],
    };
    const { stdout } = await list({ owner: "spending" }, recording);
    expect(rowsOf(stdout)[0].Credits).toBe("6");
    expect(new Set(sent)).toEqual(new Set(["ScanCommand"]));
    expect((await invoke(aws.stack, "read", { keyId: spender.keyId })).payload).toMatchObject({ ok: true, result: { credits: { remaining: 10 }, creditsRemaining: 6 } });
  });

  it("prints JSON with scopes, metadata, rotation, the limit, declared and live credits, allowed ranges and notBefore", async () => {
    const [metered] = (await listJson({ owner: "metering" })).filter((entry) => entry.keyId === keys.metered.keyId);
    expect(metered).toEqual({
      keyId: keys.metered.keyId,
      name: "Metered",
      description: "",
      status: "active",
      prefix: "ak",
      owner: "metering",
      maskedKey: keys.metered.maskedKey,
      createdAt: keys.metered.createdAt,
      updatedAt: keys.metered.updatedAt,
      version: keys.metered.version,
      ...LIMITS,
      creditsRemaining: 50,
    });
  });

  it("prints the rate limit and credits in CSV, empty for a key without them", async () => {
    const rows = (await list({ owner: "metering", format: ListFormat.CSV }, aws.deployer.dynamo, new Date(keys.refilled.createdAt))).stdout.trimEnd().split("\r\n");
    expect(rows.slice(1).map((row) => row.split(",").slice(-3))).toEqual([
      ["", "100/1m", "50"],
      ["", "", ""],
      ["", "", "42 (refill 100 daily)"],
      ["", "5/1s", ""],
    ]);
  });

  it("never lists a usage item as a key, not even one whose key is gone", async () => {
    const orphan = "key_0rphan0000000000";
    await aws.dynamo.send(new PutCommand({ TableName: aws.stack.tableName, Item: { pk: ItemKey.usage(orphan), type: ItemType.usage, keyId: orphan, credits_0_0: 3 } }));
    const items = await aws.scanItems();
    expect(items.filter((item) => item.type === ItemType.usage).length).toBeGreaterThanOrEqual(2);
    const { stdout, stderr } = await list({ format: ListFormat.JSON, includeDeleted: true });
    const listed: { keyId: string }[] = JSON.parse(stdout);
    expect(listed.map((entry) => entry.keyId).sort()).toEqual(items.filter((item) => item.type === ItemType.record).map((item) => item.keyId).sort());
    expect(listed.map((entry) => entry.keyId)).not.toContain(orphan);
    expect(stderr).toBe("");
  });
});
