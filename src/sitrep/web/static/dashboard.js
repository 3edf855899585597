// sitrep dashboard: map (points or grid cells), timeline brush, filters and the event panel. Data only via textContent.
(function () {
  "use strict";
  // one distinct colour per event type known to the store (the type menu lists them), a hashed hue beyond 20
  var PALETTE = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5", "#dbdb8d", "#393b79"];
  var TYPE_COLORS = {shelling: PALETTE[0]};
  Array.prototype.forEach.call(document.querySelectorAll("select[name=type] option"), function (o) {
    var n = Object.keys(TYPE_COLORS).length;
    if (o.value && !TYPE_COLORS[o.value] && n < PALETTE.length) TYPE_COLORS[o.value] = PALETTE[n];
  });
  var SIDE_COLORS = {RU: "#b00020", UA: "#0057b7", civilian: "#2e7d32", other: "#555555"};
  var state = {since: null, until: null, days: [], selected: null};
  var markersById = {};
  var form = document.getElementById("filters");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function typeColor(t) {
    if (TYPE_COLORS[t]) return TYPE_COLORS[t];
    var h = 0; for (var i = 0; i < (t || "").length; i++) h = (h * 31 + t.charCodeAt(i)) % 360;
    return "hsl(" + h + ",60%,45%)";
  }
  function params(extra) {
    var p = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (v) p.set(k, v); });
    if (state.since) p.set("since", state.since);
    if (state.until) p.set("until", state.until);
    Object.keys(extra || {}).forEach(function (k) { if (extra[k] !== null) p.set(k, extra[k]); });
    return p;
  }
  function getJSON(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) throw new Error(body.error || r.statusText); return body; });
    });
  }

  // --- map ---------------------------------------------------------------------------------------------------
  var map = L.map("map", {preferCanvas: false, zoomControl: true}).setView([48.6, 34.5], 6);
  map.createPane("base").style.zIndex = 350;  // offline outlines: above tiles, below the event markers
  var outlines = L.geoJSON(null, {style: {color: "#6b7a8f", weight: 1, fillColor: "#eef1f4", fillOpacity: 1},
    interactive: false, pane: "base"});
  var osm = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    {maxZoom: 18, attribution: "© OpenStreetMap contributors"});
  outlines.addTo(map);
  // tiles that load mean we are online: let them show through the outlines' fill
  osm.on("tileload", function () { outlines.setStyle({fillOpacity: 0}); });
  if (!/[?&]offline=1/.test(location.search)) osm.addTo(map);
  var oblasts = L.geoJSON(null, {style: {color: "#8a96a8", weight: 0.8, dashArray: "3 3", fill: false},
    interactive: false, pane: "base"}).addTo(map);
  fetch("/static/vendor/natural-earth/countries-50m-europe.geojson").then(function (r) { return r.json(); })
    .then(function (g) { outlines.addData(g); outlines.bringToBack(); document.body.dataset.outlines = String(g.features.length); })
    .catch(function () {});
  fetch("/static/vendor/natural-earth/ukraine-admin1.geojson").then(function (r) { return r.json(); })
    .then(function (g) { oblasts.addData(g); document.body.dataset.oblasts = String(g.features.length); })
    .catch(function () {});
  L.control.layers(null, {"OpenStreetMap (online)": osm, "Country outlines (offline, Natural Earth)": outlines,
    "Oblast outlines (offline, Natural Earth)": oblasts},
    {collapsed: true}).addTo(map);
  map.attributionControl.addAttribution("Outlines: Natural Earth");
  var layer = L.layerGroup().addTo(map);
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () { var d = el("div", "map-legend"); d.id = "map-legend"; return d; };
  legend.addTo(map);
  function drawLegend(points, cells) {
    var box = document.getElementById("map-legend"), seen = {};
    box.textContent = "";
    points.forEach(function (p) { seen[p.type] = (seen[p.type] || 0) + 1; });
    Object.keys(seen).sort(function (a, b) { return seen[b] - seen[a]; }).slice(0, 10).forEach(function (t) {
      var row = el("div", "lg-row"), sw = el("span", "lg-swatch");
      sw.style.background = typeColor(t); row.appendChild(sw); row.appendChild(el("span", null, t + " (" + seen[t] + ")"));
      box.appendChild(row);
    });
    [["RU", "acted: RU"], ["UA", "acted: UA"]].forEach(function (s) {
      var row = el("div", "lg-row"), sw = el("span", "lg-swatch lg-ring");
      sw.style.borderColor = SIDE_COLORS[s[0]]; row.appendChild(sw); row.appendChild(el("span", null, s[1])); box.appendChild(row);
    });
    box.appendChild(el("div", "muted", "size: independent sources" + (cells.length ? " · numbers: grouped events" : "")));
  }

  function bbox() {
    var b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(4); }).join(",");
  }
  var seq = 0;
  function loadMap() {
    var mine = ++seq;
    return getJSON("/api/aggregate/map?" + params({bbox: bbox(), zoom: map.getZoom()})).then(function (data) {
      if (mine !== seq) return;
      layer.clearLayers();
      markersById = {};
      document.getElementById("match-count").textContent = String(data.total);
      // reports placed at the same spot fan out on a small ring so that each stays visible and clickable
      var groups = {};
      data.points.forEach(function (p) { var k = p.lat + "," + p.lon; (groups[k] = groups[k] || []).push(p); });
      Object.keys(groups).forEach(function (k) {
        var g = groups[k]; if (g.length < 2) return;
        var c = map.latLngToLayerPoint([g[0].lat, g[0].lon]), R = Math.max(14, 22 * g.length / (2 * Math.PI));
        g.forEach(function (p, i) {
          var a = 2 * Math.PI * i / g.length;
          var ll = map.layerPointToLatLng(L.point(c.x + R * Math.cos(a), c.y + R * Math.sin(a)));
          p.plat = ll.lat; p.plon = ll.lng;
        });
      });
      data.points.forEach(function (p) {
        var m = L.circleMarker([p.plat === undefined ? p.lat : p.plat, p.plon === undefined ? p.lon : p.plon], {
          radius: 5 + 3 * Math.sqrt(p.n_independent || 1), fillColor: typeColor(p.type), fillOpacity: 0.85,
          color: SIDE_COLORS[p.side] || "#333", weight: p.side ? 3 : 1,
          className: "ev-marker ev-" + p.id + " type-" + String(p.type).replace(/[^a-z0-9_-]/gi, "") + " side-" + (p.side || "none")});
        m.bindTooltip(el("span", null, (p.type || "event") + " · " + (p.place || "") + " · " + (p.date || "")));
        m.on("click", function () { showEvent(p.id); });
        m.baseStyle = {color: m.options.color, weight: m.options.weight};
        markersById[p.id] = m;
        if (p.id === state.selected) m.setStyle({color: "#000", weight: 5});
        m.addTo(layer);
      });
      data.cells.forEach(function (c) {
        var icon = el("div", "cell-count", c.count);
        var size = 18 + Math.min(40, 6 * Math.log(1 + c.count));
        var m = L.marker([c.lat, c.lon], {icon: L.divIcon({html: icon, className: "ev-cell",
          iconSize: [size, size]})});
        m.on("click", function () { map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, 14)); });
        m.addTo(layer);
      });
      drawLegend(data.points, data.cells);
      document.body.dataset.mapMode = data.mode;
      document.body.dataset.loaded = "1";
    }).catch(function (e) { document.getElementById("match-count").textContent = "error: " + e.message; });
  }

  // --- event list (one page, server-side) ------------------------------------------------------------------------
  function loadList(cursor) {
    return getJSON("/api/events?" + params({limit: 50, cursor: cursor || null})).then(function (data) {
      var ol = document.getElementById("event-list");
      if (!cursor) ol.textContent = "";
      var old = document.getElementById("more-events"); if (old) old.remove();
      data.events.forEach(function (ev) {
        var li = el("li", "event-item");
        var a = el("a", null, (ev.date || "undated") + " · " + ev.type + " · " + (ev.place || "unplaced"));
        a.href = "#event-" + ev.cluster_id;
        a.addEventListener("click", function (e) { e.preventDefault(); showEvent(ev.cluster_id); });
        li.appendChild(a);
        if (ev.language) { var lg = el("span", "badge lang", ev.language); lg.title = "language of the report"; li.appendChild(document.createTextNode(" ")); li.appendChild(lg); }
        li.appendChild(el("span", "muted", " " + ev.n_independent + " source(s)"));
        ol.appendChild(li);
      });
      if (data.next_cursor) {
        var more = el("button", "more", "more (" + (data.total - ol.querySelectorAll("li.event-item").length) + " left)");
        more.id = "more-events"; more.type = "button";
        more.addEventListener("click", function () { loadList(data.next_cursor); });
        ol.parentNode.insertBefore(more, ol.nextSibling);
      }
    });
  }

  // --- event panel ----------------------------------------------------------------------------------------------
  function contextWithMark(text, start, end) {
    var wrap = el("blockquote", "context");
    var a = Math.max(0, text.lastIndexOf("\n", Math.max(0, start - 300)) + 1);
    if (start - a > 400) a = start - 400;
    var b = text.indexOf("\n", Math.min(text.length, end + 300)); if (b < 0 || b - end > 400) b = Math.min(text.length, end + 400);
    wrap.appendChild(document.createTextNode((a > 0 ? "… " : "") + text.slice(a, start)));
    wrap.appendChild(el("mark", "evidence-mark", text.slice(start, end)));
    wrap.appendChild(document.createTextNode(text.slice(end, b) + (b < text.length ? " …" : "")));
    return wrap;
  }
  function showEvent(id) {
    var panel = document.getElementById("panel");
    return getJSON("/api/events/" + encodeURIComponent(id)).then(function (ev) {
      var prev = markersById[state.selected];
      if (prev) prev.setStyle(prev.baseStyle);
      state.selected = ev.cluster_id;
      if (markersById[ev.cluster_id]) markersById[ev.cluster_id].setStyle({color: "#000", weight: 5}).bringToFront();
      panel.textContent = "";
      panel.hidden = false;
      document.getElementById("panel-list").hidden = true;
      history.replaceState(null, "", "#event-" + ev.cluster_id);
      var box = el("div", "event-detail"); box.id = "event-detail"; box.dataset.cluster = ev.cluster_id;
      var back = el("a", "back", "← all events"); back.href = "#";
      back.addEventListener("click", function (e) {
        e.preventDefault(); panel.hidden = true; panel.textContent = "";
        var sel = markersById[state.selected]; if (sel) sel.setStyle(sel.baseStyle); state.selected = null;
        document.getElementById("panel-list").hidden = false;
        history.replaceState(null, "", location.pathname + location.search);
      });
      box.appendChild(back);
      box.appendChild(el("h2", null, (ev.type || "event") + (ev.reports[0] && ev.reports[0].place ? " · " + ev.reports[0].place : "")));
      var facts = el("dl", "facts");
      [["Dates", (ev.date_min || "?") + (ev.date_max && ev.date_max !== ev.date_min ? " – " + ev.date_max : "")],
       ["Sources", ev.n_reports + " report(s), " + ev.n_independent + " independent"],
       ["Outlets", (ev.outlets || []).join("; ") || "—"],
       ["Claimants", (ev.claimants || []).map(function (c) { return c.name + (c.side ? " (" + c.side + ")" : ""); }).join("; ") || "—"],
       ["Claimed by", ev.claimed_by_sides || "—"],
       ["Statuses", (ev.statuses || []).join(", ") || "—"],
       ["Fatalities", ev.fatalities === null ? "—" : ev.fatalities + (ev.disputed ? " (disputed " + ev.fatalities_low + "–" + ev.fatalities_high + ")" : "")]
      ].forEach(function (kv) { facts.appendChild(el("dt", null, kv[0])); facts.appendChild(el("dd", null, kv[1])); });
      box.appendChild(facts);
      var reports = el("div", "reports");
      box.appendChild(el("h3", null, "Reports"));
      box.appendChild(reports);
      panel.appendChild(box);
      return Promise.all(ev.reports.map(function (r) {
        var card = el("section", "report");
        var head = el("div", "report-head");
        var link = el("a", null, r.title || r.outlet || ("document " + r.document_id));
        link.href = "/documents/" + r.document_id + (r.evidence.start !== null ? "?mark=" + r.evidence.start + "&mark_end=" + r.evidence.end : "");
        head.appendChild(link);
        head.appendChild(el("span", "muted", " " + (r.outlet || "") + " " + (r.published || "") + (r.language ? " · " + r.language : "")));
        card.appendChild(head);
        card.appendChild(el("div", "report-meta", [r.status, r.claimed_by ? "claimed by " + r.claimed_by : null,
          r.acled_sub_event_type, r.precision].filter(Boolean).join(" · ")));
        reports.appendChild(card);
        if (r.evidence.start === null) { card.appendChild(el("blockquote", "context", r.evidence.text)); return null; }
        return getJSON("/api/documents/" + r.document_id).then(function (doc) {
          var ctx = contextWithMark(doc.text, r.evidence.start, r.evidence.end);
          if (doc.language) ctx.lang = doc.language;
          card.appendChild(ctx);
        });
      }));
    }).catch(function (e) { panel.appendChild(el("p", "error", e.message)); });
  }
  window.sitrepShowEvent = showEvent;
  window.sitrepMap = map;

  // --- timeline with a brush ---------------------------------------------------------------------------------
  var svg = document.getElementById("timeline");
  var NS = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function loadTimeline() {
    var p = params(); p.delete("since"); p.delete("until");
    return getJSON("/api/aggregate/timeline?" + p).then(function (data) { state.days = data.days; drawTimeline(); });
  }
  function dayIndex(days) {
    if (!days.length) return null;
    var t0 = Date.parse(days[0].date + "T00:00:00Z"), t1 = Date.parse(days[days.length - 1].date + "T00:00:00Z");
    return {t0: t0, n: Math.round((t1 - t0) / 86400000) + 1};
  }
  function drawTimeline() {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var W = svg.clientWidth || 800, H = 90, pad = 18, days = state.days, idx = dayIndex(days);
    if (!idx) { var t = svgEl("text", {x: 10, y: 40}); t.textContent = "no dated events"; svg.appendChild(t); return; }
    var bw = (W - 2 * pad) / idx.n;
    // long spans: bins of k days so that each bar is at least 3 px wide
    var k = Math.max(1, Math.ceil(3 / bw)), bins = {};
    days.forEach(function (d) {
      var i = Math.round((Date.parse(d.date + "T00:00:00Z") - idx.t0) / 86400000), b = Math.floor(i / k);
      bins[b] = bins[b] || {i: b * k, count: 0, date: d.date, last: d.date};
      bins[b].count += d.count; bins[b].last = d.date;
    });
    var list = Object.keys(bins).map(function (b) { return bins[b]; });
    var max = Math.max.apply(null, list.map(function (b) { return b.count; }));
    if (state.since) {
      var s0 = (Date.parse(state.since + "T00:00:00Z") - idx.t0) / 86400000,
          s1 = (Date.parse(state.until + "T00:00:00Z") - idx.t0) / 86400000 + 1;
      svg.appendChild(svgEl("rect", {x: pad + s0 * bw, y: 0, width: Math.max(2, (s1 - s0) * bw), height: 72,
        "class": "brush"}));
    }
    list.forEach(function (b) {
      var h = Math.max(2, (H - 30) * b.count / max);
      var inRange = (!state.since || b.last >= state.since) && (!state.until || b.date <= state.until);
      var r = svgEl("rect", {x: pad + b.i * bw, y: H - 18 - h, width: Math.max(2, k * bw - 1), height: h,
        "class": "bar" + (inRange ? "" : " out"), "data-date": b.date});
      var title = svgEl("title", {});
      title.textContent = (b.date === b.last ? b.date : b.date + " – " + b.last) + ": " + b.count;
      r.appendChild(title);
      svg.appendChild(r);
    });
    var l = svgEl("text", {x: pad, y: H - 4, "class": "axis"}); l.textContent = days[0].date; svg.appendChild(l);
    var rr = svgEl("text", {x: W - pad, y: H - 4, "class": "axis", "text-anchor": "end"});
    rr.textContent = days[days.length - 1].date; svg.appendChild(rr);
    svg._geom = {pad: pad, bw: bw, t0: idx.t0, n: idx.n, W: W};
  }
  function xToDate(x) {
    var g = svg._geom; if (!g) return null;
    var i = Math.max(0, Math.min(g.n - 1, Math.floor((x - g.pad) / g.bw)));
    return new Date(g.t0 + i * 86400000).toISOString().slice(0, 10);
  }
  var drag = null, brushRect = null;
  svg.addEventListener("mousedown", function (e) {
    var x = e.clientX - svg.getBoundingClientRect().left;
    drag = {x0: x};
    brushRect = svgEl("rect", {x: x, y: 0, width: 0, height: 72, "class": "brush"});
    svg.appendChild(brushRect);
  });
  svg.addEventListener("mousemove", function (e) {
    if (!drag) return;
    var x = e.clientX - svg.getBoundingClientRect().left;
    brushRect.setAttribute("x", Math.min(x, drag.x0)); brushRect.setAttribute("width", Math.abs(x - drag.x0));
  });
  window.addEventListener("mouseup", function (e) {
    if (!drag) return;
    var x = e.clientX - svg.getBoundingClientRect().left, x0 = drag.x0; drag = null;
    if (Math.abs(x - x0) < 3) { state.since = state.until = null; }
    else { state.since = xToDate(Math.min(x, x0)); state.until = xToDate(Math.max(x, x0)); }
    document.getElementById("range").textContent = state.since ? state.since + " → " + state.until : "all dates";
    drawTimeline(); refresh(false);
  });

  function refresh(withTimeline) {
    return Promise.all([loadMap(), loadList(), withTimeline ? loadTimeline() : null]);
  }
  form.addEventListener("change", function () { refresh(true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); refresh(true); });
  var typing; form.text.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(function () { refresh(true); }, 300); });
  map.on("moveend", loadMap);
  window.addEventListener("resize", drawTimeline);
  var m = location.hash.match(/^#event-(\d+)$/);
  refresh(true).then(function () { if (m) showEvent(m[1]); });
})();
