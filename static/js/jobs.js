// A background job's page: asks its JSON status every two seconds, moves the progress
// bar and its text, and reloads the page once the job has ended (result or error).
(function () {
  "use strict";
  var card = document.querySelector("[data-job-status]");
  if (!card) {
    return;
  }
  var bar = document.getElementById("job-progress-bar");
  var meter = document.getElementById("job-progress");
  var text = document.getElementById("job-progress-text");
  var state = document.getElementById("job-state");
  function show(status) {
    var percent = status.total ? Math.round((100 * status.done) / status.total) : 0;
    if (bar) {
      bar.style.width = Math.max(0, Math.min(100, percent)) + "%";
    }
    if (meter) {
      meter.setAttribute("aria-valuenow", String(status.done));
      meter.setAttribute("aria-valuemax", String(status.total || 1));
    }
    if (text && text.textContent !== status.text) {
      text.textContent = status.text;
    }
    if (state) {
      state.textContent = status.state_label;
    }
  }
  function poll() {
    fetch(card.dataset.jobStatus, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
