import { inventoryTable } from "../../local/inventoryTable";

describe("inventoryTable", () => {
  it("prints the seed's columns and the owner, aligned, with never for a key not used yet", () => {
    const table = inventoryTable([
      { name: "Swaggy M", maskedKey: "ak_abcd…wxyz", createdAt: "2026-11-28T12:28:06.150Z", status: "active", keyId: "key_1", owner: "partners" },
      { name: "Billing", lastUsedAt: "2026-11-29T08:00:59.000Z", maskedKey: "svc_abcd…wxyz", createdAt: "2026-11-28T12:28:06.150Z", status: "inactive", keyId: "key_2" },
    ]);
    expect(table.split("\n")).toEqual([
      "Key Name | Last Used            | API Auth Key  | Date Created         | Status   | Owner    | Key ID",
      "---------|----------------------|---------------|----------------------|----------|----------|-------",
      "Swaggy M | never                | ak_abcd…wxyz  | 2026-11-28 12:28 UTC | active   | partners | key_1",
      "Billing  | 2026-11-29 08:00 UTC | svc_abcd…wxyz | 2026-11-28 12:28 UTC | inactive | -        | key_2",
    ]);
  });
});
