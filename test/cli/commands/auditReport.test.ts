import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { DocumentSender } from "../../../cli/CliContext";
import { ExitCode } from "../../../cli/ExitCode";
import { auditReport, AuditFormat, type AuditReportOptions } from "../../../cli/commands/auditReport";
import { textBuffer } from "../../support/textBuffer";
import { useLocalStack } from "../../support/useLocalStack";

const aws = useLocalStack();
let auditTable: string;
/** The report's "now": events are placed relative to it, far from the real clock, so no writer's event can mix in. */
const NOW = new Date("2031-03-15T12:00:00.000Z");
const DEPLOYER = "arn:aws:sts::123456789012:assumed-role/Deployer/ci";
const JANE = "arn:aws:iam::123456789012:user/jane";
const COMMIT = "0123456789abcdef0123456789abcdef01234567";

interface Written {
  keyId: string;
  at: string;
  action: string;
  changedFields: string[];
  actor: string;
  commit?: string;
}

const EVENTS: Written[] = [
  { keyId: "key_auditA0000000000", at: "2031-01-10T09:00:00.000Z", action: "create", changedFields: ["name", "status"], actor: DEPLOYER, commit: COMMIT },
  { keyId: "key_auditA0000000000", at: "2031-03-01T08:00:00.000Z", action: "update", changedFields: ["status"], actor: JANE },
  { keyId: "key_auditB0000000000", at: "2031-03-14T23:59:59.000Z", action: "create", changedFields: ["name"], actor: DEPLOYER, commit: COMMIT },
  { keyId: "key_auditA0000000000", at: "2031-03-15T10:00:00.000Z", action: "rotate", changedFields: ["rotation"], actor: DEPLOYER, commit: COMMIT },
  { keyId: "key_auditB0000000000", at: "2031-03-15T11:00:00.000Z", action: "delete", changedFields: [], actor: JANE },
];

beforeAll(async () => {
  // The local stack builds the audit table from the shared schema, as infra/ does.
  auditTable = aws.stack.auditTableName;
  for (const [index, event] of EVENTS.entries()) {
    const eventId = `evt-${index}`;
    await aws.dynamo.send(
      new PutCommand({
        TableName: auditTable,
        Item: { ...event, sk: `${event.at}#${eventId}`, day: event.at.slice(0, 10), eventId, project: "shop", stack: "prod", maskedKey: "ak_Gjzb…7fGc" },
      }),
    );
  }
});

/** Counts the commands sent, so tests can tell a Query from a Scan. */
function recording(): { client: DocumentSender; inputs: { command: string; input: Record<string, unknown> }[] } {
  const inputs: { command: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: ((command: QueryCommand) => {
      inputs.push({ command: command.constructor.name, input: command.input as Record<string, unknown> });
      return aws.deployer.dynamo.send(command);
    }) as DocumentSender["send"],
  };
  return { client, inputs };
}

async function report(options: Partial<AuditReportOptions>, dynamo: DocumentSender = aws.deployer.dynamo) {
  const stdout = textBuffer();
  const code = await auditReport({ tableName: auditTable, since: new Date("2031-02-13T12:00:00.000Z"), format: AuditFormat.JSON, ...options }, { dynamo, stdout, now: () => NOW });
  return { code, stdout: stdout.text() };
}

describe("auditReport", () => {
  it("reads the period's events oldest first with one byDay query per UTC day, never a scan", async () => {
    const { client, inputs } = recording();
    const { code, stdout } = await report({}, client);
    expect(code).toBe(ExitCode.OK);
    const { events, since, until } = JSON.parse(stdout);
    expect([since, until]).toEqual(["2031-02-13T12:00:00.000Z", NOW.toISOString()]);
    expect(events.map((event: { at: string }) => event.at)).toEqual(EVENTS.slice(1).map((event) => event.at));
    expect(inputs.every(({ command, input }) => command === "QueryCommand" && input.IndexName === "byDay")).toBe(true);
    expect(inputs.map(({ input }) => (input.ExpressionAttributeValues as Record<string, string>)[":day"])).toHaveLength(31);
  });

  it("returns each event with who, what, when, where from and which commit", async () => {
    const { events } = JSON.parse((await report({})).stdout);
    expect(events[2]).toEqual({
      keyId: "key_auditA0000000000",
      at: "2031-03-15T10:00:00.000Z",
      eventId: "evt-3",
      action: "rotate",
      changedFields: ["rotation"],
      actor: DEPLOYER,
      project: "shop",
      stack: "prod",
      commit: COMMIT,
      maskedKey: "ak_Gjzb…7fGc",
    });
  });

  it("cuts the first day at the start instant", async () => {
    const { events } = JSON.parse((await report({ since: new Date("2031-03-15T10:30:00.000Z") })).stdout);
    expect(events.map((event: { eventId: string }) => event.eventId)).toEqual(["evt-4"]);
  });

  it("reads one key's whole history with a query of its partition", async () => {
    const { client, inputs } = recording();
    const { events } = JSON.parse((await report({ keyId: "key_auditA0000000000", since: new Date("2031-01-01T00:00:00.000Z") }, client)).stdout);
    expect(events.map((event: { action: string }) => event.action)).toEqual(["create", "update", "rotate"]);
    expect(inputs).toEqual([{ command: "QueryCommand", input: expect.not.objectContaining({ IndexName: expect.anything() }) }]);
  });

  it("writes a Markdown report for a compliance review", async () => {
    const { stdout } = await report({ format: AuditFormat.MARKDOWN });
    expect(stdout).toContain("# API key audit report");
    expect(stdout).toContain("- Events: 4 (update 1, create 1, rotate 1, delete 1)");
    expect(stdout).toContain(`| 2031-03-15T10:00:00.000Z | key\\_auditA0000000000 (ak\\_Gjzb…7fGc) | rotate | rotation | ${DEPLOYER} | shop / prod | ${COMMIT} |`);
    expect(stdout).toContain("2 of 4 changes name no source commit");
  });

  it("prints a table for the terminal, with the commit shortened", async () => {
    const { stdout } = await report({ format: AuditFormat.TABLE });
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0].split(/\s*\|\s*/)).toEqual(["When", "Action", "Key ID", "API Auth Key", "Changed", "Actor", "Project/stack", "Commit"]);
    expect(lines).toHaveLength(6);
    expect(lines[4].split(/\s*\|\s*/)).toEqual(["2031-03-15T10:00:00.000Z", "rotate", "key_auditA0000000000", "ak_Gjzb…7fGc", "rotation", DEPLOYER, "shop/prod", COMMIT.slice(0, 12)]);
  });

  it("says so when the period holds no events", async () => {
    const { stdout } = await report({ format: AuditFormat.TABLE, keyId: "key_never00000000000" });
    expect(stdout).toBe("No audit events since 2031-02-13T12:00:00.000Z for key_never00000000000.\n");
  });

  it("refuses a --key that is not a keyId, without printing it", async () => {
    const pasted = "ak_0000000000000000000000000000002C8GjS";
    await expect(report({ keyId: pasted })).rejects.toThrow(/--key must be a keyId/);
    await expect(report({ keyId: pasted })).rejects.not.toThrow(pasted);
  });

  it("refuses a period of more than 366 days across all keys, before querying anything", async () => {
    const { client, inputs } = recording();
    await expect(report({ since: new Date("2029-01-01T00:00:00.000Z") }, client)).rejects.toThrow(/spans 804 days; a report reads at most 366/);
    expect(inputs).toEqual([]);
  });
});
