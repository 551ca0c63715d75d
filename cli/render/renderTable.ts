import Table from "cli-table3";

// The seed's layout: columns separated by " | ", a dashed rule under the header, no frame and no colours, so the
// output reads the same in a terminal, a CI log and a file.
const CHARS = {
  top: "", "top-mid": "", "top-left": "", "top-right": "",
  bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
  left: "", "left-mid": "", right: "", "right-mid": "",
  mid: "-", "mid-mid": "-|-", middle: " | ",
};

// Values come from the backend and its writers: a control character must not reach the terminal as an escape sequence.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Renders rows under a header as an aligned plain-text table, one line per row (control characters shown as "?"). */
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const table = new Table({
    head: [...head],
    chars: CHARS,
    style: { head: [], border: [], compact: true, "padding-left": 0, "padding-right": 0 },
  });
  table.push(...rows.map((row) => row.map((cell) => cell.replace(CONTROL, "?"))));
  return table
    .toString()
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}
