// Visitnotes: the Copy button of an invite code. Without script the code
// is selectable text and the button stays hidden; nothing leaves this
// computer but what the person pastes.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    if (!field) {
      return;
    }
    button.hidden = false;
    function done() {
      if (status) {
        status.textContent = button.getAttribute("data-copied");
      }
    }
    function fallback() {
      field.focus();
      field.select();
      try {
        if (document.execCommand("copy")) {
          done();
        }
      } catch (e) {
        // The code stays selected, to copy by hand.
      }
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  });
})();
