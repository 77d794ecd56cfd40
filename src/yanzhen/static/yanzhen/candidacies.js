// The pipeline's pages. An irreversible step (出库, 资格审查不通过, 异议成立取消资格, 研究未通过) asks in a dialog
// before it is sent, unless its confirmation box is already ticked; accepting the dialog ticks the box. The
// server refuses the step without the box, so a request that skips this script changes nothing either.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset.confirm;
  if (!question) return;
  if (form.dataset.confirmIf && !form.querySelector(form.dataset.confirmIf)) return;
  const box = form.querySelector('input[type="checkbox"][name$="confirm"]');
  if (box && box.checked) return;
  if (!window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if (box) box.checked = true;
});

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
    });
});
document.addEventListener("input", (event) => {
  if (event.target.matches && event.target.matches("input[data-notice-end-target]")) {
    event.target.dataset.touched = "1";
  }
});
