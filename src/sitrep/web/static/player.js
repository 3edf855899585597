// Intercept desk: play a call's recording, highlight the segment (quote, indicator) being heard, click to seek.
(function () {
  "use strict";
  function setup(box) {
    var audio = box.querySelector("audio.player");
    if (!audio) return;
    var timed = Array.prototype.slice.call(box.querySelectorAll("[data-t0]"));
    function seek(el) {
      audio.currentTime = parseFloat(el.getAttribute("data-t0")) || 0;
      var p = audio.play();
      if (p && p.catch) p.catch(function () {});
      mark();
    }
    function mark() {
      var t = audio.currentTime;
      timed.forEach(function (el) {
        var a = parseFloat(el.getAttribute("data-t0")), b = parseFloat(el.getAttribute("data-t1"));
        el.classList.toggle("playing", t >= a - 0.05 && t < b + 0.05);
      });
    }
    timed.forEach(function (el) {
      el.addEventListener("click", function () { seek(el); });
      el.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); seek(el); } });
    });
    audio.addEventListener("timeupdate", mark);
    audio.addEventListener("seeked", mark);
  }
  document.querySelectorAll(".recording").forEach(setup);
})();
