import { expiryNote } from "../../../cli/render/expiryNote";

const NOW = new Date("2026-12-01T12:00:00.000Z");

describe("expiryNote", () => {
  it.each([
    ["2026-12-31T12:00:00.000Z", "expires in 30 days"],
    ["2026-12-03T11:59:59.000Z", "expires in 1 day"],
    ["2026-12-02T11:00:00.000Z", "expires in 23 hours"],
    ["2026-12-01T12:30:00.000Z", "expires in 0 hours"],
    ["2026-12-01T12:00:00.000Z", "expired 0 hours ago"],
    ["2026-11-28T12:00:00.000Z", "expired 3 days ago"],
  ])("says %s is %j", (expiresAt, note) => {
    expect(expiryNote(expiresAt, NOW)).toBe(note);
  });

  it("says nothing without an expiry or for a date it cannot read", () => {
    expect(expiryNote(undefined, NOW)).toBeUndefined();
    expect(expiryNote("soon", NOW)).toBeUndefined();
  });
});
