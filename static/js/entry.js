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
