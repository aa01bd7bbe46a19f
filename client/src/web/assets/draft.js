// Visitnotes: keeps the note form as a draft while typing and when the
// page is left. The page works without this script: every button posts
// the form, which keeps the draft too. Nothing here leaves this computer:
// the draft goes to the local app, which seals it in the local store.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft]");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-draft");
  var status = document.getElementById("draft-status");
  var timer = null;
  var dirty = false;

  function body() {
    var data = new FormData(form);
    data.delete("action");
    return new URLSearchParams(data);
  }

  function save() {
    timer = null;
    if (!dirty) {
      return;
    }
    dirty = false;
    fetch(url, { method: "POST", body: body(), credentials: "same-origin" }).then(function (answer) {
      if (answer.ok && status) {
        var now = new Date();
        var time = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
        status.textContent = form.getAttribute("data-saved").replace("%TIME%", time);
      }
    }, function () {
      dirty = true;
    });
  }

  form.addEventListener("input", function () {
    dirty = true;
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(save, 1500);
  });
  form.addEventListener("submit", function () {
    dirty = false;
    if (timer) {
      clearTimeout(timer);
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty && navigator.sendBeacon) {
      dirty = false;
      navigator.sendBeacon(url, body());
    }
  });
})();
