import { redactKeys } from "../../cli/redactKeys";

const KEY = "ak_0123456789ABCDEFGHIJKLMNOPQRST4PMbyp";

describe("redactKeys", () => {
  it("replaces every well-formed key in a text", () => {
    expect(redactKeys(`error: unknown command '${KEY}', or ${KEY}`)).toBe("error: unknown command '[redacted key]', or [redacted key]");
  });

  it("leaves alone what only looks like a key: its checksum does not match", () => {
    const lookalike = `${KEY.slice(0, -1)}q`;
    expect(redactKeys(lookalike)).toBe(lookalike);
  });
});
