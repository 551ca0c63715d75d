import { formatInstant } from "../../../cli/render/formatInstant";

describe("formatInstant", () => {
  it("shows an instant to the minute in UTC, whatever zone it was written in", () => {
    expect(formatInstant("2026-11-28T13:44:59.999+01:00")).toBe("2026-11-28 12:44 UTC");
  });

  it("shows the given placeholder when there is no instant, and an unparsable value as it is", () => {
    expect(formatInstant(undefined, "never")).toBe("never");
    expect(formatInstant(undefined)).toBe("-");
    expect(formatInstant("soon")).toBe("soon");
  });
});
