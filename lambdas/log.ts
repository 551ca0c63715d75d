import { redactKeys } from "../contract";

/** Fields a log line may carry: identifiers and masked values only, never a key. */
export interface LogFields {
  keyId?: string;
  maskedKey?: string;
  operation?: string;
  [field: string]: string | number | boolean | undefined;
}

/**
 * Writes one JSON log line (what CloudWatch Logs Insights queries best). Anything in it that parses as a key is
 * redacted: an error's detail may quote input.
 */
export function log(level: "info" | "warn" | "error", message: string, fields: LogFields = {}): void {
  const line = redactKeys(JSON.stringify({ level, message, ...fields, at: new Date().toISOString() }));
  if (level === "error") console.error(line);
  else console.log(line);
}
