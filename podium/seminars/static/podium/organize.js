// On the talk form: show what the typed date and time mean in UTC and elsewhere.
// The server converts (one place converts times); this only asks and displays.
(function () {
  "use strict";
  function field(name) { return document.getElementById("id_" + name); }
  function preview() {
    var series = field("series"), day = field("local_date"), clock = field("local_time");
    var fold = field("dst_choice");
    var out = document.getElementById("podium-time-preview");
    if (!series || !day || !clock || !out) return;
    if (!series.value || !day.value || !clock.value) { out.textContent = ""; return; }
    var url = out.getAttribute("data-url") + "?" + new URLSearchParams({
      series: series.value, date: day.value, time: clock.value, fold: fold ? fold.value : "",
    });
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        out.textContent = "";
        if (data.error) {
          var p = document.createElement("p");
          p.className = "errornote";
          p.textContent = data.error;
          out.appendChild(p);
          return;
        }
        data.rows.forEach(function (row) {
          var div = document.createElement("div");
          div.textContent = row[0] + ": " + row[1];
          out.appendChild(div);
        });
      }).catch(function () { out.textContent = ""; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var clock = field("local_time");
    if (!clock) return;
    var out = document.createElement("div");
    out.id = "podium-time-preview";
    out.className = "help";
    out.setAttribute("aria-live", "polite");
    out.setAttribute("data-url", (window.location.pathname.split("/seminars/")[0]) + "/time-preview/");
    clock.parentNode.appendChild(out);
    ["series", "local_date", "local_time", "dst_choice"].forEach(function (name) {
      var el = field(name);
      if (el) el.addEventListener("change", preview);
    });
    preview();
  });
})();
