// The list component's row checkboxes (core/listing.py): "select all on this page", the "已选 N 项" count
// and the bulk buttons enabled only when something is ticked. Delegated, so it needs no per-page setup.
(function () {
  "use strict";
  function rows(form) {
    return document.querySelectorAll('input[data-list-select][form="' + form.id + '"]');
  }
  function refresh(form) {
    var boxes = rows(form), ticked = 0;
    boxes.forEach(function (box) { if (box.checked) { ticked += 1; } });
    var count = form.querySelector("[data-list-selected-count]");
    if (count) { count.textContent = count.dataset.template.replace("{n}", ticked); }
    form.querySelectorAll("[data-list-bulk-action]").forEach(function (button) { button.disabled = ticked === 0; });
    document.querySelectorAll("input[data-list-select-all]").forEach(function (all) {
      all.checked = boxes.length > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
  }
  function bulkForm() { return document.querySelector("form[data-list-bulk]"); }
  document.addEventListener("change", function (event) {
    var form = bulkForm();
    if (!form) { return; }
    if (event.target.matches("input[data-list-select-all]")) {
      rows(form).forEach(function (box) { box.checked = event.target.checked; });
      refresh(form);
    } else if (event.target.matches("input[data-list-select]")) {
      refresh(form);
    }
  });
  document.addEventListener("DOMContentLoaded", function () { var form = bulkForm(); if (form) { refresh(form); } });
  window.addEventListener("pageshow", function () { var form = bulkForm(); if (form) { refresh(form); } });
})();
