/**
 * The report's one script, inline and allowed by its hash in the page's Content-Security-Policy: sorts the key table
 * by the column whose header button is pressed (again for the other direction), by each cell's `data-sort` value.
 * The sort is kept in the address (`#sort=<column>:asc|desc`), so a link opens the page sorted the same way; it reads
 * nothing else and writes nothing but the rows' order, the headers' aria-sort and that fragment.
 */
export const SORT_SCRIPT = `
(function () {
  "use strict";
  var table = document.getElementById("keys");
  if (!table || !table.tHead || !table.tBodies.length) return;
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function value(row, column) {
    var cell = row.cells[column];
    return cell ? cell.getAttribute("data-sort") || "" : "";
  }
  function sort(column, ascending) {
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var order = value(a, column).localeCompare(value(b, column), "en", { numeric: true, sensitivity: "base" });
      if (order === 0) order = Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute("aria-sort");
    heads[column].setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function columnOf(key) {
    for (var i = 0; i < heads.length; i++) if (heads[i].getAttribute("data-column") === key) return i;
    return -1;
  }
  function fromAddress() {
    var match = /^#sort=([a-z-]+):(asc|desc)$/.exec(window.location.hash);
    var column = match ? columnOf(match[1]) : -1;
    if (column >= 0) sort(column, match[2] === "asc");
  }
  Array.prototype.forEach.call(heads, function (head, column) {
    var button = head.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var ascending = head.getAttribute("aria-sort") !== "ascending";
      sort(column, ascending);
      try {
        window.history.replaceState(null, "", "#sort=" + head.getAttribute("data-column") + ":" + (ascending ? "asc" : "desc"));
      } catch (ignored) {
        // Some file: pages refuse it; the table is sorted all the same.
      }
    });
  });
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
  document.documentElement.setAttribute("data-sortable", "ready");
})();
`;
