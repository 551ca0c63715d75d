/** One row of the seed's key list. */
export interface InventoryRow {
  name: string;
  lastUsedAt?: string;
  maskedKey: string;
  createdAt: string;
  status: string;
  keyId: string;
  owner?: string;
}

function when(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "never";
}

/** Renders rows as the seed's list: Key Name | Last Used | API Auth Key | Date Created | Status, plus Owner and Key ID. */
export function inventoryTable(rows: InventoryRow[]): string {
  const header = ["Key Name", "Last Used", "API Auth Key", "Date Created", "Status", "Owner", "Key ID"];
  const cells = rows.map((row) => [row.name, when(row.lastUsedAt), row.maskedKey, when(row.createdAt), row.status, row.owner ?? "-", row.keyId]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column].length)));
  const render = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column])).join(" | ").trimEnd();
  return [render(header), widths.map((width) => "-".repeat(width)).join("-|-"), ...cells.map(render)].join("\n");
}
