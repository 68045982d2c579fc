// The report page's PDF status: while the PDF is being made anew ("updating") it asks
// the JSON status every two seconds and moves the progress bar and its words; a stale
// PDF with nothing under way is asked for (made by a worker, or by the server there
// and then). Once ready it says so, with the time it was made.
(function () {
  "use strict";
  var box = document.getElementById("report-status");
  if (!box) {
    return;
  }
  var text = document.getElementById("report-status-text");
  var badge = document.getElementById("report-updating");
  var meter = document.getElementById("report-progress");
  var bar = document.getElementById("report-progress-bar");
  var previous = document.getElementById("report-previous-line");
  var retry = document.getElementById("report-retry");
  var asking = false;

  function show(status) {
    box.dataset.state = status.state;
    if (text.textContent !== status.text) {
      text.textContent = status.text;
    }
    badge.hidden = !status.updating;
    meter.hidden = !status.updating;
    meter.setAttribute("aria-valuenow", String(status.step));
    meter.setAttribute("aria-valuemax", String(status.steps));
    bar.style.width = Math.round((100 * status.step) / status.steps) + "%";
    if (previous) {
      previous.hidden = status.ready;
    }
    retry.hidden = status.state !== "failed";
  }

  function json(response) {
    if (!response.ok) {
      throw new Error(String(response.status));
    }
    return response.json();
  }

  function next(status) {
    show(status);
    if (status.state === "stale" && !asking) {
      ask(); // it polls on
    } else if (status.updating) {
      window.setTimeout(poll, 2000);
    }
  }

  function poll() {
    fetch(box.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(json)
      .then(next)
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  function ask() {
    if (asking) {
      return;
    }
    asking = true;
    // Made by the server in this request when there are no workers: meanwhile the
    // status is asked as usual, so the page shows it being made.
    window.setTimeout(poll, 1000);
    fetch(box.dataset.renderUrl, {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": box.dataset.csrf },
      credentials: "same-origin",
    })
      .then(json)
      .then(show)
      .catch(function () {})
      .then(function () {
        asking = false;
      });
  }

  retry.addEventListener("click", function () {
    ask();
  });
  if (box.dataset.state === "stale") {
    ask();
  } else if (box.dataset.state === "queued" || box.dataset.state === "rendering") {
    window.setTimeout(poll, 2000);
  }
})();
