import { randomUUID } from "node:crypto";
import { changeReasonRule, type AuditAction, type AuditEvent, type ChangeContext } from "../../contract";

// Bounds what a caller can make us store: the context is self-reported.
const MAX_CONTEXT = 256;

function bounded(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value.slice(0, MAX_CONTEXT) : undefined;
}

/**
 * An audit event for a change of `keyId`: who, what (field names only), when, from which stack and commit, and the
 * reason given for a change made outside a deployment (kept only when it passes the contract's rule).
 */
export function auditEvent(action: AuditAction, keyId: string, maskedKey: string, changedFields: string[], context: ChangeContext | undefined, now: Date): AuditEvent {
  const at = now.toISOString();
  const eventId = randomUUID();
  const event: AuditEvent = { keyId, sk: `${at}#${eventId}`, day: at.slice(0, 10), at, eventId, action, changedFields: [...changedFields].sort(), maskedKey };
  for (const field of ["actor", "project", "stack", "commit"] as const) {
    const value = bounded(context?.[field]);
    if (value) event[field] = value;
  }
  const reason = changeReasonRule(context?.reason);
  if ("value" in reason && reason.value) event.reason = reason.value;
  return event;
}
