import { escapeMarkdown } from "../../../cli/render/escapeMarkdown";

describe("escapeMarkdown", () => {
  it("keeps a value inside its table cell: pipes escaped, line breaks folded into spaces", () => {
    expect(escapeMarkdown("dev | prod\nnext")).toBe("dev \\| prod next");
  });

  it("escapes what would start emphasis, code, a link or HTML", () => {
    expect(escapeMarkdown("*a* _b_ `c` [d](e) <f>")).toBe("\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f\\>");
  });
});
