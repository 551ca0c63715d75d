import { randomUUID } from "node:crypto";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { AUDIT_TABLE_SCHEMA, createKey } from "../../../contract";
import { useLocalStack } from "../../support/useLocalStack";
import { invoke } from "../../support/invoke";

const aws = useLocalStack();
const context = { actor: "arn:aws:iam::123456789012:user/ci", project: "payments", stack: "prod", commit: "0123abc" };

async function trailOf(keyId: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await aws.dynamo.send(
    new QueryCommand({ TableName: aws.stack.auditTableName, KeyConditionExpression: "keyId = :keyId", ExpressionAttributeValues: { ":keyId": keyId } }),
  );
  return Items;
}

describe("the audit trail", () => {
  it("records create, update, rotate and delete with who, what, where and which commit, and no key", async () => {
    const created = (await invoke(aws.stack, "create", { name: "Audited", rotation: { trigger: "1" }, requestToken: randomUUID(), context })).payload.result;
    const firstKey = await aws.plaintextOf(created.secretArn);
    await invoke(aws.stack, "update", { keyId: created.keyId, changes: { status: "inactive", description: "paused" }, context });
    await invoke(aws.stack, "update", { keyId: created.keyId, changes: { rotation: { trigger: "2" } }, context });
    const secondKey = await aws.plaintextOf(created.secretArn);
    await invoke(aws.stack, "delete", { keyId: created.keyId, recoveryWindowInDays: 7, context });

    const trail = await trailOf(created.keyId);
    expect(trail.map((event) => [event.action, event.changedFields])).toEqual([
      ["create", ["allowedCidrs", "description", "metadata", "name", "prefix", "rotation", "scopes", "status"]],
      ["update", ["description", "status"]],
      ["rotate", ["key", "rotation"]],
      ["delete", ["status"]],
    ]);
    for (const event of trail) {
      expect(event).toMatchObject({ ...context, keyId: created.keyId, day: event.at.slice(0, 10), sk: `${event.at}#${event.eventId}` });
    }
    const text = JSON.stringify(trail);
    expect(text).not.toContain(firstKey);
    expect(text).not.toContain(secondKey);
    // The record stays as a tombstone for the audit; verification forgets the key at once.
    expect(await aws.getRecord(created.keyId)).toMatchObject({ status: "deleted", deletedAt: expect.any(String) });
    expect((await invoke(aws.stack, "verify", { key: secondKey })).payload.code).toBe("NOT_FOUND");
  });

  it("is queryable by time through the byDay index", async () => {
    const created = (await invoke(aws.stack, "create", { name: "Dated", context })).payload.result;
    const day = created.createdAt.slice(0, 10);
    const { Items = [] } = await aws.dynamo.send(
      new QueryCommand({
        TableName: aws.stack.auditTableName,
        IndexName: AUDIT_TABLE_SCHEMA.byDayIndex.name,
        KeyConditionExpression: "#day = :day AND sk >= :from",
        ExpressionAttributeNames: { "#day": "day" },
        ExpressionAttributeValues: { ":day": day, ":from": created.createdAt },
      }),
    );
    expect(Items.map((item) => item.keyId)).toContain(created.keyId);
  });

  it("records a create and its audit event together or not at all", async () => {
    const before = (await aws.scanItems()).length;
    const refused = await invoke(aws.stack, "create", { name: "", context });
    expect(refused.payload).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    expect((await aws.scanItems()).length).toBe(before);
  });

  it("records the reason an out-of-band update gives, trimmed", async () => {
    const created = (await invoke(aws.stack, "create", { name: "Explained", context })).payload.result;
    const reason = "  leaked in ticket OPS-1234 ";
    expect((await invoke(aws.stack, "update", { keyId: created.keyId, changes: { status: "inactive" }, context: { ...context, reason } })).payload).toMatchObject({ ok: true });
    const [, update] = await trailOf(created.keyId);
    expect(update).toMatchObject({ action: "update", changedFields: ["status"], reason: "leaked in ticket OPS-1234" });
  });

  const pasted = createKey().key;
  it.each([
    ["that holds a key", `see ${pasted}`, /^context\.reason: holds a value that parses as an API key; the audit trail must never hold one/],
    ["with a control character", "leaked\u0007", /control/],
    ["of 257 characters", "r".repeat(257), /1 to 256 characters/],
    ["that is not a string", 42, /must be a string, got number/],
  ])("refuses a reason %s with VALIDATION naming context.reason, and changes nothing", async (_case, reason, message) => {
    const created = (await invoke(aws.stack, "create", { name: "Unexplained", context })).payload.result;
    const refused = await invoke(aws.stack, "update", { keyId: created.keyId, changes: { status: "inactive" }, context: { ...context, reason } });
    expect(refused.payload).toEqual({ ok: false, error: { code: "VALIDATION", property: "context.reason", message: expect.stringMatching(message) } });
    expect(await aws.getRecord(created.keyId)).toMatchObject({ status: "active", version: 1 });
    expect((await trailOf(created.keyId)).map((event) => event.action)).toEqual(["create"]);
  });
});
