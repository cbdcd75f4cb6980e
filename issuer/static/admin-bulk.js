/* Merkki bulk award page: keeps the progress bar of /admin/bulk/{id} up to date.
   Polls the job's progress.json and reloads the page (summary, report) when it ends.
   Without this script the page reloads itself (<noscript> meta refresh). */
(function () {
  "use strict";
  var root = document.querySelector("[data-bulk-progress]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-bulk-progress");
  var bar = root.querySelector("progress");
  var text = root.querySelector("[data-bulk-text]");
  var status = document.querySelector("[data-bulk-status]");
  var delay = 1000;

  function show(progress) {
    bar.max = Math.max(progress.total, 1);
    bar.value = progress.done;
    bar.textContent = progress.percent + " %";
    if (text) {
      text.textContent = progress.text;
    }
    if (status) {
      status.textContent = progress.status_text;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        show(progress);
        if (progress.finished) {
          window.location.reload();
        } else {
          delay = 1000;
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  root.setAttribute("data-bulk-live", "true");
  window.setTimeout(poll, 500);
})();
