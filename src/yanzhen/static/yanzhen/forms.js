// The shared behaviour of forms, declared in the templates by attributes (no inline scripts: the
// Content-Security-Policy refuses them):
//
//   <form data-confirm="删除该考核？">       asks before submitting (irreversible steps);
//   <form data-confirm="…" data-confirm-when="decision=confirm">   only when that choice is made;
//   <form data-confirm="…" data-confirm-if="input[value=found]:checked">   only when that selector matches;
//   <form data-busy="正在检查…">             long work: on submit the button is locked and shows a spinner,
//                                            the text and the seconds elapsed, so nobody submits twice;
//   <button data-busy="正在导入…">           the same, with the text of the button pressed;
//   <form data-busy="…" data-download>       a file download (GET): unlocked when the file starts coming
//   <a data-busy="…" data-download href>     (core/downloads.py sets a cookie named by the token sent);
//   <button type="button" data-add-row="family">   adds a blank row to that formset (people/_formset.html).
(function () {
  "use strict";
  var COOKIE = "yz_download";
  var locked = [];

  function randomToken() {
    return (Date.now().toString(36) + Math.random().toString(36).slice(2, 12)).toLowerCase();
  }

  function cookieValue(name) {
    var found = document.cookie.split("; ").filter(function (part) { return part.indexOf(name + "=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  function lock(control, text) {
    var state = { control: control, html: control.innerHTML, started: Date.now(), timer: null };
    control.setAttribute("aria-disabled", "true");
    control.classList.add("disabled");
    if (control.tagName === "BUTTON" || control.tagName === "INPUT") control.disabled = true;
    control.innerHTML = '<span class="spinner-border spinner-border-sm me-1" role="status" aria-hidden="true"></span>' +
      '<span class="yz-busy-text"></span>';
    var label = control.querySelector(".yz-busy-text");
    function tick() {
      var seconds = Math.floor((Date.now() - state.started) / 1000);
      label.textContent = seconds >= 3 ? text + "（" + seconds + " 秒）" : text;
    }
    tick();
    state.timer = window.setInterval(tick, 1000);
    control.closest("form") && control.closest("form").setAttribute("aria-busy", "true");
    locked.push(state);
    return state;
  }

  function unlock(state) {
    window.clearInterval(state.timer);
    var control = state.control;
    control.innerHTML = state.html;
    control.disabled = false;
    control.classList.remove("disabled");
    control.removeAttribute("aria-disabled");
    control.closest("form") && control.closest("form").removeAttribute("aria-busy");
    locked = locked.filter(function (other) { return other !== state; });
  }

  // A download leaves the page in place: unlock when the answer's cookie says the file has started (or
  // after two minutes, whatever happened).
  function unlockWhenDownloaded(state, token) {
    var poll = window.setInterval(function () {
      if (cookieValue(COOKIE) === token || Date.now() - state.started > 120000) {
        window.clearInterval(poll);
        document.cookie = COOKIE + "=; Max-Age=0; path=/; SameSite=Lax";
        unlock(state);
      }
    }, 400);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented) return;
    var question = form.getAttribute("data-confirm");
    var when = form.getAttribute("data-confirm-when"); // "decision=confirm": ask only for that choice
    if (question && when) {
      var pair = when.split("=");
      if (new FormData(form).get(pair[0]) !== pair[1]) question = null;
    }
    // data-confirm-if="<selector>": ask only when it matches in the form (资格审查 with an item found). The one
    // place that asks: candidacies.js used to ask too, so a step asked twice or ignored this condition.
    var only = form.getAttribute("data-confirm-if");
    if (question && only && !form.querySelector(only)) question = null;
    // An irreversible step of the pipeline carries a confirmation box the server requires: ticked, the clerk has
    // confirmed already; accepting the dialog ticks it.
    var box = question ? form.querySelector('input[type="checkbox"][name$="confirm"]') : null;
    if (box && box.checked) question = null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (box) box.checked = true;
    var submitter = event.submitter || form.querySelector("button:not([type=button]), input[type=submit]");
    var text = (submitter && submitter.getAttribute("data-busy")) || form.getAttribute("data-busy");
    if (!text || !submitter) return;
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault(); // already running: a second click sends nothing
      return;
    }
    // A disabled button is not sent with the form: keep its name and value in a hidden field.
    if (submitter.name) {
      var kept = document.createElement("input");
      kept.type = "hidden";
      kept.name = submitter.name;
      kept.value = submitter.value;
      form.appendChild(kept);
    }
    var token = null;
    if (form.hasAttribute("data-download")) {
      token = randomToken();
      var field = form.querySelector("input[name=download_token]") || document.createElement("input");
      field.type = "hidden";
      field.name = "download_token";
      field.value = token;
      form.appendChild(field);
    }
    // Locked at once: the browser collects the form's values after this event (the button's own name and
    // value ride in the hidden field above), and a timer may not run again before the next page.
    var state = lock(submitter, text);
    if (token) unlockWhenDownloaded(state, token);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-busy]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (link.getAttribute("aria-disabled") === "true") {
      event.preventDefault();
      return;
    }
    var state = lock(link, link.getAttribute("data-busy"));
    if (link.hasAttribute("data-download")) {
      var token = randomToken();
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("download_token", token);
      event.preventDefault();
      unlockWhenDownloaded(state, token);
      window.location.href = url.toString();
    }
  });

  // "Add a row" (people/_formset.html: <button data-add-row="prefix">): copy the section's blank row, numbered
  // as the next form of its formset.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-add-row]");
    if (!button) return;
    var prefix = button.getAttribute("data-add-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var html = document.getElementById(prefix + "-empty").innerHTML.replace(/__prefix__/g, total.value);
    document.querySelector('[data-rows="' + prefix + '"]').insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });

  // Back to a page kept by the browser (back button): nothing is running any more.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) locked.slice().forEach(unlock);
  });
})();
