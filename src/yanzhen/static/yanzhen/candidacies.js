// The pipeline's pages. An irreversible step (出库, 资格审查不通过, 异议成立取消资格, 研究未通过) asks in a dialog
// before it is sent (data-confirm, data-confirm-if): forms.js asks, for every form of the app, and ticks the
// step's confirmation box. The server refuses the step without the box, so a request that skips the script
// changes nothing either.

// A 公示's end follows its start: the earliest legal end is asked from the server (it knows the public
// holidays), unless the clerk has typed an end of his own.
document.addEventListener("change", (event) => {
  const start = event.target;
  if (!start.matches || !start.matches("input[data-notice-end-url]")) return;
  const end = start.form.querySelector(start.dataset.noticeEnd);
  if (!end || end.dataset.touched) return;
  const url = new URL(start.dataset.noticeEndUrl, window.location.href);
  url.searchParams.set("start", start.value);
  fetch(url, { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((body) => {
      if (body && body.end && !end.dataset.touched) end.value = body.end;
      // A year without its holiday schedule counts weekends only: the form says so.
      const note = start.form.querySelector("[data-calendar-note]");
      if (body && note) {
        note.textContent = body.warning || "";
        note.hidden = !body.warning;
      }
    });
});
document.addEventListener("input", (event) => {
  if (event.target.matches && event.target.matches("input[data-notice-end-target]")) {
    event.target.dataset.touched = "1";
  }
});
