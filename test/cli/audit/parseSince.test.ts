import { parseSince } from "../../../cli/audit/parseSince";

const NOW = new Date("2026-11-28T12:00:00.000Z");

describe("parseSince", () => {
  it("takes a duration back from now", () => {
    expect(parseSince("30d", NOW).toISOString()).toBe("2026-10-29T12:00:00.000Z");
    expect(parseSince("12h", NOW).toISOString()).toBe("2026-11-28T00:00:00.000Z");
    expect(parseSince("90m", NOW).toISOString()).toBe("2026-11-28T10:30:00.000Z");
  });

  it("takes a date as its UTC midnight, and an instant with a zone as it is", () => {
    expect(parseSince("2026-11-01", NOW).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(parseSince("2026-11-27T10:00:00+02:00", NOW).toISOString()).toBe("2026-11-27T08:00:00.000Z");
  });

  it("refuses anything else, saying which forms it takes", () => {
    expect(() => parseSince("last month", NOW)).toThrow(/not a duration \(30d, 12h, 90m, 45s\), a date \(2026-11-01\) or an ISO-8601 instant/);
    expect(() => parseSince("2026-11-27T10:00:00", NOW)).toThrow(/not a duration/);
    expect(() => parseSince("2026-02-30", NOW)).toThrow(/not a valid date/);
  });

  it("refuses a start in the future", () => {
    expect(() => parseSince("2026-12-01", NOW)).toThrow(/in the future/);
  });
});
