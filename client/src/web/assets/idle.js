// Visitnotes: hides an unlocked page when the idle lock has fallen, so
// that a note does not stay on an unattended screen. Without this script
// the page does the same by a timed reload (a <noscript> refresh); with
// it, the page first asks whether the lock really fell (another tab may
// have kept the profile open), and a form typed into is sent rather than
// dropped: it comes back after unlocking, as any form sent while locked.
(function () {
  "use strict";
  var body = document.body;
  var seconds = Number(body.getAttribute("data-idle-seconds"));
  var stateUrl = body.getAttribute("data-lock-state");
  var lockedUrl = body.getAttribute("data-locked");
  if (!seconds || !stateUrl || !lockedUrl || !window.fetch) {
    return;
  }
  var typed = null;

  document.addEventListener("input", function (event) {
    if (event.target && event.target.form) {
      typed = event.target.form;
    }
  });
  document.addEventListener("submit", function () {
    typed = null;
  });

  function later(wait) {
    setTimeout(check, Math.max(wait, 1) * 1000);
  }

  // The answer is "locked", or "open SECONDS" until the lock is due.
  function check() {
    fetch(stateUrl, { credentials: "same-origin", cache: "no-store" }).then(function (answer) {
      return answer.ok ? answer.text() : "locked";
    }).then(function (text) {
      var open = /^open (\d+)/.exec(text);
      if (open) {
        later(Number(open[1]) + 3);
      } else if (typed) {
        typed.submit();
      } else {
        window.location.replace(lockedUrl);
      }
    }, function () {
      // The app has stopped: nothing is left to show.
      window.location.replace(lockedUrl);
    });
  }

  later(seconds);
})();
