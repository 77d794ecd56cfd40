/* Every table of the main content scrolls inside its own box (Bootstrap's .table-responsive) instead of pushing
   the page body sideways on a phone or squeezing its cells to one character a line. Templates need not remember
   to wrap each table; content that HTMX brings in later is wrapped too. app.css keeps a CSS-only fallback. */
(function () {
  "use strict";

  function wrapTables(root) {
    var tables = Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll("table") : []);
    if (root.matches && root.matches("table")) {
      tables.push(root);
    }
    tables.forEach(function (table) {
      if (!table.closest("main")) {
        return;
      }
      // A list's table already scrolls in its .list-scroll box (listing.css): a second box inside it would
      // nest two scrollbars.
      if (!table.closest(".table-responsive, .list-scroll")) {
        var box = document.createElement("div");
        box.className = "table-responsive yz-table-box";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
      markCells(table);
    });
  }

  // A short cell (a name, a date, a state) keeps one line and the box scrolls; a long one (a note, a list of
  // skills) wraps, but never narrower than app.css allows, and a very long one (the parts of a score) gets more.
  var SHORT = 16;
  var VERY_LONG = 48;
  function markCells(table) {
    Array.prototype.forEach.call(table.querySelectorAll("td"), function (cell) {
      var length = cell.textContent.replace(/\s+/g, " ").trim().length;
      cell.classList.toggle("yz-short", length <= SHORT);
      cell.classList.toggle("yz-long", length > SHORT);
      cell.classList.toggle("yz-very-long", length > VERY_LONG);
    });
    table.classList.add("yz-measured");
  }

  function start() {
    wrapTables(document);
    if (window.htmx) {
      window.htmx.onLoad(wrapTables);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
