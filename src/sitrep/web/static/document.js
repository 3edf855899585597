// Document view: legend toggles highlight kinds; clicking a highlight lists the items behind it (textContent only).
(function () {
  "use strict";
  var items = JSON.parse(document.getElementById("doc-items").textContent);
  var text = document.getElementById("doctext");
  var panel = document.getElementById("item-panel");
  function el(tag, cls, t) { var e = document.createElement(tag); if (cls) e.className = cls; if (t !== undefined && t !== null) e.textContent = String(t); return e; }
  function apply() {
    document.querySelectorAll("#legend input[data-kind]").forEach(function (box) {
      text.classList.toggle("show-" + box.dataset.kind, box.checked);
    });
  }
  document.getElementById("legend").addEventListener("change", apply);
  apply();
  text.addEventListener("click", function (e) {
    var seg = e.target.closest(".seg");
    if (!seg || !seg.dataset.items) return;
    panel.textContent = "";
    seg.dataset.items.split(",").map(Number).forEach(function (n) {
      var it = items[n]; if (!it) return;
      var card = el("div", "item hl-" + it.kind);
      card.appendChild(el("b", null, it.kind + ": " + it.label));
      card.appendChild(el("div", "muted", "characters " + it.start + "–" + it.end));
      var dl = el("dl");
      Object.keys(it.detail || {}).forEach(function (k) {
        var v = it.detail[k]; if (v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length)) return;
        dl.appendChild(el("dt", null, k));
        var dd = el("dd", null, typeof v === "object" ? JSON.stringify(v) : v);
        if (k === "cluster_id") { dd.textContent = ""; var a = el("a", null, "event " + v); a.href = "/#event-" + v; dd.appendChild(a); }
        dl.appendChild(dd);
      });
      card.appendChild(dl);
      panel.appendChild(card);
    });
  });
  var marked = document.querySelector(".seg.marked");
  if (marked) marked.scrollIntoView({block: "center"});
})();
