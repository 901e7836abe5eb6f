// The "Copy" button next to the calendar address: shown only when the browser can copy.
(function () {
  "use strict";
  function copied(status, text) {
    if (status) status.textContent = text;
  }
  function copy(button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = button.closest(".feed-address").querySelector(".copy-status");
    if (!input) return;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { copied(status, "Copied."); },
        function () { input.select(); copied(status, "Press Ctrl+C (⌘C) to copy."); }
      );
    } else {
      input.select();
      copied(status, "Press Ctrl+C (⌘C) to copy.");
    }
  }
  function setUp() {
    var buttons = document.querySelectorAll("button[data-copy]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function (event) { copy(event.currentTarget); });
    }
    var inputs = document.querySelectorAll(".feed-address input[readonly]");
    for (var j = 0; j < inputs.length; j++) {
      inputs[j].addEventListener("focus", function (event) { event.currentTarget.select(); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
