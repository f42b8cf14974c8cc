"use strict";
// The graph view. Every string that comes from the data reaches the page
// through textContent, an <option>'s value, or vis-network's canvas labels and
// DOM-element tooltips; never through innerHTML. A label holding markup
// therefore shows as text.
(function () {
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var LANGS = ["en", "kk", "ru"];
  var UI = {
    en: { search: "Search", placeholder: "any name, any language", "class": "Class", relation: "Relation",
          year: "Up to year", language: "Language", reset: "Reset", all: "all", classes: "Classes",
          relations: "Relations", nodes: "nodes", edges: "relations", shown: "shown", nomatch: "no node matches",
          found: "found", degree: "relations", also: "also", source: "source",
          hint: "Hover a node or a line for its names and evidence; click a node to highlight its neighbours; scroll to zoom." },
    kk: { search: "Іздеу", placeholder: "кез келген атау, кез келген тілде", "class": "Түрі", relation: "Байланыс",
          year: "Жылға дейін", language: "Тіл", reset: "Тазарту", all: "барлығы", classes: "Түрлері",
          relations: "Байланыстар", nodes: "түйін", edges: "байланыс", shown: "көрсетілген", nomatch: "ештеңе табылмады",
          found: "табылды", degree: "байланыс", also: "басқа атаулары", source: "дереккөз",
          hint: "Атаулары мен дәлелдерін көру үшін түйінге немесе сызыққа меңзерді апарыңыз; көршілерін белгілеу үшін түйінді басыңыз." },
    ru: { search: "Поиск", placeholder: "любое название, любой язык", "class": "Класс", relation: "Связь",
          year: "До года", language: "Язык", reset: "Сбросить", all: "все", classes: "Классы",
          relations: "Связи", nodes: "узлов", edges: "связей", shown: "показано", nomatch: "ничего не найдено",
          found: "найдено", degree: "связей", also: "другие названия", source: "источник",
          hint: "Наведите на узел или линию, чтобы увидеть названия и цитаты; щёлкните узел, чтобы выделить соседей." }
  };
  var lang = LANGS.indexOf(data.lang) >= 0 ? data.lang : "en";
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });

  function $(id) { return document.getElementById(id); }
  function t(key) { return UI[lang][key]; }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // Tooltips are DOM elements, which vis-network appends as they are.
  function nodeTip(n) {
    var box = el("div", "kg-tip");
    box.appendChild(el("b", null, n.shown[lang]));
    LANGS.forEach(function (l) { if (n.labels[l]) box.appendChild(el("div", null, l + ": " + n.labels[l])); });
    if (n.alt.length) box.appendChild(el("div", "muted", t("also") + ": " + n.alt.join(" · ")));
    var cls = data.classes[n.cls].labels[lang] + (n.iso ? " · ISO " + n.iso : "") + " · kz:" + n.id;
    box.appendChild(el("div", "muted", cls));
    box.appendChild(el("div", "muted", n.degree + " " + t("degree")));
    return box;
  }
  function edgeTip(e) {
    var box = el("div", "kg-tip");
    box.appendChild(el("b", null, byId[e.from].shown[lang] + " — " + data.relations[e.rel].labels[lang] + " → " + byId[e.to].shown[lang]));
    if (e.start) box.appendChild(el("div", "muted", e.start === e.end ? e.start : e.start + " – " + e.end));
    e.evidence.forEach(function (ev) {
      var item = el("div", "quote");
      if (ev.date || ev.note) item.appendChild(el("div", "muted", [ev.date, ev.note].filter(Boolean).join(" · ")));
      if (ev.quote) item.appendChild(el("div", null, "«" + ev.quote + "»"));
      if (ev.english) item.appendChild(el("div", "en", ev.english));
      item.appendChild(el("div", "muted", t("source") + ": " + (ev.title ? ev.title + " (" + ev.source + ")" : ev.source)));
      box.appendChild(item);
    });
    return box;
  }

  function nodeItem(n) {
    return { id: n.id, label: n.short[lang], title: nodeTip(n) };
  }
  function edgeItem(e) {
    return { id: e.id, label: data.relations[e.rel].labels[lang], title: edgeTip(e) };
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var c = data.classes[n.cls];
    var item = nodeItem(n);
    item.x = n.x; item.y = n.y; item.shape = c.shape; item.size = n.size;
    item.color = { background: c.color, border: "#ffffff", highlight: { background: c.color, border: "#111111" },
                   hover: { background: c.color, border: "#111111" } };
    item.font = { size: n.font };
    if (n.id === data.focus) { item.borderWidth = 3; item.color.border = "#111111"; }
    return item;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var r = data.relations[e.rel];
    var item = edgeItem(e);
    item.from = e.from; item.to = e.to;
    item.arrows = r.symmetric ? "" : { to: { enabled: true, scaleFactor: 0.5 } };
    item.color = { color: r.color, highlight: r.color, hover: r.color, opacity: 0.75 };
    // Several relations between the same two nodes curve apart (a fixed curve, not a physics one).
    if (e.bend) item.smooth = { enabled: true, type: e.bend > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(e.bend) };
    return item;
  }));
  var network = new vis.Network($("network"), { nodes: nodes, edges: edges }, {
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: true, hideEdgesOnZoom: data.edges.length > 1500 },
    nodes: { borderWidth: 1.5, font: { face: "system-ui, Noto Sans, DejaVu Sans, sans-serif", color: "#1b1b1b", strokeWidth: 4, strokeColor: "#ffffff" },
             scaling: { label: { drawThreshold: 6 } } },
    edges: { smooth: false, width: 1.3, selectionWidth: 1.5, hoverWidth: 1,
             font: { size: 11, color: "#555555", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
             // Relation names appear once zoomed in, where they can be read.
             scaling: { label: { drawThreshold: 9 } } }
  });
  network.fit({ animation: false });
  window.kgNetwork = network;
  window.kgData = data;
  // For the benchmark and the browser tests: when the view was first drawn,
  // and when it last changed (a still view is not redrawn after that).
  window.kgDraws = 0;
  network.on("afterDrawing", function () {
    window.kgDraws += 1;
    window.kgLastDrawnAt = performance.now();
    if (window.kgDraws === 1) window.kgDrawnAt = window.kgLastDrawnAt;
  });

  // Legend and filter menus, rebuilt when the language changes.
  var classSelect = $("filter-class"), relSelect = $("filter-relation"), yearInput = $("filter-year");
  var GLYPH = { dot: "●", ellipse: "⬬", diamond: "◆", square: "■", triangle: "▲", triangleDown: "▼", star: "★", hexagon: "⬢" };
  function byLabel(table) {
    return Object.keys(table).sort(function (a, b) { return table[a].labels[lang].localeCompare(table[b].labels[lang], lang); });
  }
  function fillSelect(select, table) {
    var chosen = select.value;
    clear(select);
    var all = el("option", null, t("all")); all.value = ""; select.appendChild(all);
    byLabel(table).forEach(function (k) {
      var opt = el("option", null, table[k].labels[lang] + " (" + table[k].count + ")"); opt.value = k; select.appendChild(opt);
    });
    select.value = chosen;
  }
  function fillLegend() {
    var classBox = $("legend-classes"), relBox = $("legend-relations");
    clear(classBox); clear(relBox);
    byLabel(data.classes).forEach(function (k) {
      var c = data.classes[k], row = el("div", "legend-item");
      var glyph = el("span", "glyph", GLYPH[c.shape] || "●"); glyph.style.color = c.color;
      row.appendChild(glyph); row.appendChild(el("span", null, c.labels[lang])); row.appendChild(el("span", "count", c.count));
      classBox.appendChild(row);
    });
    byLabel(data.relations).forEach(function (k) {
      var r = data.relations[k], row = el("div", "legend-item");
      var swatch = el("span", "edge-swatch"); swatch.style.background = r.color;
      row.appendChild(swatch); row.appendChild(el("span", null, r.labels[lang] + (r.symmetric ? " ↔" : " →")));
      row.appendChild(el("span", "count", r.count));
      relBox.appendChild(row);
    });
  }

  // Search by any label or alt label in any language. Case, the Latin ə
  // written for the Kazakh ә, dashes, quotation marks and spacing are folded
  // (as kg.evidence.fold_for_search does), so "Ресеймен" or "ресеймен" finds Russia.
  var FOLD = { "\u0259": "\u04d9", "\u018f": "\u04d8", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2013": "-", "\u2014": "-",
               "\u00ab": "\"", "\u00bb": "\"", "\u201c": "\"", "\u201d": "\"", "\u201e": "\"" };
  function fold(s) {
    return String(s).replace(/[\u0259\u018f\u00a0\u202f\u2009\u2013\u2014\u00ab\u00bb\u201c\u201d\u201e]/g, function (c) { return FOLD[c]; })
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  var index = [];
  data.nodes.forEach(function (n) {
    var names = {};
    LANGS.forEach(function (l) { if (n.labels[l]) names[n.labels[l]] = true; });
    n.alt.forEach(function (a) { names[a] = true; });
    names[n.id] = true;
    Object.keys(names).sort().forEach(function (name) { index.push({ key: fold(name), name: name, id: n.id }); });
  });
  function findNode(text) {
    var q = fold(text), i;
    if (!q) return null;
    for (i = 0; i < index.length; i++) if (index[i].key === q) return index[i].id;
    for (i = 0; i < index.length; i++) if (index[i].key.indexOf(q) === 0) return index[i].id;
    for (i = 0; i < index.length; i++) if (index[i].key.indexOf(q) > 0) return index[i].id;
    return null;
  }
  function fillDatalist() {
    var list = $("search-options"), seen = {};
    clear(list);
    index.forEach(function (entry) {
      if (seen[entry.name]) return;
      seen[entry.name] = true;
      var opt = el("option"); opt.value = entry.name; list.appendChild(opt);
    });
  }
  var status = $("status");
  function search() {
    var id = findNode($("search").value);
    if (id === null) { status.textContent = t("nomatch"); return; }
    if (nodes.get(id).hidden) resetFilters();
    network.selectNodes([id]);
    highlight(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: false });
    status.textContent = t("found") + ": " + byId[id].shown[lang];
  }
  $("search").addEventListener("change", search);
  $("search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(); });
  window.kgFindNode = findNode;

  // Clicking a node keeps its neighbourhood in full colour and dims the rest.
  function highlight(id) {
    var keepNodes = {}, keepEdges = {};
    if (id !== null) {
      keepNodes[id] = true;
      network.getConnectedNodes(id).forEach(function (n) { keepNodes[n] = true; });
      network.getConnectedEdges(id).forEach(function (e) { keepEdges[e] = true; });
    }
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, opacity: (id === null || keepNodes[n.id]) ? 1 : 0.15 };
    }));
    edges.update(data.edges.map(function (e) {
      var r = data.relations[e.rel];
      var dim = id !== null && !keepEdges[e.id];
      return { id: e.id, color: { color: r.color, highlight: r.color, hover: r.color, opacity: dim ? 0.08 : 0.75 }, font: { color: dim ? "#5550" : "#555555" } };
    }));
  }
  network.on("click", function (params) { highlight(params.nodes.length ? params.nodes[0] : null); });

  function showCounts(shownEdges) {
    var text = data.nodes.length + " " + t("nodes") + ", " + data.edges.length + " " + t("edges");
    if (shownEdges !== undefined && shownEdges !== data.edges.length) text += " (" + shownEdges + " " + t("shown") + ")";
    status.textContent = text;
  }
  function applyFilters() {
    var cls = classSelect.value, rel = relSelect.value, year = parseInt(yearInput.value, 10);
    var filtering = !!cls || !!rel || !isNaN(year);
    var touched = {};
    var edgeUpdates = data.edges.map(function (e) {
      var show = (!rel || e.rel === rel) && (isNaN(year) || (e.year !== null && e.year <= year))
        && (!cls || byId[e.from].cls === cls || byId[e.to].cls === cls);
      if (show) { touched[e.from] = true; touched[e.to] = true; }
      return { id: e.id, hidden: !show };
    });
    edges.update(edgeUpdates);
    nodes.update(data.nodes.map(function (n) {
      var show = !filtering || touched[n.id] || (cls && n.cls === cls && !rel && isNaN(year));
      return { id: n.id, hidden: !show };
    }));
    showCounts(edgeUpdates.filter(function (u) { return !u.hidden; }).length);
  }
  function resetFilters() {
    classSelect.value = ""; relSelect.value = ""; yearInput.value = "";
    applyFilters();
  }
  classSelect.addEventListener("change", applyFilters);
  relSelect.addEventListener("change", applyFilters);
  yearInput.addEventListener("input", applyFilters);
  $("reset").addEventListener("click", function () {
    resetFilters(); highlight(null); network.unselectAll(); $("search").value = ""; network.fit({ animation: false });
  });

  function setLanguage(l, initial) {
    lang = l;
    document.documentElement.lang = l;
    $("language").value = l;
    Array.prototype.forEach.call(document.querySelectorAll("[data-ui]"), function (node) { node.textContent = t(node.getAttribute("data-ui")); });
    $("search").placeholder = t("placeholder");
    $("kg-title").textContent = data.title;
    if (!initial) {
      nodes.update(data.nodes.map(nodeItem));
      edges.update(data.edges.map(edgeItem));
    }
    fillSelect(classSelect, data.classes);
    fillSelect(relSelect, data.relations);
    fillLegend();
    showCounts();
  }
  $("language").addEventListener("change", function (ev) { setLanguage(ev.target.value); applyFilters(); });
  fillDatalist();
  setLanguage(lang, true);
})();
