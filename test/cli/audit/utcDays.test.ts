import { utcDays } from "../../../cli/audit/utcDays";

describe("utcDays", () => {
  it("lists every UTC day from the start's to the end's, both included", () => {
    expect(utcDays(new Date("2026-11-27T23:59:59Z"), new Date("2026-11-29T00:00:00Z"))).toEqual(["2026-11-27", "2026-11-28", "2026-11-29"]);
  });

  it("gives one day for a period within a day, and crosses month and year ends", () => {
    expect(utcDays(new Date("2026-11-28T01:00:00Z"), new Date("2026-11-28T02:00:00Z"))).toEqual(["2026-11-28"]);
    expect(utcDays(new Date("2026-12-31T12:00:00Z"), new Date("2027-01-01T12:00:00Z"))).toEqual(["2026-12-31", "2027-01-01"]);
  });
});
