/* A background job's progress (a bulk certificate ZIP, a quiz's regrade): poll its status as JSON
 * and move the progress bar; when it ends, reload the page for the result. The page's markup:
 * #job (data-status-url, data-finished), #job-progress, #job-progress-text, #job-reload.
 * Without this script the page offers a reload link. */
(function () {
  "use strict";

  function start() {
    var box = document.getElementById("job");
    var bar = document.getElementById("job-progress");
    var text = document.getElementById("job-progress-text");
    var reload = document.getElementById("job-reload");
    if (!box || !bar || box.dataset.finished === "true" || !window.fetch) return;
    if (reload) reload.hidden = true;
    function poll() {
      fetch(box.dataset.statusUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (job) {
          bar.max = Math.max(job.total, 1);
          bar.value = job.state === "done" ? job.total : job.done;
          bar.textContent = job.percent + "%";
          if (text.textContent !== job.text) text.textContent = job.text;
          if (job.finished || job.stale) {
            window.location.reload();
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () {
          if (reload) reload.hidden = false;
          window.setTimeout(poll, 5000);
        });
    }
    window.setTimeout(poll, 500);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
