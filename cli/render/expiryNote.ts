const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * How far off an expiry is, for people: "expires in 12 days", "expires in 5 hours", "expired 3 days ago"; undefined
 * when there is no expiry. Whole days and hours, counted down, so "in 1 day" never means less than a day.
 */
export function expiryNote(expiresAt: string | undefined, now: Date): string | undefined {
  if (!expiresAt) return undefined;
  const left = Date.parse(expiresAt) - now.getTime();
  if (Number.isNaN(left)) return undefined;
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;
  if (left <= 0) {
    const ago = -left;
    return ago < DAY ? `expired ${plural(Math.floor(ago / HOUR), "hour")} ago` : `expired ${plural(Math.floor(ago / DAY), "day")} ago`;
  }
  return left < DAY ? `expires in ${plural(Math.floor(left / HOUR), "hour")}` : `expires in ${plural(Math.floor(left / DAY), "day")}`;
}
