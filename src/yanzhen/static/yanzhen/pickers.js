// Turns every <select data-picker="/pick/…/"> into a Tom Select that searches the scoped endpoint as one
// types (yanzhen.pickers). The server renders only the chosen options and the Chinese texts as data
// attributes; this file knows no wording. Runs on page load and on every piece of HTMX-swapped content.
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text == null ? "" : text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function endpoint(url, query) {
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
  }

  function attach(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    var texts = select.dataset;
    var more = document.createElement("div");
    more.className = "yz-picker-more small text-muted px-2 py-1 border-top";
    more.hidden = true;
    more.textContent = texts.more || "";

    var picker = new TomSelect(select, {
      valueField: "id",
      labelField: "text",
      // The server has matched already; these fields only let Tom Select keep its answer while typing on.
      searchField: ["text", "initials", "pinyin", "tail"],
      placeholder: texts.placeholder || "",
      plugins: select.multiple ? ["remove_button"] : [],
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      closeAfterSelect: !select.multiple,
      clearAfterSelect: true,  // with several people, the next one is typed afresh
      // The first answer comes on focus (preload); after that only typed text asks the server, so
      // clearing the text after a choice does not reopen the dropdown.
      shouldLoad: function (query) { return query.length > 0; },
      load: function (query, callback) {
        var self = this;
        fetch(endpoint(texts.picker, query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (data) {
            var closed = !self.isOpen;
            if (query !== self.lastValue) {
              // A late answer to text typed before a choice (or before more typing): drop it, and do
              // not let Tom Select reopen a dropdown the user has just closed by choosing.
              callback();
              if (closed) self.close();
              return;
            }
            // Forget the previous answers (kept options are only the chosen ones): each query asks again.
            self.clearOptions();
            more.hidden = !data.more;
            callback(data.results);
          })
          .catch(function () { callback(); });
      },
      render: {
        option: function (item, escape) {
          var detail = item.detail ? ' <small class="text-muted">' + escape(item.detail) + "</small>" : "";
          return "<div>" + escape(item.name || item.text) + detail + "</div>";
        },
        item: function (item, escape) { return "<div>" + escape(item.text) + "</div>"; },
        no_results: function () { return '<div class="no-results">' + escapeHtml(texts.noResults) + "</div>"; },
        loading: function () {
          return '<div class="spinner-border spinner-border-sm text-secondary ms-2" role="status"></div>' +
            '<span class="small text-muted ms-1">' + escapeHtml(texts.loading) + "</span>";
        },
      },
      onInitialize: function () { this.dropdown.appendChild(more); },
    });
    return picker;
  }

  function attachAll(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("select[data-picker]")) attach(root);
    root.querySelectorAll("select[data-picker]").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  document.addEventListener("htmx:load", function (event) { attachAll(event.detail.elt); });
  window.yanzhenPickers = { attach: attach, attachAll: attachAll };
})();
