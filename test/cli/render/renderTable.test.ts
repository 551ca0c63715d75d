import { renderTable } from "../../../cli/render/renderTable";

describe("renderTable", () => {
  it("aligns columns the way the seed's list does: pipes between cells, a dashed rule under the header, no trailing spaces", () => {
    const table = renderTable(["Key Name", "Status"], [["Swaggy M", "active"], ["Billing service", "inactive"]]);
    expect(table.split("\n")).toEqual([
      "Key Name        | Status",
      "----------------|---------",
      "Swaggy M        | active",
      "Billing service | inactive",
    ]);
  });

  it("shows control characters as question marks, so a stored value cannot send escape sequences to the terminal", () => {
    const table = renderTable(["Actor"], [["evil\u001b[2Jname"]]);
    expect(table).not.toContain("\u001b");
    expect(table).toContain("evil?[2Jname");
  });
});
