const DAY_MS = 86_400_000;

/** The UTC days (YYYY-MM-DD) from the one holding `from` to the one holding `to`, both included: the byDay partitions. */
export function utcDays(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let day = Math.floor(from.getTime() / DAY_MS); day <= Math.floor(to.getTime() / DAY_MS); day += 1) {
    days.push(new Date(day * DAY_MS).toISOString().slice(0, 10));
  }
  return days;
}
