// Show each talk's time in the reader's own zone next to the series' time.
// Runs only in the reader's browser; without JavaScript the series' time stands alone.
(function () {
  "use strict";
  var readerZone;
  try {
    readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!readerZone) return;
  var format = new Intl.DateTimeFormat(undefined, {
    weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: readerZone,
  });
  // The note goes at the end of the time's line (`.talk-when`), after what follows the
  // time on it (the duration, a "Cancelled" badge), or else right after the time.
  function show() {
    var times = document.querySelectorAll("time[data-zone]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var line = el.closest(".talk-when");
      var shown = line ? line.querySelector(".reader-time") : el.nextElementSibling &&
          el.nextElementSibling.classList.contains("reader-time");
      if (el.getAttribute("data-zone") === readerZone || shown) continue;
      var instant = new Date(el.getAttribute("datetime"));
      if (isNaN(instant.getTime())) continue;
      var note = document.createElement("span");
      note.className = "reader-time";
      note.setAttribute("data-reader-zone", readerZone);
      note.textContent = "Your time: " + format.format(instant) + " (" +
        readerZone.replace(/_/g, " ") + ")";
      if (line) {
        line.appendChild(note);
      } else {
        el.insertAdjacentElement("afterend", note);
      }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", show);
  } else {
    show();
  }
})();
