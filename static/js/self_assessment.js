// Self-assessment page: each target saves on its own, which reloads the page. Warn before
// leaving while another target still holds unsaved typing, so it is not silently lost.
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form.sa-form"));
  var dirty = new Set();
  var submitting = null;
  forms.forEach(function (form) {
    form.addEventListener("input", function () { dirty.add(form); });
    form.addEventListener("change", function () { dirty.add(form); });
    form.addEventListener("submit", function () { submitting = form; });
  });
  window.addEventListener("beforeunload", function (event) {
    var others = Array.from(dirty).filter(function (form) { return form !== submitting; });
    if (others.length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
