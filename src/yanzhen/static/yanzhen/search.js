// The top search box: arrow keys walk the popup's links, Escape or a click elsewhere closes it.
// Enter in the box submits the form to the full results page (plain HTML, no script needed).
(function () {
  "use strict";
  function hits(popup) { return Array.from(popup.querySelectorAll("a.yz-search-hit")); }
  function close(popup) { popup.innerHTML = ""; }

  document.addEventListener("keydown", function (event) {
    var form = event.target.closest && event.target.closest("#top-search");
    if (!form) return;
    var popup = form.querySelector("#search-popup");
    var input = form.querySelector("input[name=q]");
    var links = hits(popup);
    var index = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(index + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      (index === 0 ? input : links[index - 1]).focus();
    } else if (event.key === "Escape") {
      close(popup);
      input.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var popup = document.getElementById("search-popup");
    if (popup && !event.target.closest("#top-search")) close(popup);
  });
})();
