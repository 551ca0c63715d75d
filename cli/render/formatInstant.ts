/** An ISO-8601 instant to the minute in UTC, as the seed's list shows dates; `absent` when there is none. */
export function formatInstant(iso: string | undefined, absent = "-"): string {
  if (!iso) return absent;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const utc = new Date(time).toISOString();
  return `${utc.slice(0, 10)} ${utc.slice(11, 16)} UTC`;
}
