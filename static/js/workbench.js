// The scoring workbench: Enter in a score's reason saves the row, as it does in the
// score field; Shift+Enter starts a new line. Without script the Save button does it.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-enter-submits]").forEach(function (area) {
    area.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing) {
        return;
      }
      event.preventDefault();
      if (area.form) {
        area.form.requestSubmit();
      }
    });
  });
})();
