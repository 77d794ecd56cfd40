/* Small page actions declared by attributes, in place of inline handlers (onchange=, onclick=, style="width: …"),
   which the Content-Security-Policy refuses (docs/security.md, "Security headers"):

     <select data-autosubmit>        sends its form when the choice changes (filters, language, rows per page);
     <button data-print>             prints the page;
     <button data-history-back>      goes back to the previous page (the error pages);
     <div class="progress-bar" data-percent="40">   a bar that wide (set through the CSSOM, which the policy
                                                    allows, where a style attribute is refused).

   Loaded by base.html and by the stand-alone print pages. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var control = event.target;
    if (control.matches && control.matches("[data-autosubmit]") && control.form) {
      control.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target) return;
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    } else if (target.closest("[data-history-back]")) {
      event.preventDefault();
      window.history.back();
    }
  });

  function setWidths(root) {
    var bars = Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll("[data-percent]") : []);
    if (root.matches && root.matches("[data-percent]")) bars.push(root);
    bars.forEach(function (bar) {
      var percent = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-percent")) || 0));
      bar.style.width = percent + "%";
    });
  }

  function start() {
    setWidths(document);
    if (window.htmx) window.htmx.onLoad(setWidths);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
