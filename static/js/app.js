// Behaviour every page shares, kept out of the markup: the Content-Security-Policy
// allows no inline script, no event-handler attributes and no style attributes.
(function () {
  "use strict";
  // <select data-autosubmit>: choosing an option submits its form (language, year).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
  // <div class="progress-bar" data-progress="40">: the bar's width in per cent.
  document.querySelectorAll("[data-progress]").forEach(function (bar) {
    var value = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0));
    bar.style.width = value + "%";
  });
})();
