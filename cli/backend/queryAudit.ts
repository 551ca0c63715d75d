import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { AUDIT_TABLE_SCHEMA, type AuditEvent } from "../../contract";
import type { DocumentSender } from "../CliContext";
import { utcDays } from "../audit/utcDays";

/**
 * One change of a key as the report reads it from the audit table: names of changed fields only, never values.
 * Reader-side, so an item a writer left incomplete still shows (with "unknown" for a missing actor).
 */
export interface AuditEntry {
  keyId: string;
  /** ISO-8601 instant of the change. */
  at: string;
  eventId: string;
  /** create, update, rotate, delete or adopt; shown as written when a newer writer adds another. */
  action: string;
  changedFields: string[];
  /** The AWS identity (ARN) that made the change. */
  actor: string;
  project?: string;
  stack?: string;
  /** The source commit the change was deployed from, when the writer knew it. */
  commit?: string;
  maskedKey?: string;
  /** Why, as given for a change made outside a deployment (`apikeys deactivate --reason`). */
  reason?: string;
}

/** Which events to read. */
export interface AuditQuery {
  tableName: string;
  since: Date;
  /** The last day to read (its whole UTC day); events are not cut at this instant, so a writer's clock skew loses nothing. */
  until: Date;
  /** One key's history: a Query of its partition instead of one per day. */
  keyId?: string;
}

// An audit item as read: the writer's attribute names (a renamed one fails to compile here), any value or none.
type AuditItem = Partial<Record<keyof AuditEvent, unknown>>;

// Days are independent partitions: a few in flight at once, not hundreds.
const CONCURRENT_DAYS = 8;

function optionalText(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** An audit item as an {@link AuditEntry}, tolerating items a writer left incomplete. */
function toAuditEntry(item: AuditItem): AuditEntry {
  const sk = String(item.sk ?? "");
  const fields = item.changedFields;
  const event: AuditEntry = {
    keyId: String(item.keyId ?? ""),
    at: optionalText(item.at) ?? sk.split("#")[0],
    eventId: optionalText(item.eventId) ?? sk.slice(sk.indexOf("#") + 1),
    action: String(item.action ?? "unknown"),
    // A string list (L) or a string set (SS, which the document client reads as a Set).
    changedFields: fields instanceof Set || Array.isArray(fields) ? [...fields].map(String).sort() : [],
    actor: optionalText(item.actor) ?? "unknown",
  };
  for (const field of ["project", "stack", "commit", "maskedKey", "reason"] as const) {
    const value = optionalText(item[field]);
    if (value !== undefined) event[field] = value;
  }
  return event;
}

// Code-unit order, as DynamoDB sorts sort keys: the instant first, then the event id.
function byTime(a: AuditItem, b: AuditItem): number {
  const [left, right] = [`${a.sk}\u0000${a.keyId}`, `${b.sk}\u0000${b.keyId}`];
  return left < right ? -1 : left > right ? 1 : 0;
}

async function queryAll(client: DocumentSender, input: QueryCommandInput): Promise<AuditItem[]> {
  const items: AuditItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...((page.Items ?? []) as AuditItem[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The day partitions of `days` through the byDay index, at most {@link CONCURRENT_DAYS} at a time. */
async function queryDays(client: DocumentSender, tableName: string, days: string[], since: string): Promise<AuditItem[]> {
  const { byDayIndex } = AUDIT_TABLE_SCHEMA;
  const results: AuditItem[][] = [];
  for (let start = 0; start < days.length; start += CONCURRENT_DAYS) {
    const batch = days.slice(start, start + CONCURRENT_DAYS).map((day) =>
      queryAll(client, {
        TableName: tableName,
        IndexName: byDayIndex.name,
        KeyConditionExpression: "#day = :day AND #sk >= :since",
        ExpressionAttributeNames: { "#day": byDayIndex.partitionKey.name, "#sk": byDayIndex.sortKey.name },
        ExpressionAttributeValues: { ":day": day, ":since": since },
      }),
    );
    results.push(...(await Promise.all(batch)));
  }
  return results.flat();
}

/**
 * The audit events since `query.since`, oldest first: one Query per UTC day through the byDay index (never a Scan),
 * or one Query of the key's partition with `keyId`. The sort key starts with the instant, so `sk >= since` cuts the
 * first day at the right moment.
 */
export async function queryAudit(client: DocumentSender, query: AuditQuery): Promise<AuditEntry[]> {
  const since = query.since.toISOString();
  const { partitionKey, sortKey } = AUDIT_TABLE_SCHEMA;
  const items = query.keyId
    ? await queryAll(client, {
        TableName: query.tableName,
        KeyConditionExpression: "#keyId = :keyId AND #sk >= :since",
        ExpressionAttributeNames: { "#keyId": partitionKey.name, "#sk": sortKey.name },
        ExpressionAttributeValues: { ":keyId": query.keyId, ":since": since },
        ConsistentRead: true,
      })
    : await queryDays(client, query.tableName, utcDays(query.since, query.until), since);
  return items.sort(byTime).map(toAuditEntry);
}
