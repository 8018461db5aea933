/* Job page: poll the job's progress URL every second and move the <progress> bar; reload the
   page once the job has finished, so the server renders its result. No dependencies. */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-progress-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-job-progress-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-progress-text]");
  var stage = box.querySelector("[data-job-stage]");
  var status = document.querySelector("[data-job-status]");

  function show(data) {
    if (data.total > 0) {
      bar.max = data.total;
      bar.value = data.done;
    } else {
      bar.removeAttribute("value"); /* indeterminate until the file has been read */
    }
    if (text) { text.textContent = data.total > 0 ? data.done + " / " + data.total + "（" + data.percent + "%）" : ""; }
    if (stage) { stage.textContent = data.stage || ""; }
    if (status) { status.textContent = data.status_label; }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 3000); return; }
        show(data);
        if (data.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
}());
