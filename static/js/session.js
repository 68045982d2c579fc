// The idle session: the server ends a session after SESSION_IDLE_MINUTES without a
// request. This counts down beside it, warns in a dialog before the end ("Stay signed
// in" renews the session), and signs out when the time is up. Typing or clicking on the
// page renews the session in the background, so a long text is not lost mid-sentence.
// Tabs share the time of the last renewal through localStorage.
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog || !window.bootstrap) {
    return;
  }
  var idle = Number(dialog.dataset.idleSeconds) * 1000;
  var warning = Number(dialog.dataset.warningSeconds) * 1000;
  var keepAliveUrl = dialog.dataset.keepAliveUrl;
  var logoutForm = document.getElementById("session-timeout-logout");
  var countdown = document.getElementById("session-timeout-countdown");
  var modal = window.bootstrap.Modal.getOrCreateInstance(dialog);
  var KEY = "session-renewed-at";
  var renewedAt = Date.now(); // loading this page renewed the session
  var active = false;
  var shown = false;
  var leaving = false;

  function shared() {
    try {
      return Number(window.localStorage.getItem(KEY)) || 0;
    } catch (error) {
      return 0;
    }
  }

  function renewed(at) {
    renewedAt = Math.max(renewedAt, at);
    try {
      window.localStorage.setItem(KEY, String(renewedAt));
    } catch (error) {
      // Private mode without storage: this tab keeps its own time.
    }
  }

  function left() {
    return Math.max(renewedAt, shared()) + idle - Date.now();
  }

  function format(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function signOut() {
    if (leaving) {
      return;
    }
    leaving = true;
    var next = logoutForm.querySelector("input[name=next]");
    next.value += "&next=" + encodeURIComponent(location.pathname + location.search);
    logoutForm.submit();
  }

  function keepAlive() {
    var token = logoutForm.querySelector("input[name=csrfmiddlewaretoken]").value;
    return window
      .fetch(keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": token },
        credentials: "same-origin",
        redirect: "manual",
      })
      .then(function (response) {
        if (response.ok) {
          renewed(Date.now());
        } else {
          // Already signed out on the server: the login page takes it from here.
          window.location.reload();
        }
      })
      .catch(function () {
        // Offline for a moment: the countdown goes on, the next tick tries again.
      });
  }

  function hide() {
    if (shown) {
      modal.hide();
      shown = false;
    }
  }

  function tick() {
    var remaining = left();
    if (remaining <= 0) {
      signOut();
      return;
    }
    if (remaining <= warning) {
      countdown.textContent = format(remaining);
      if (!shown) {
        modal.show();
        shown = true;
      }
      return;
    }
    hide();
    if (active && Date.now() - Math.max(renewedAt, shared()) > idle / 3) {
      active = false;
      keepAlive();
    }
  }

  document.getElementById("session-timeout-stay").addEventListener("click", function () {
    hide();
    keepAlive();
  });
  ["keydown", "input", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (!shown && !dialog.contains(event.target)) {
        active = true;
      }
    }, { passive: true });
  });
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      tick();
    }
  });
  renewed(renewedAt);
  window.setInterval(tick, 1000);
})();
