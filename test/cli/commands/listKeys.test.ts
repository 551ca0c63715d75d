import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { KeyView } from "../../../contract";
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

async function list(options: Partial<ListKeysOptions> = {}, dynamo: DocumentSender = aws.deployer.dynamo) {
  const stdout = textBuffer();
  const stderr = textBuffer();
  const code = await listKeys({ tableName: aws.stack.tableName, format: ListFormat.TABLE, ...options }, { dynamo, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function listJson(options: Partial<ListKeysOptions> = {}): Promise<Record<string, unknown>[]> {
  return JSON.parse((await list({ ...options, format: ListFormat.JSON })).stdout);
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
    });
    expect(stdout).not.toMatch(/"hash"|previousHash/);
    expect(stdout).not.toContain(usedPlaintext);
  });

  it("prints CSV with the list's columns and full instants", async () => {
    const { stdout } = await list({ format: ListFormat.CSV });
    const rows = stdout.trimEnd().split("\r\n");
    expect(rows[0]).toBe("Key Name,Last Used,API Auth Key,Date Created,Status,Key ID,Owner,Expires");
    expect(rows).toContain(`Legacy import,,${keys.legacy.maskedKey},${keys.legacy.createdAt},inactive,${keys.legacy.keyId},data-platform,`);
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
