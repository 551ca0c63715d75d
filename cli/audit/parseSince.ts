import { parseDuration } from "../../contract";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

// Date parsing rolls 2026-02-30 over into March; a report period must start where the user said.
function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/**
 * The start of a report period: a duration back from `now` ("30d", "12h", "90m"), a UTC date ("2026-11-01", from its
 * midnight) or an ISO-8601 instant with a zone. Throws a message fit for the user otherwise, or when it is in the future.
 */
export function parseSince(text: string, now: Date): Date {
  const seconds = parseDuration(text);
  let since: Date;
  if (seconds !== undefined) since = new Date(now.getTime() - seconds * 1000);
  else if (DATE.test(text)) since = new Date(`${text}T00:00:00Z`);
  else if (INSTANT.test(text)) since = new Date(text);
  else throw new Error(`"${text}" is not a duration (30d, 12h, 90m, 45s), a date (2026-11-01) or an ISO-8601 instant`);
  if (Number.isNaN(since.getTime()) || (seconds === undefined && !isCalendarDate(text.slice(0, 10)))) throw new Error(`"${text}" is not a valid date`);
  if (since.getTime() > now.getTime()) throw new Error(`"${text}" is in the future`);
  return since;
}
