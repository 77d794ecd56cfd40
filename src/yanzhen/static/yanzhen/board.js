// /reserves/: the board's height follows the window; the filters submit on change; the table's checkboxes
// count the selection and enable the bulk 公示 only when something is ticked.
(function () {
  function fitBoard() {
    const board = document.getElementById("board");
    if (!board || board.offsetParent === null) return;
    const top = board.getBoundingClientRect().top + window.scrollY;
    board.style.setProperty("--yz-board-top", `${Math.round(top)}px`);
  }

  function countSelection() {
    const rows = document.querySelectorAll("#candidacy-table .yz-row");
    const ticked = Array.from(rows).filter((box) => box.checked);
    const count = document.getElementById("selected-count");
    if (count) count.textContent = String(ticked.length);
    const notice = document.getElementById("bulk-notice");
    if (notice) notice.disabled = ticked.length === 0;
    const exporter = document.getElementById("bulk-export");
    if (exporter) exporter.textContent = ticked.length ? exporter.dataset.labelSelected : exporter.dataset.labelAll;
    const all = document.getElementById("select-all");
    if (all) {
      all.checked = rows.length > 0 && ticked.length === rows.length;
      all.indeterminate = ticked.length > 0 && ticked.length < rows.length;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    fitBoard();
    countSelection();
    window.addEventListener("resize", fitBoard);
    document.querySelectorAll("[data-submit-on-change]").forEach((select) => {
      select.addEventListener("change", () => {
        // A new township empties the village (its villages are another list).
        if (select.name === "township") {
          const village = select.form.querySelector('[name="village"]');
          if (village) village.value = "";
        }
        select.form.requestSubmit();
      });
    });
    const all = document.getElementById("select-all");
    if (all) {
      all.addEventListener("change", () => {
        document.querySelectorAll("#candidacy-table .yz-row").forEach((box) => {
          box.checked = all.checked;
        });
        countSelection();
      });
    }
    document.addEventListener("change", (event) => {
      if (event.target.classList && event.target.classList.contains("yz-row")) countSelection();
    });
  });
})();
