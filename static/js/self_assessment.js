// Self-assessment page: each target saves on its own, which reloads the page. What was typed
// in the other targets is kept in the tab's session storage when one is saved, and put back
// into its form after the reload, marked as not yet saved. Leaving the page any other way
// with unsaved typing still asks first.
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form.sa-form"));
  if (!forms.length) { return; }
  var prefix = "sa-draft:" + window.location.pathname + ":";
  var dirty = new Set();
  var submitting = null;

  function fields(form) {
    return {
      target: form.querySelector("input[name=target]").value,
      version: form.querySelector("input[name$='-version']"),
      score: form.querySelector("input[name$='-self_score']"),
      text: form.querySelector("textarea[name$='-text']")
    };
  }

  function store(form) {
    var f = fields(form);
    try {
      window.sessionStorage.setItem(prefix + f.target, JSON.stringify({
        version: f.version.value, score: f.score.value, text: f.text.value
      }));
    } catch (e) { /* storage full or disabled: the leave-page warning still guards */ }
  }

  function restore(form) {
    var f = fields(form);
    var key = prefix + f.target;
    var raw = null;
    try { raw = window.sessionStorage.getItem(key); } catch (e) { return; }
    if (!raw) { return; }
    window.sessionStorage.removeItem(key);
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { return; }
    if (draft.score === f.score.value && draft.text === f.text.value) { return; }
    var message = document.createElement("div");
    message.setAttribute("role", "status");
    if (draft.version === f.version.value) {
      f.score.value = draft.score;
      f.text.value = draft.text;
      dirty.add(form);
      message.className = "alert alert-info py-2 sa-draft";
      message.textContent = form.dataset.restored;
    } else {
      // Someone saved this target meanwhile: show the typing beside the stored text.
      message.className = "alert alert-warning py-2 sa-draft";
      message.textContent = form.dataset.stale;
      var copy = document.createElement("div");
      copy.className = "small border rounded bg-body p-2 mt-1 sa-text";
      copy.textContent = draft.text;
      message.appendChild(copy);
    }
    form.insertBefore(message, form.firstChild);
  }

  forms.forEach(function (form) {
    restore(form);
    form.addEventListener("input", function () { dirty.add(form); });
    form.addEventListener("change", function () { dirty.add(form); });
    form.addEventListener("submit", function () {
      submitting = form;
      dirty.forEach(function (other) { if (other !== form) { store(other); } });
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting) { return; }
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
