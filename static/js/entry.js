// Monthly entry page: focus the first field to fix, warn about unsaved changes, and
// send a save only once when Enter or the button is pressed twice.
(function () {
  "use strict";
  var form = document.getElementById("figures-form");
  if (!form) {
    return;
  }
  var firstInvalid = form.querySelector(".is-invalid");
  var firstField = form.querySelector("input[type=text]:not([disabled])");
  var start = firstInvalid || firstField;
  if (start && !window.location.hash) {
    start.focus();
    if (start.select) {
      start.select();
    }
  }

  var dirty = false;
  var hint = document.getElementById("unsaved-hint");
  form.addEventListener("input", function () {
    dirty = true;
    if (hint) {
      hint.classList.remove("d-none");
    }
  });

  // Validation rules as the clerk types: the typed values are sent (not saved) and
  // the server's messages shown beside the fields they involve. Without script the
  // same rules are enforced on save.
  var checksUrl = form.dataset.checksUrl;
  var timer = null;
  var asked = 0;
  function runChecks() {
    var ticket = ++asked;
    var body = new FormData(form);
    window.fetch(checksUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data || ticket !== asked) {
        return;
      }
      var boxes = form.querySelectorAll(".rule-findings[data-indicator]");
      for (var i = 0; i < boxes.length; i++) {
        var html = data.findings[boxes[i].dataset.indicator] || "";
        if (boxes[i].innerHTML.trim() !== html.trim()) {
          boxes[i].innerHTML = html;
        }
      }
    }).catch(function () {
      // Offline or refused: the save still checks every rule.
    });
  }
  if (checksUrl && window.fetch && window.FormData) {
    form.addEventListener("input", function (event) {
      if (!event.target.matches || !event.target.matches(".fig-value, .fig-note")) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(runChecks, 350);
    });
  }

  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) {
      event.preventDefault();
      return;
    }
    sending = true;
    dirty = false;
    var button = document.getElementById("save-button");
    if (button) {
      button.setAttribute("aria-busy", "true");
      button.classList.add("disabled");
    }
  });

  var submitForm = document.getElementById("submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      if (dirty && !window.confirm(submitForm.dataset.unsavedMessage)) {
        event.preventDefault();
      }
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
