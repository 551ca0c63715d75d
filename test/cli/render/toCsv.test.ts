import { toCsv } from "../../../cli/render/toCsv";

describe("toCsv", () => {
  it("writes a header and rows with CRLF line ends, quoting cells with commas, quotes or line breaks", () => {
    expect(toCsv(["Key Name", "Owner"], [["Swaggy M", 'team "x", partners']])).toBe('Key Name,Owner\r\nSwaggy M,"team ""x"", partners"\r\n');
  });

  it("neutralises cells a spreadsheet would run as a formula", () => {
    const csv = toCsv(["Owner"], [["=HYPERLINK(\"http://x\")"], ["+1"], ["@sum"], ["-2"]]);
    expect(csv.split("\r\n")).toEqual(["Owner", '"\'=HYPERLINK(""http://x"")"', "'+1", "'@sum", "'-2", ""]);
  });
});
