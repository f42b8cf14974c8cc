"use strict";
// The graph view. Every string that comes from the data reaches the page
// through textContent, an attribute set from code (an <option>'s value, a
// link to a file this build wrote or to an http(s) address), or
// vis-network's canvas labels; never through innerHTML. A label holding
// markup therefore shows as text.
(function () {
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var LANGS = ["en", "kk", "ru"];
  var UI = {
    en: { search: "Search", placeholder: "any name, any language", "class": "Class", years: "Years", language: "Language",
          reset: "Reset", all: "all", classes: "Classes", relations: "Relations", views: "Views", command: "Made by",
          entities: ["entity", "entities"], links: ["relation", "relations"], shown: "shown",
          nomatch: "Nothing matches", didyoumean: "Did you mean:", found: "found", also: "also",
          undated: "include undated", copylink: "Copy link", png: "PNG", list: "List", legend: "Legend", close: "Close",
          copied: "Copied", copycite: "Copy citation", quote: "quote from a text", reference: "cited reference",
          opentext: "open in the text", source: "source", allviews: "← All views",
          unlinked: "Not linked to other entities", allentities: "All entities", expand: "click to show them one by one", clickfor: "click for the evidence",
          pieces: ["piece of evidence", "pieces of evidence"], canvas: "Graph of {n} and {m}. Arrow keys pan, + and − zoom, 0 fits, N and P move between entities, Enter opens the details, Escape closes them. The List button gives the same as text.",
          hint: "Click a node or a line for its evidence; hover for a preview. Click a legend row to filter by it. Scroll or + and − to zoom; N and P step through the entities." },
    kk: { search: "Іздеу", placeholder: "кез келген атау, кез келген тілде", "class": "Түрі", years: "Жылдар", language: "Тіл",
          reset: "Тазарту", all: "барлығы", classes: "Түрлері", relations: "Байланыстар", views: "Көріністер", command: "Жасаған команда",
          entities: ["нысан", "нысан"], links: ["байланыс", "байланыс"], shown: "көрсетілген",
          nomatch: "Ештеңе табылмады", didyoumean: "Мүмкін:", found: "табылды", also: "басқа атаулары",
          undated: "күні жоқтарын қосу", copylink: "Сілтемені көшіру", png: "PNG", list: "Тізім", legend: "Шартты белгілер", close: "Жабу",
          copied: "Көшірілді", copycite: "Дәйексөзді көшіру", quote: "мәтіннен дәйексөз", reference: "сыртқы дереккөз",
          opentext: "мәтінде ашу", source: "дереккөз", allviews: "← Барлық көріністер",
          unlinked: "Басқа нысандармен байланыспаған", allentities: "Барлық нысандар", expand: "бөлек көру үшін басыңыз", clickfor: "дәлелдер үшін басыңыз",
          pieces: ["дәлел", "дәлел"], canvas: "{n} және {m} графы. Жылжыту үшін бағыт пернелері, масштаб үшін + және −, 0 бәрін көрсетеді, N және P нысандар бойынша жүреді, Enter мәліметтерді ашады, Escape жабады. Тізім батырмасы осыны мәтінмен береді.",
          hint: "Дәлелдерін көру үшін түйінді немесе сызықты басыңыз. Сүзу үшін шартты белгілер жолын басыңыз." },
    ru: { search: "Поиск", placeholder: "любое название, любой язык", "class": "Класс", years: "Годы", language: "Язык",
          reset: "Сбросить", all: "все", classes: "Классы", relations: "Связи", views: "Представления", command: "Команда",
          entities: ["узел", "узла", "узлов"], links: ["связь", "связи", "связей"], shown: "показано",
          nomatch: "Ничего не найдено", didyoumean: "Возможно:", found: "найдено", also: "другие названия",
          undated: "включая без даты", copylink: "Копировать ссылку", png: "PNG", list: "Список", legend: "Легенда", close: "Закрыть",
          copied: "Скопировано", copycite: "Копировать цитату", quote: "цитата из текста", reference: "внешний источник",
          opentext: "открыть в тексте", source: "источник", allviews: "← Все представления",
          unlinked: "Не связаны с другими", allentities: "Все узлы", expand: "щёлкните, чтобы показать по одному", clickfor: "щёлкните, чтобы увидеть цитаты",
          pieces: ["цитата", "цитаты", "цитат"], canvas: "Граф: {n} и {m}. Стрелки сдвигают, + и − меняют масштаб, 0 показывает всё, N и P переходят между узлами, Enter открывает подробности, Escape закрывает. Кнопка «Список» даёт то же текстом.",
          hint: "Щёлкните узел или линию, чтобы увидеть цитаты; щёлкните строку легенды, чтобы отфильтровать." }
  };
  var lang = LANGS.indexOf(data.lang) >= 0 ? data.lang : "en";
  var links = data.links || {};
  var byId = {}, edgeById = {}, edgeByKey = {}, edgesOf = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; edgesOf[n.id] = []; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    edgeByKey[e.from + "," + e.rel + "," + e.to] = e;
    edgesOf[e.from].push(e);
    if (e.to !== e.from) edgesOf[e.to].push(e);
  });

  function $(id) { return document.getElementById(id); }
  function t(key) { return UI[lang][key]; }
  // "1 entity", "2 entities"; in Russian "1 узел", "3 узла", "162 узла", "234 связи", "11 связей".
  function plural(count, key) {
    var forms = UI[lang][key], form;
    if (lang === "ru") {
      var ten = count % 10, hundred = count % 100;
      form = ten === 1 && hundred !== 11 ? forms[0] : (ten >= 2 && ten <= 4 && (hundred < 12 || hundred > 14) ? forms[1] : forms[2]);
    } else {
      form = count === 1 ? forms[0] : forms[1];
    }
    return count + " " + form;
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function relName(key) { return data.relations[key].labels[lang]; }
  function name(id) { return byId[id].shown[lang]; }
  function sentence(e) {
    var when = e.start ? ", " + (e.start === e.end ? e.start : e.start + "–" + e.end) : "";
    return name(e.from) + " — " + relName(e.rel) + (data.relations[e.rel].symmetric ? " ↔ " : " → ") + name(e.to) + when;
  }

  // -------------------------------------------------------------------------
  // Entities linked to nothing sit in their own titled group under the rest.
  var unlinked = data.nodes.filter(function (n) { return n.degree === 0; });
  var unlinkedBox = null;
  if (unlinked.length && unlinked.length < data.nodes.length) {
    var linked = data.nodes.filter(function (n) { return n.degree > 0; });
    var minX = Math.min.apply(null, linked.map(function (n) { return n.x; }));
    var maxX = Math.max.apply(null, linked.map(function (n) { return n.x; }));
    var maxY = Math.max.apply(null, linked.map(function (n) { return n.y + n.size; }));
    var columns = Math.max(1, Math.min(unlinked.length, Math.floor((maxX - minX) / 300) + 1));
    unlinked.forEach(function (n, i) {
      n.x = minX + 150 + (i % columns) * 300;
      n.y = maxY + 190 + Math.floor(i / columns) * 90;
    });
    unlinkedBox = { x: minX, y: maxY + 110, width: Math.min(columns, unlinked.length) * 300,
                    height: Math.ceil(unlinked.length / columns) * 90 + 60 };
  }

  // -------------------------------------------------------------------------
  // The network
  var FONT_FACE = "system-ui, Noto Sans, DejaVu Sans, sans-serif";
  function nodeStyle(n) {
    var c = data.classes[n.cls];
    var fill = c.hollow ? "#ffffff" : c.color;
    return {
      id: n.id, x: n.x, y: n.y, shape: c.shape, size: n.size, label: "",
      borderWidth: c.hollow ? 3.5 : (n.id === data.focus ? 3 : 1.5),
      color: { background: fill, border: c.hollow || n.id === data.focus ? (c.hollow ? c.color : "#111111") : "#ffffff",
               highlight: { background: fill, border: "#111111" }, hover: { background: fill, border: "#111111" } }
    };
  }
  function edgeStyle(e) {
    var r = data.relations[e.rel];
    var item = { id: e.id, from: e.from, to: e.to, label: relName(e.rel), dashes: r.dashes || false,
                 arrows: r.symmetric ? "" : { to: { enabled: true, scaleFactor: 0.6 } },
                 color: { color: r.color, highlight: r.color, hover: r.color, opacity: 1 } };
    // Several relations between the same two nodes curve apart (a fixed curve, not a physics one).
    if (e.bend) item.smooth = { enabled: true, type: e.bend > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(e.bend) };
    return item;
  }
  var priority = data.nodes.slice().sort(function (a, b) { return b.degree - a.degree || (a.id < b.id ? -1 : 1); })
    .map(function (n) { return n.id; });
  var LARGE = 500, HUB_DEGREE = 25, GATHER_MIN = 3;
  var centre = data.focus && byId[data.focus] ? data.focus : priority[0];
  var clusters = {}, gatheredIn = {}, plan = makePlan();
  var filteredNodes = {}, filteredEdges = {}, hiddenNodes = {}, hiddenEdges = {};
  // The view opens gathered (see makePlan): hidden from the start, so that a
  // large view is not built twice.
  var groupNodes = [], groupLines = [];
  plan.forEach(function (g) {
    var items = gather(g);
    groupNodes.push(items[0]); groupLines.push(items[1]);
  });
  // A gathered entity and its lines join vis-network's data only when first shown:
  // a large view is built with its groups, not with thousands of hidden items.
  var present = { nodes: {}, edges: {} };
  var nodes = new vis.DataSet(data.nodes.filter(function (n) { return !gatheredIn[n.id]; }).map(function (n) {
    present.nodes[n.id] = true;
    return nodeStyle(n);
  }).concat(groupNodes));
  var edges = new vis.DataSet(data.edges.filter(function (e) { return !gatheredIn[e.from] && !gatheredIn[e.to]; }).map(function (e) {
    present.edges[e.id] = true;
    return edgeStyle(e);
  }).concat(groupLines));
  data.nodes.forEach(function (n) { if (!present.nodes[n.id]) hiddenNodes[n.id] = true; });
  data.edges.forEach(function (e) { if (!present.edges[e.id]) hiddenEdges[e.id] = true; });
  var container = $("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: true, hoverConnectedEdges: false, tooltipDelay: 3600000, hideEdgesOnDrag: data.edges.length > 1500,
                   hideEdgesOnZoom: data.edges.length > 1500, keyboard: false, multiselect: false },
    nodes: { font: { face: FONT_FACE, color: "#1b1b1b", strokeWidth: 4, strokeColor: "#ffffff" },
             scaling: { label: { drawThreshold: 1 } } },
    edges: { smooth: false, width: 2, selectionWidth: 2, hoverWidth: 1.5,
             font: { size: 11, color: "#3d3d3d", strokeWidth: 3, strokeColor: "#ffffff", align: "middle", face: FONT_FACE },
             // Relation names appear once zoomed in, where they can be read.
             scaling: { label: { drawThreshold: 9 } } }
  });
  // Nothing is drawn until the view is set up (groups, labels, the camera, the
  // address's state): the first frame is the finished view, drawn once.
  network.body.emitter.emit("_blockRedraw");
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
  network.on("beforeDrawing", function (ctx) {
    // A white ground, so that the PNG export is not transparent.
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
    if (unlinkedBox && unlinked.some(function (n) { return !nodes.get(n.id).hidden; })) {
      var scale = network.getScale(), size = Math.max(16, 15 / scale);
      ctx.save();
      ctx.strokeStyle = "#8a8f98"; ctx.lineWidth = 1.5 / scale; ctx.setLineDash([6 / scale, 4 / scale]);
      ctx.strokeRect(unlinkedBox.x, unlinkedBox.y, unlinkedBox.width, unlinkedBox.height);
      ctx.fillStyle = "#333333"; ctx.font = "600 " + size + "px " + FONT_FACE; ctx.textBaseline = "top";
      ctx.fillText(t("unlinked") + " (" + unlinked.length + ")", unlinkedBox.x + 10 / scale, unlinkedBox.y + 8 / scale);
      ctx.restore();
    }
  });

  // -------------------------------------------------------------------------
  // Labels: as many as fit without overlapping, the best-connected first, each
  // at least MIN_PX high on screen; more appear as one zooms in.
  var MIN_PX = 12, MAX_PX = 20;
  var measure = document.createElement("canvas").getContext("2d");
  var widthAt10 = {}, clusterWidths = {};
  function measureLabels() {
    measure.font = "10px " + FONT_FACE;
    data.nodes.forEach(function (n) { widthAt10[n.id] = measure.measureText(n.short[lang]).width; });
  }
  // A node of the data, or a gathered group drawn as one node.
  function info(id) { return byId[id] || clusters[id]; }
  function labelText(id) { return byId[id] ? byId[id].short[lang] : clusterLabel(clusters[id]); }
  function labelWidth10(id) {
    if (byId[id]) return widthAt10[id];
    if (clusterWidths[id] === undefined) { measure.font = "10px " + FONT_FACE; clusterWidths[id] = measure.measureText(labelText(id)).width; }
    return clusterWidths[id];
  }
  function screenFont(n, scale) { return Math.min(MAX_PX, Math.max(MIN_PX, n.font * scale)); }
  function labelBox(id, scale, pos) {
    var n = info(id), px = screenFont(n, scale), w = labelWidth10(id) * px / 10 + 8, h = px * 1.25 + 4;
    var top = pos.y + n.size * scale + 2;
    return { left: pos.x - w / 2, right: pos.x + w / 2, top: top, bottom: top + h, px: px };
  }
  var shownLabel = {};
  var selected = null;  // {node: id} or {edge: id}
  function placeLabels() {
    var scale = network.getScale(), width = container.clientWidth, height = container.clientHeight;
    var first = [];
    if (data.focus) first.push(data.focus);
    if (selected && selected.node !== undefined) {
      first.push(selected.node);
      edgesOf[selected.node].forEach(function (e) { first.push(e.from === selected.node ? e.to : e.from); });
    }
    if (selected && selected.edge !== undefined) { first.push(edgeById[selected.edge].from); first.push(edgeById[selected.edge].to); }
    var order = first.concat(Object.keys(clusters).filter(function (c) { return clusters[c].open === false; }), priority);
    var seen = {}, grid = {}, updates = [];
    var positions = network.getPositions();
    var CELL = 120;
    function cells(box, add) {
      var hit = false;
      for (var cx = Math.floor(box.left / CELL); cx <= Math.floor(box.right / CELL); cx++) {
        for (var cy = Math.floor(box.top / CELL); cy <= Math.floor(box.bottom / CELL); cy++) {
          var key = cx + ":" + cy, list = grid[key];
          if (add) { (grid[key] = list || []).push(box); continue; }
          if (list) for (var i = 0; i < list.length; i++) {
            var o = list[i];
            if (box.left < o.right && o.left < box.right && box.top < o.bottom && o.top < box.bottom) { hit = true; break; }
          }
          if (hit) return true;
        }
      }
      return hit;
    }
    window.kgLabelBoxes = [];
    order.forEach(function (id) {
      if (seen[id]) return;
      seen[id] = true;
      // With a selection, only its neighbourhood is labelled: the dimmed rest stays quiet.
      var want = "", size = 14, drawn = clusters[id] ? !clusters[id].open && !selected : !hiddenNodes[id] && !dimmedNodes[id];
      if (drawn && positions[id]) {
        var box = labelBox(id, scale, network.canvasToDOM(positions[id]));
        var inside = box.right > 0 && box.left < width && box.bottom > 0 && box.top < height;
        if (inside && !cells(box, false)) {
          cells(box, true);
          want = labelText(id);
          size = Math.round(box.px / scale * 100) / 100;
          window.kgLabelBoxes.push({ id: id, left: box.left, right: box.right, top: box.top, bottom: box.bottom });
        }
      }
      var now = shownLabel[id];
      if (!now || now.label !== want || (want && Math.abs(now.size - size) > 0.01)) {
        shownLabel[id] = { label: want, size: size };
        if (clusters[id] || present.nodes[id]) updates.push({ id: id, label: want, font: { size: size } });
        else delete shownLabel[id];
      }
    });
    if (updates.length) nodes.update(updates);
  }
  var labelTimer = null;
  function placeLabelsSoon() {
    clearTimeout(labelTimer);
    labelTimer = setTimeout(placeLabels, 90);
  }
  network.on("zoom", placeLabelsSoon);
  network.on("dragEnd", placeLabelsSoon);
  network.on("resize", placeLabelsSoon);
  window.kgLabelOf = function (id) { return byId[id].short[lang]; };

  // -------------------------------------------------------------------------
  // The camera: fit what is shown, its labels included; a large view opens on
  // its centre and the groups gathered around it.
  function fitTo(ids) {
    // On a phone the panel covers the lower part of the canvas: fit into what is left.
    var area = visibleArea(), width = area.width, height = area.height;
    var positions = network.getPositions(ids);
    ids = ids.filter(function (id) { return positions[id]; });
    if (!ids.length || !width || !height) return;
    var scale = 1, left, right, top, bottom;
    for (var round = 0; round < 4; round++) {
      left = Infinity; right = -Infinity; top = Infinity; bottom = -Infinity;
      ids.forEach(function (id) {
        var n = info(id), p = positions[id];
        var px = screenFont(n, scale), half = Math.max(n.size, (labelWidth10(id) * px / 10 + 8) / 2 / scale);
        left = Math.min(left, p.x - half); right = Math.max(right, p.x + half);
        top = Math.min(top, p.y - n.size); bottom = Math.max(bottom, p.y + n.size + (px * 1.25 + 6) / scale);
      });
      scale = Math.min(1.6, (width - 24) / Math.max(right - left, 1), (height - 24) / Math.max(bottom - top, 1));
    }
    network.moveTo({ position: { x: (left + right) / 2, y: (top + bottom) / 2 }, scale: scale, animation: false,
                     offset: { x: 0, y: -(container.clientHeight - height) / 2 } });
  }
  function visibleIds() {
    return data.nodes.filter(function (n) { return !filteredNodes[n.id]; }).map(function (n) { return n.id; });
  }
  function openingView() {
    var groups = Object.keys(clusters).filter(function (c) { return clusters[c].open === false; });
    if (data.nodes.length > LARGE && groups.length) { fitTo([centre].concat(groups)); return; }
    fitTo(visibleIds());
  }

  // -------------------------------------------------------------------------
  // Gathering: a hub's many lines of one relation (and direction) are drawn as
  // one node with their count until it is clicked. In a view up to LARGE
  // nodes, the hubs' leaves (entities linked to the hub alone) are gathered;
  // a larger view opens with every neighbour of its centre gathered, so it
  // opens readable instead of as a ring of thousands of dots.
  function clusterLabel(g) {
    var name = relName(g.rel) + (data.relations[g.rel].symmetric ? " ↔" : "");
    return (g.incoming ? "← " + name : name + (data.relations[g.rel].symmetric ? "" : " →")) + " ×" + g.members.length;
  }
  function makePlan() {
    var large = data.nodes.length > LARGE;
    var hubs = large ? [centre] : priority.filter(function (id) { return byId[id].degree >= HUB_DEGREE; });
    var taken = {}, groups = [];
    hubs.forEach(function (hub) { taken[hub] = true; });
    hubs.forEach(function (hub) {
      var byKey = {};
      edgesOf[hub].slice().sort(function (a, b) { return a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : a.id - b.id; }).forEach(function (e) {
        var other = e.from === hub ? e.to : e.from;
        if (taken[other] || (!large && byId[other].degree !== 1)) return;
        var incoming = e.to === hub && !data.relations[e.rel].symmetric;
        var key = e.rel + (incoming ? ":in" : ":out");
        (byKey[key] = byKey[key] || { hub: hub, rel: e.rel, incoming: incoming, members: [] }).members.push(other);
        taken[other] = true;
      });
      Object.keys(byKey).sort().forEach(function (key) {
        if (byKey[key].members.length >= (large ? 2 : GATHER_MIN)) groups.push(byKey[key]);
      });
    });
    // In a large view the groups sit in a grid under the centre, wider than tall.
    if (large && groups.length) {
      var c = byId[centre], columns = Math.ceil(Math.sqrt(groups.length * 2.5));
      groups.forEach(function (g, i) {
        g.x = c.x + ((i % columns) - (columns - 1) / 2) * 330;
        g.y = c.y + 220 + Math.floor(i / columns) * 150;
      });
    }
    groups.forEach(function (g, i) {
      g.id = "gathered:" + i;
      g.line = "gathered-line:" + i;
      g.font = 16;
      g.size = Math.round(10 + 3 * Math.sqrt(g.members.length));
      g.open = true;
    });
    return groups;
  }
  // Marks g as gathered; returns its node and its line for the DataSets.
  function gather(g) {
    g.open = false;
    clusters[g.id] = g;
    g.members.forEach(function (m) { gatheredIn[m] = g.id; });
    if (g.x === undefined) {
      g.x = g.members.reduce(function (sum, m) { return sum + byId[m].x; }, 0) / g.members.length;
      g.y = g.members.reduce(function (sum, m) { return sum + byId[m].y; }, 0) / g.members.length;
    }
    var r = data.relations[g.rel];
    return [
      { id: g.id, x: g.x, y: g.y, label: "", shape: "dot", size: g.size, borderWidth: 3, font: { size: 14 },
        color: { background: "#ffffff", border: r.color, highlight: { background: "#ffffff", border: "#111111" },
                 hover: { background: "#ffffff", border: "#111111" } },
        shapeProperties: { borderDashes: r.dashes || false } },
      { id: g.line, from: g.incoming ? g.id : g.hub, to: g.incoming ? g.hub : g.id, dashes: r.dashes || false,
        width: Math.min(8, 2 + Math.log(g.members.length)), label: "",
        arrows: r.symmetric ? "" : { to: { enabled: true, scaleFactor: 0.6 } },
        color: { color: r.color, highlight: r.color, hover: r.color, opacity: 1 } }
    ];
  }
  function gatherAll() {
    var groupNodes = [], groupLines = [];
    plan.forEach(function (g) {
      if (!g.open) return;
      var items = gather(g);
      groupNodes.push(items[0]); groupLines.push(items[1]);
      delete shownLabel[g.id];
    });
    syncHidden();
    if (groupNodes.length) { nodes.add(groupNodes); edges.add(groupLines); }
  }
  function expand(id) {
    var g = clusters[id];
    if (!g || g.open) return;
    g.open = true;
    g.members.forEach(function (m) { delete gatheredIn[m]; });
    edges.remove(g.line);
    nodes.remove(g.id);
    delete shownLabel[g.id];
    syncHidden();
  }
  function ungatherAll() { Object.keys(clusters).forEach(expand); }
  window.kgExpand = expand;
  window.kgGathered = function () {
    return Object.keys(clusters).filter(function (c) { return !clusters[c].open; }).map(function (c) {
      return { id: c, hub: clusters[c].hub, rel: clusters[c].rel, incoming: clusters[c].incoming, members: clusters[c].members.slice() };
    });
  };

  // -------------------------------------------------------------------------
  // Hover: a short preview of exactly what vis-network marks as hovered.
  var preview = $("preview");
  function showPreview(pointer, lines, kind, id) {
    clear(preview);
    lines.forEach(function (line, i) { preview.appendChild(el("div", i ? "muted" : null, line)); });
    preview.setAttribute("data-kind", kind);
    preview.setAttribute("data-id", String(id));
    preview.hidden = false;
    var box = container.getBoundingClientRect();
    var x = Math.min(pointer.x + 14, box.width - preview.offsetWidth - 4);
    var y = pointer.y + 16 + preview.offsetHeight > box.height ? pointer.y - preview.offsetHeight - 10 : pointer.y + 16;
    preview.style.left = Math.max(0, x) + "px";
    preview.style.top = Math.max(0, y) + "px";
  }
  function hidePreview() { preview.hidden = true; preview.removeAttribute("data-id"); }
  network.on("hoverNode", function (params) {
    if (clusters[params.node]) {
      var g = clusters[params.node];
      showPreview(params.pointer.DOM, [name(g.hub) + " — " + clusterLabel(g), t("expand")], "group", g.id);
      return;
    }
    var n = byId[params.node];
    showPreview(params.pointer.DOM, [n.shown[lang], data.classes[n.cls].labels[lang] + " · " + plural(n.degree, "links")], "node", n.id);
  });
  network.on("hoverEdge", function (params) {
    var e = edgeById[params.edge];
    if (!e) {
      // A line to a gathered group stands for several: say which and how many.
      var group = network.getConnectedNodes(params.edge).map(function (c) { return clusters[c]; }).filter(Boolean)[0];
      if (!group) return;
      showPreview(params.pointer.DOM, [name(group.hub) + " — " + clusterLabel(group), plural(group.members.length, "links") + " · " + t("expand")],
                  "group-line", params.edge);
      return;
    }
    showPreview(params.pointer.DOM, [sentence(e), plural(e.evidence.length, "pieces") + " · " + t("clickfor")], "edge", e.id);
  });
  network.on("blurNode", hidePreview);
  network.on("blurEdge", hidePreview);
  network.on("dragStart", hidePreview);
  network.on("zoom", hidePreview);

  // -------------------------------------------------------------------------
  // Highlight and the details panel
  function highlight() {
    var keepNodes = null, keepEdges = {};
    if (selected && selected.node !== undefined) {
      keepNodes = {};
      keepNodes[selected.node] = true;
      edgesOf[selected.node].forEach(function (e) { keepEdges[e.id] = true; keepNodes[e.from] = true; keepNodes[e.to] = true; });
    } else if (selected && selected.edge !== undefined) {
      var e = edgeById[selected.edge];
      keepNodes = {}; keepNodes[e.from] = true; keepNodes[e.to] = true; keepEdges[e.id] = true;
    }
    // Only what changes is updated: a large view stays quick.
    var nodeUpdates = [], edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var dim = !!keepNodes && !keepNodes[n.id];
      if (!!dimmedNodes[n.id] !== dim) {
        dimmedNodes[n.id] = dim;
        if (present.nodes[n.id]) nodeUpdates.push({ id: n.id, opacity: dim ? 0.15 : 1 });
      }
    });
    data.edges.forEach(function (e) {
      var r = data.relations[e.rel], dim = keepNodes !== null && !keepEdges[e.id];
      if (!!dimmedEdges[e.id] !== dim) {
        dimmedEdges[e.id] = dim;
        if (present.edges[e.id]) edgeUpdates.push(edgeLook(e));
      }
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }
  var dimmedNodes = {}, dimmedEdges = {};
  function edgeLook(e) {
    var r = data.relations[e.rel], dim = !!dimmedEdges[e.id];
    return { id: e.id, color: { color: r.color, highlight: r.color, hover: r.color, opacity: dim ? 0.08 : 1 },
             font: { color: dim ? "#3d3d3d00" : "#3d3d3d" } };
  }
  var panel = $("panel"), panelBody = $("panel-body");
  function copyText(text) {
    window.kgLastCopied = text;
    function fallback() {
      var area = el("textarea"); area.value = text; area.style.position = "fixed"; area.style.opacity = "0";
      document.body.appendChild(area); area.select();
      try { document.execCommand("copy"); } catch (err) { /* the text stays selectable in the panel */ }
      document.body.removeChild(area);
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).catch(fallback); else fallback();
    $("status").textContent = t("copied");
  }
  function citation(e, ev) {
    var parts = [sentence(e) + "."];
    if (ev.kind === "quote") {
      parts.push("«" + ev.quote + "»" + (ev.english ? " (“" + ev.english + "”)" : ""));
      parts.push("— " + (ev.title ? ev.title + ", " : "") + ev.source + (ev.date ? ", " + ev.date : "") + ".");
    } else {
      parts.push(t("reference") + ": " + (ev.citation || ev.title || ev.source) + (ev.address ? ", " + ev.address : "") + (ev.date ? ", " + ev.date : "") + ".");
    }
    parts.push("kz:" + ev.statement);
    return parts.join(" ");
  }
  function evidenceItem(e, ev) {
    var item = el("div", "evidence " + ev.kind);
    var head = el("div", "meta");
    if (ev.kind === "quote") head.appendChild(el("span", "kind", t(ev.kind)));  // a reference says so on its own line
    if (ev.date || ev.note) head.appendChild(document.createTextNode([ev.date, ev.note].filter(Boolean).join(" · ")));
    item.appendChild(head);
    if (ev.kind === "quote") {
      var quote = el("blockquote", null, "«" + ev.quote + "»"); quote.lang = "kk"; item.appendChild(quote);
      if (ev.english) { var en = el("p", "en", ev.english); en.lang = "en"; item.appendChild(en); }
      var source = el("div", "source", t("source") + ": " + (ev.title ? ev.title + " (" + ev.source + ")" : ev.source) + " · ");
      if (links.texts) {
        var a = el("a", null, t("opentext")); a.href = links.texts + ev.text; source.appendChild(a);
      } else {
        source.appendChild(el("span", null, "texts/" + ev.text));
      }
      item.appendChild(source);
    } else {
      if (ev.english) { var en2 = el("p", "en", ev.english); en2.lang = "en"; item.appendChild(en2); }
      // "cited reference: citation, address"
      var ref = el("div", "source");
      ref.appendChild(el("span", "kind", t("reference")));
      ref.appendChild(document.createTextNode(": " + (ev.citation || ev.title || ev.source)));
      if (/^https?:\/\//.test(ev.address)) {
        ref.appendChild(document.createTextNode(", "));
        var out = el("a", null, ev.address); out.href = ev.address; out.rel = "noreferrer noopener"; out.target = "_blank";
        ref.appendChild(out);
      }
      item.appendChild(ref);
    }
    var copy = el("button", null, t("copycite")); copy.type = "button";
    copy.addEventListener("click", function () { copyText(citation(e, ev)); });
    item.appendChild(copy);
    return item;
  }
  function factBlock(e) {
    var block = el("div", "fact");
    var head = el("button", "sentence", sentence(e)); head.type = "button";
    head.addEventListener("click", function () { select({ edge: e.id }, true); });
    block.appendChild(head);
    e.evidence.forEach(function (ev) { block.appendChild(evidenceItem(e, ev)); });
    return block;
  }
  // The panel takes room from the canvas (beside it, or under it on a phone): keep the selection in sight.
  function resized() {
    network.setSize("100%", "100%");
    network.redraw();
    var id = selected && (selected.node !== undefined ? selected.node : (selected.edge !== undefined ? edgeById[selected.edge].from : null));
    if (id !== null && id !== undefined) {
      var p = network.canvasToDOM(network.getPositions([id])[id]), box = visibleArea();
      if (p.x < 20 || p.y < 20 || p.x > box.width - 20 || p.y > box.height - 20) {
        network.focus(id, { scale: network.getScale(), animation: false, offset: { x: 0, y: -(container.clientHeight - box.height) / 2 } });
      }
    }
    placeLabels();
  }
  function visibleArea() {
    var box = { width: container.clientWidth, height: container.clientHeight };
    if (!panel.hidden && getComputedStyle(panel).position === "fixed") box.height -= panel.offsetHeight;
    return box;
  }
  function openPanel() {
    var was = panel.hidden;
    panel.hidden = false; panel.scrollTop = 0;
    if (was) resized();
  }
  function hidePanel() {
    if (panel.hidden) return;
    panel.hidden = true;
    resized();
  }
  function nodePanel(id) {
    var n = byId[id];
    clear(panelBody);
    panelBody.appendChild(el("h2", null, n.shown[lang]));
    var cls = data.classes[n.cls].labels[lang] + (n.iso ? " · ISO " + n.iso : "") + " · kz:" + n.id + " · " + plural(n.degree, "links");
    panelBody.appendChild(el("div", "meta", cls));
    LANGS.forEach(function (l) { if (n.labels[l] && l !== lang) panelBody.appendChild(el("div", "meta", l + ": " + n.labels[l])); });
    if (n.alt.length) panelBody.appendChild(el("div", "meta", t("also") + ": " + n.alt.join(" · ")));
    var groups = {};
    edgesOf[id].forEach(function (e) {
      var key = e.rel + (e.from === id || data.relations[e.rel].symmetric ? ":out" : ":in");
      (groups[key] = groups[key] || []).push(e);
    });
    Object.keys(groups).sort(function (a, b) { return relName(a.split(":")[0]).localeCompare(relName(b.split(":")[0]), lang) || (a < b ? -1 : 1); })
      .forEach(function (key) {
        var rel = key.split(":")[0], incoming = key.split(":")[1] === "in";
        panelBody.appendChild(el("h3", null, (incoming ? "← " : "") + relName(rel) + (incoming ? "" : (data.relations[rel].symmetric ? " ↔" : " →")) + " (" + groups[key].length + ")"));
        groups[key].forEach(function (e) { panelBody.appendChild(factBlock(e)); });
      });
    openPanel();
  }
  function edgePanel(id) {
    var e = edgeById[id];
    clear(panelBody);
    panelBody.appendChild(el("h2", null, sentence(e)));
    [e.from, e.to].forEach(function (end) {
      var go = el("button", "list-item", name(end) + " — " + data.classes[byId[end].cls].labels[lang]); go.type = "button";
      go.addEventListener("click", function () { select({ node: end }, true); });
      panelBody.appendChild(go);
    });
    e.evidence.forEach(function (ev) { panelBody.appendChild(evidenceItem(e, ev)); });
    openPanel();
  }
  function listPanel() {
    clear(panelBody);
    var shown = visibleIds().sort(function (a, b) { return name(a).localeCompare(name(b), lang); });
    panelBody.appendChild(el("h2", null, t("allentities") + " (" + shown.length + ")"));
    shown.forEach(function (id) {
      var go = el("button", "list-item", name(id) + " — " + data.classes[byId[id].cls].labels[lang] + ", " + plural(byId[id].degree, "links"));
      go.type = "button";
      go.addEventListener("click", function () { select({ node: id }, true); });
      panelBody.appendChild(go);
    });
    openPanel();
  }
  function closePanel() {
    hidePanel();
    if (selected) { selected = null; network.unselectAll(); highlight(); placeLabels(); writeHash(); }
  }
  $("panel-close").addEventListener("click", function () { closePanel(); container.focus(); });
  $("list").addEventListener("click", listPanel);

  function select(what, show, keepCamera) {
    selected = what;
    if (what && what.node !== undefined) {
      if (filteredNodes[what.node]) resetFilters(true);
      if (gatheredIn[what.node]) expand(gatheredIn[what.node]);
      network.setSelection({ nodes: [what.node], edges: [] }, { unselectAll: true, highlightEdges: false });
      if (show) nodePanel(what.node);
      if (!keepCamera) {
        var around = [what.node];
        edgesOf[what.node].forEach(function (e) { if (!hiddenEdges[e.id]) around.push(e.from === what.node ? e.to : e.from); });
        if (around.length <= 40) fitTo(around);
        else network.focus(what.node, { scale: Math.max(network.getScale(), 0.6), animation: false });
      }
    } else if (what && what.edge !== undefined) {
      if (filteredEdges[what.edge]) resetFilters(true);
      [edgeById[what.edge].from, edgeById[what.edge].to].forEach(function (end) { if (gatheredIn[end]) expand(gatheredIn[end]); });
      network.setSelection({ nodes: [], edges: [what.edge] }, { unselectAll: true });
      if (show) edgePanel(what.edge);
      if (!keepCamera) fitTo([edgeById[what.edge].from, edgeById[what.edge].to]);
    } else {
      network.unselectAll();
    }
    highlight();
    placeLabels();
    writeHash();
  }
  network.on("click", function (params) {
    var id = params.nodes.length ? params.nodes[0] : null, line = params.edges.length ? params.edges[0] : null;
    if (id !== null && clusters[id]) {
      var g = clusters[id];
      expand(id);
      hidePreview();
      if (data.nodes.length > LARGE) fitTo([g.hub].concat(g.members));
      placeLabels();
    } else if (id !== null) select({ node: id }, true, true);
    else if (line !== null && edgeById[line]) select({ edge: line }, true, true);
    else if (line !== null) {
      // A gathered line: open the group at its end.
      var ends = network.getConnectedNodes(line);
      ends.forEach(function (end) { if (clusters[end]) expand(end); });
      hidePreview();
      placeLabels();
    } else closePanel();
  });

  // -------------------------------------------------------------------------
  // Filters: relations (legend rows, several at once), a class, a year range
  var filter = { rels: {}, cls: "", from: NaN, to: NaN, undated: true };
  var classSelect = $("filter-class"), fromInput = $("filter-from"), toInput = $("filter-to"), undatedBox = $("filter-undated");
  var GLYPH = { dot: "●", ellipse: "⬬", diamond: "◆", square: "■", triangle: "▲", triangleDown: "▼", star: "★", hexagon: "⬢" };
  var HOLLOW_GLYPH = { dot: "○", ellipse: "⬭", square: "□", triangle: "△", diamond: "◇", star: "☆", triangleDown: "▽", hexagon: "⬡" };
  function byLabel(table) {
    return Object.keys(table).sort(function (a, b) { return table[a].labels[lang].localeCompare(table[b].labels[lang], lang); });
  }
  function fillClassSelect() {
    clear(classSelect);
    var all = el("option", null, t("all")); all.value = ""; classSelect.appendChild(all);
    byLabel(data.classes).forEach(function (k) {
      var opt = el("option", null, data.classes[k].labels[lang] + " (" + data.classes[k].count + ")"); opt.value = k; classSelect.appendChild(opt);
    });
    classSelect.value = filter.cls;
  }
  function fillLegend() {
    var classBox = $("legend-classes"), relBox = $("legend-relations");
    clear(classBox); clear(relBox);
    byLabel(data.classes).forEach(function (k) {
      var c = data.classes[k], row = el("button", "legend-item");
      row.type = "button"; row.setAttribute("data-class", k); row.setAttribute("aria-pressed", String(filter.cls === k));
      var glyph = el("span", "glyph", (c.hollow ? HOLLOW_GLYPH[c.shape] : GLYPH[c.shape]) || "●"); glyph.style.color = c.color;
      glyph.setAttribute("aria-hidden", "true");
      row.appendChild(glyph); row.appendChild(el("span", null, c.labels[lang])); row.appendChild(el("span", "count", c.count));
      row.addEventListener("click", function () { filter.cls = filter.cls === k ? "" : k; classSelect.value = filter.cls; changed(); });
      classBox.appendChild(row);
    });
    byLabel(data.relations).forEach(function (k) {
      var r = data.relations[k], row = el("button", "legend-item");
      row.type = "button"; row.setAttribute("data-rel", k); row.setAttribute("aria-pressed", String(!!filter.rels[k]));
      var swatch = el("canvas", "edge-swatch"); swatch.width = 26; swatch.height = 8; swatch.setAttribute("aria-hidden", "true");
      var ctx = swatch.getContext("2d");
      ctx.strokeStyle = r.color; ctx.lineWidth = 2.5; ctx.setLineDash(r.dashes || []);
      ctx.beginPath(); ctx.moveTo(0, 4); ctx.lineTo(26, 4); ctx.stroke();
      swatch.setAttribute("data-color", r.color);
      row.appendChild(swatch); row.appendChild(el("span", null, r.labels[lang] + (r.symmetric ? " ↔" : " →")));
      row.appendChild(el("span", "count", r.count));
      row.addEventListener("click", function () {
        if (filter.rels[k]) delete filter.rels[k]; else filter.rels[k] = true;
        changed();
      });
      relBox.appendChild(row);
    });
  }
  function yearOk(e) {
    if (isNaN(filter.from) && isNaN(filter.to)) return true;
    if (!e.years.length) return filter.undated;
    return e.years.some(function (y) { return (isNaN(filter.from) || y >= filter.from) && (isNaN(filter.to) || y <= filter.to); });
  }
  function relOk(e) { return !Object.keys(filter.rels).length || !!filter.rels[e.rel]; }
  var status = $("status");
  function showCounts(shownNodes, shownEdges) {
    var text = plural(data.nodes.length, "entities") + ", " + plural(data.edges.length, "links");
    if (shownEdges !== data.edges.length || shownNodes !== data.nodes.length) {
      text += " (" + t("shown") + ": " + shownNodes + ", " + shownEdges + ")";
    }
    status.textContent = text;
  }
  // What the filters leave out, and what vis-network hides now (left out, or gathered into a group).
  function syncHidden() {
    var nodeUpdates = [], edgeUpdates = [], nodeAdds = [], edgeAdds = [];
    data.nodes.forEach(function (n) {
      var hide = !!filteredNodes[n.id] || !!gatheredIn[n.id];
      if (!!hiddenNodes[n.id] === hide) return;
      hiddenNodes[n.id] = hide;
      if (present.nodes[n.id]) { nodeUpdates.push({ id: n.id, hidden: hide }); return; }
      present.nodes[n.id] = true;
      var item = nodeStyle(n);
      item.opacity = dimmedNodes[n.id] ? 0.15 : 1;
      nodeAdds.push(item);
    });
    data.edges.forEach(function (e) {
      var hide = !!filteredEdges[e.id] || !!gatheredIn[e.from] || !!gatheredIn[e.to];
      if (!!hiddenEdges[e.id] === hide) return;
      hiddenEdges[e.id] = hide;
      if (present.edges[e.id]) { edgeUpdates.push({ id: e.id, hidden: hide }); return; }
      present.edges[e.id] = true;
      var item = edgeStyle(e), look = edgeLook(e);
      item.color = look.color; item.font = look.font;
      edgeAdds.push(item);
    });
    if (nodeAdds.length) nodes.add(nodeAdds);
    if (edgeAdds.length) edges.add(edgeAdds);
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }
  function applyFilters() {
    var byEdges = Object.keys(filter.rels).length > 0 || !isNaN(filter.from) || !isNaN(filter.to);
    var touched = {}, shownEdges = 0, shownNodes = 0, undated = 0;
    var edgePass = {};
    data.edges.forEach(function (e) {
      if (relOk(e) && !e.years.length) undated += 1;
      if (!relOk(e) || !yearOk(e)) return;
      if (filter.cls && (byId[e.from].cls !== filter.cls || byId[e.to].cls !== filter.cls)) return;
      edgePass[e.id] = true; touched[e.from] = true; touched[e.to] = true;
    });
    data.nodes.forEach(function (n) {
      var show = (!filter.cls || n.cls === filter.cls) && (!byEdges || touched[n.id]);
      if (show) shownNodes += 1;
      filteredNodes[n.id] = !show;
    });
    data.edges.forEach(function (e) {
      if (edgePass[e.id]) shownEdges += 1;
      filteredEdges[e.id] = !edgePass[e.id];
    });
    syncHidden();
    $("undated-label").textContent = t("undated") + " (" + undated + ")";
    Array.prototype.forEach.call(document.querySelectorAll("[data-rel]"), function (row) {
      row.setAttribute("aria-pressed", String(!!filter.rels[row.getAttribute("data-rel")]));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-class]"), function (row) {
      row.setAttribute("aria-pressed", String(filter.cls === row.getAttribute("data-class")));
    });
    showCounts(shownNodes, shownEdges);
  }
  // Any filter change drops the selection (its highlight would be stale) and fits what is shown.
  function filtering() {
    return Object.keys(filter.rels).length > 0 || !!filter.cls || !isNaN(filter.from) || !isNaN(filter.to);
  }
  function changed() {
    selected = null; network.unselectAll(); hidePanel(); highlight();
    if (filtering()) ungatherAll();
    applyFilters();
    if (!filtering()) gatherAll();
    var ids = visibleIds();
    if (ids.length && ids.length < data.nodes.length) fitTo(ids); else openingView();
    placeLabels();
    writeHash();
  }
  function readYear(input) { var value = parseInt(input.value, 10); return isNaN(value) ? NaN : value; }
  classSelect.addEventListener("change", function () { filter.cls = classSelect.value; changed(); });
  [fromInput, toInput].forEach(function (input) {
    // On change (Enter, leaving the field, the arrows), not on every key: no blank canvas while typing.
    input.addEventListener("change", function () { filter.from = readYear(fromInput); filter.to = readYear(toInput); changed(); });
  });
  undatedBox.addEventListener("change", function () { filter.undated = undatedBox.checked; changed(); });
  function resetFilters(quiet) {
    filter = { rels: {}, cls: "", from: NaN, to: NaN, undated: true };
    classSelect.value = ""; fromInput.value = ""; toInput.value = ""; undatedBox.checked = true;
    applyFilters();
    if (!quiet) changed();
  }
  $("reset").addEventListener("click", function () {
    $("search").value = ""; clear($("suggest"));
    resetFilters();
  });

  // -------------------------------------------------------------------------
  // Search by any label, alt label or word form (kzo:surfaceForm) in any language. Case, the Latin ə
  // written for the Kazakh ә, dashes, quotation marks and spacing are folded
  // (as kg.evidence.fold_for_search does); a Kazakh word form is matched by
  // its stem ("Қытаймен" finds China); nothing found offers the closest names.
  var FOLD = { "\u0259": "\u04d9", "\u018f": "\u04d8", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2013": "-", "\u2014": "-",
               "\u00ab": "\"", "\u00bb": "\"", "\u201c": "\"", "\u201d": "\"", "\u201e": "\"" };
  function fold(s) {
    return String(s).replace(/[\u0259\u018f\u00a0\u202f\u2009\u2013\u2014\u00ab\u00bb\u201c\u201d\u201e]/g, function (c) { return FOLD[c]; })
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  // Kazakh case, possessive and plural endings, peeled off the last word one
  // group at a time: the same endings and steps as kg.facts.wordforms.stem_candidates
  // (the page carries its lists), least peeled first, the typed form excluded.
  var WORDFORMS = data.wordforms;
  function peel(form, endings) {
    var cut = form.lastIndexOf(" "), prefix = cut < 0 ? "" : form.slice(0, cut + 1), last = form.slice(cut + 1), out = [];
    endings.forEach(function (ending) {
      if (last.length - ending.length >= WORDFORMS.min_stem && last.slice(-ending.length) === ending) out.push(prefix + last.slice(0, -ending.length));
    });
    return out;
  }
  function stems(q) {
    var dashed = /\s*[-\u2013\u2014\u2011]\s*([^\s\-\u2013\u2014\u2011]+)$/.exec(q);
    if (dashed && WORDFORMS.dashed.indexOf(dashed[1]) >= 0) return [q.slice(0, dashed.index)];
    var found = [], frontier = [q];
    WORDFORMS.groups.forEach(function (endings) {
      var peeled = [];
      frontier.forEach(function (form) { peeled = peeled.concat(peel(form, endings)); });
      peeled.forEach(function (p) { if (p !== q && found.indexOf(p) < 0) found.push(p); });
      frontier = frontier.concat(peeled);
    });
    return found.sort(function (a, b) { return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0); });
  }
  var index = null;
  function ensureIndex() {
    if (index) return;
    index = [];
    data.nodes.forEach(function (n) {
      var names = {};
      LANGS.forEach(function (l) { if (n.labels[l]) names[n.labels[l]] = true; });
      n.alt.forEach(function (a) { names[a] = true; });
      (n.forms || []).forEach(function (f) { names[f] = true; });
      names[n.id] = true;
      Object.keys(names).sort().forEach(function (nm) {
        var key = fold(nm);
        index.push({ key: key, words: key.split(/[\s\-()"',.]+/), name: nm, id: n.id, degree: n.degree });
      });
    });
  }
  function best(test) {
    var found = null;
    index.forEach(function (entry) {
      if (!test(entry)) return;
      if (!found || entry.degree > found.degree || (entry.degree === found.degree && entry.key.length < found.key.length)) found = entry;
    });
    return found;
  }
  function findNode(text) {
    ensureIndex();
    var q = fold(text);
    if (!q) return null;
    var tiers = [
      function (c) { return function (e) { return e.key === c; }; },
      function (c) { return function (e) { return e.key.indexOf(c) === 0; }; },
      function (c) { return function (e) { return e.words.some(function (w) { return w.indexOf(c) === 0; }); }; },
      function (c) { return function (e) { return e.key.indexOf(c) > 0; }; }
    ];
    for (var i = 0; i < tiers.length; i++) { var hit = best(tiers[i](q)); if (hit) return hit.id; }
    var roots = stems(q);
    for (var j = 0; j < 3; j++) {
      for (var k = 0; k < roots.length; k++) { var found = best(tiers[j](roots[k])); if (found) return found.id; }
    }
    return null;
  }
  function distance(a, b) {
    var row = [], i, j;
    for (j = 0; j <= b.length; j++) row.push(j);
    for (i = 1; i <= a.length; i++) {
      var previous = row[0]; row[0] = i;
      for (j = 1; j <= b.length; j++) {
        var keep = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = keep;
      }
    }
    return row[b.length];
  }
  function suggestions(text) {
    ensureIndex();
    var q = fold(text), scored = {}, limit = Math.max(2, Math.floor(q.length / 3));
    index.forEach(function (entry) {
      var d = Math.min(distance(q, entry.key), distance(q, entry.key.slice(0, q.length)) + 1);
      if (d <= limit && (!scored[entry.id] || d < scored[entry.id].d)) scored[entry.id] = { d: d, id: entry.id, degree: entry.degree };
    });
    return Object.keys(scored).map(function (k) { return scored[k]; })
      .sort(function (a, b) { return a.d - b.d || b.degree - a.degree; }).slice(0, 3).map(function (s) { return s.id; });
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
  function search() {
    var text = $("search").value, id = findNode(text), box = $("suggest");
    clear(box);
    if (id === null) {
      select(null);
      hidePanel();
      status.textContent = t("nomatch") + ": “" + text + "”";
      var ideas = suggestions(text);
      if (ideas.length) {
        box.appendChild(el("span", null, t("didyoumean") + " "));
        ideas.forEach(function (idea) {
          var b = el("button", null, name(idea)); b.type = "button";
          b.addEventListener("click", function () { $("search").value = name(idea); search(); });
          box.appendChild(b);
        });
      }
      return;
    }
    select({ node: id }, true);
    status.textContent = t("found") + ": " + name(id);
  }
  $("search").addEventListener("change", search);
  $("search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(); });
  window.kgFindNode = findNode;

  // -------------------------------------------------------------------------
  // State in the address: #node=Russia&rel=signed,memberOf&from=1991&to=1995&undated=0&cls=State&lang=kk
  function writeHash() {
    var parts = [];
    if (selected && selected.node !== undefined) parts.push("node=" + encodeURIComponent(selected.node));
    if (selected && selected.edge !== undefined) {
      var e = edgeById[selected.edge];
      parts.push("edge=" + [e.from, e.rel, e.to].map(encodeURIComponent).join(","));
    }
    var rels = Object.keys(filter.rels).sort();
    if (rels.length) parts.push("rel=" + rels.map(encodeURIComponent).join(","));
    if (filter.cls) parts.push("cls=" + encodeURIComponent(filter.cls));
    if (!isNaN(filter.from)) parts.push("from=" + filter.from);
    if (!isNaN(filter.to)) parts.push("to=" + filter.to);
    if (!filter.undated) parts.push("undated=0");
    if (lang !== data.lang) parts.push("lang=" + lang);
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (location.hash !== hash) history.replaceState(null, "", location.pathname + location.search + hash);
  }
  function readHash() {
    var params = {}, bare = location.hash.replace(/^#/, "");
    bare.split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) params[part.slice(0, at)] = part.slice(at + 1);
    });
    // Short forms people type: #Russia, ?focus=Russia.
    if (bare && bare.indexOf("=") < 0 && byId[decodeURIComponent(bare)]) params.node = bare;
    var asked = /[?&]focus=([^&]*)/.exec(location.search);
    if (!params.node && asked && byId[decodeURIComponent(asked[1])]) params.node = asked[1];
    if (params.lang && LANGS.indexOf(params.lang) >= 0 && params.lang !== lang) setLanguage(params.lang);
    filter = { rels: {}, cls: "", from: NaN, to: NaN, undated: params.undated !== "0" };
    (params.rel ? params.rel.split(",") : []).forEach(function (r) { r = decodeURIComponent(r); if (data.relations[r]) filter.rels[r] = true; });
    var cls = params.cls ? decodeURIComponent(params.cls) : "";
    filter.cls = data.classes[cls] ? cls : "";
    filter.from = params.from ? parseInt(params.from, 10) : NaN;
    filter.to = params.to ? parseInt(params.to, 10) : NaN;
    classSelect.value = filter.cls;
    fromInput.value = isNaN(filter.from) ? "" : filter.from;
    toInput.value = isNaN(filter.to) ? "" : filter.to;
    undatedBox.checked = filter.undated;
    selected = null;
    if (filtering()) ungatherAll();
    applyFilters();
    if (!filtering()) gatherAll();
    var ids = visibleIds();
    if (ids.length && ids.length < data.nodes.length) fitTo(ids); else openingView();
    var node = params.node ? decodeURIComponent(params.node) : null;
    var edge = params.edge ? edgeByKey[params.edge.split(",").map(decodeURIComponent).join(",")] : null;
    if (node && byId[node]) select({ node: node }, true);
    else if (edge) select({ edge: edge.id }, true);
    else { network.unselectAll(); hidePanel(); highlight(); placeLabels(); writeHash(); }
  }
  window.addEventListener("hashchange", readHash);
  $("copy-link").addEventListener("click", function () { writeHash(); copyText(location.href); });

  // PNG of what the canvas shows now.
  function exportPng() { return container.querySelector("canvas").toDataURL("image/png"); }
  window.kgExportPng = exportPng;
  $("export-png").addEventListener("click", function () {
    var a = document.createElement("a");
    a.href = exportPng();
    a.download = (location.pathname.split("/").pop() || "view.html").replace(/\.html?$/, "") + ".png";
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
  });

  // -------------------------------------------------------------------------
  // Keyboard: arrows pan, + and − zoom, 0 fits, N/P step through the entities
  // (best-connected first), Enter opens the details, Escape closes them.
  var cursor = -1;
  container.addEventListener("keydown", function (ev) {
    var scale = network.getScale(), at = network.getViewPosition(), step = 80 / scale;
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[ev.key]) {
      network.moveTo({ position: { x: at.x + moves[ev.key][0], y: at.y + moves[ev.key][1] }, scale: scale, animation: false });
      placeLabelsSoon();
    } else if (ev.key === "+" || ev.key === "=") {
      network.moveTo({ scale: scale * 1.25, animation: false }); placeLabelsSoon();
    } else if (ev.key === "-" || ev.key === "_") {
      network.moveTo({ scale: scale / 1.25, animation: false }); placeLabelsSoon();
    } else if (ev.key === "0") {
      fitTo(visibleIds()); placeLabels();
    } else if (ev.key === "n" || ev.key === "p" || ev.key === "N" || ev.key === "P") {
      var shown = priority.filter(function (id) { return !filteredNodes[id]; });
      if (!shown.length) return;
      cursor = (cursor + (ev.key.toLowerCase() === "n" ? 1 : shown.length - 1)) % shown.length;
      select({ node: shown[cursor] }, false);
      status.textContent = name(shown[cursor]) + " — " + plural(byId[shown[cursor]].degree, "links");
    } else if (ev.key === "Enter") {
      if (selected && selected.node !== undefined) nodePanel(selected.node);
      else if (selected && selected.edge !== undefined) edgePanel(selected.edge);
      else listPanel();
    } else if (ev.key === "Escape") {
      closePanel();
    } else {
      return;
    }
    ev.preventDefault();
  });
  panel.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { closePanel(); container.focus(); } });

  // -------------------------------------------------------------------------
  // Language, links, the drawer
  function setLanguage(l, initial) {
    lang = l;
    document.documentElement.lang = l;
    $("language").value = l;
    var title = (data.titles && data.titles[l]) || data.title;
    document.title = title;
    $("kg-title").textContent = title;
    Array.prototype.forEach.call(document.querySelectorAll("[data-ui]"), function (node) { node.textContent = t(node.getAttribute("data-ui")); });
    $("search").placeholder = t("placeholder");
    $("panel-close").setAttribute("aria-label", t("close"));
    container.setAttribute("aria-label", title + ". " + t("canvas").replace("{n}", plural(data.nodes.length, "entities")).replace("{m}", plural(data.edges.length, "links")));
    if (links.index) $("to-index").textContent = t("allviews");
    measureLabels();
    shownLabel = {};
    if (!initial) edges.update(data.edges.filter(function (e) { return present.edges[e.id]; }).map(function (e) { return { id: e.id, label: relName(e.rel) }; }));
    clusterWidths = {};
    fillClassSelect();
    fillLegend();
    applyFilters();
    if (!panel.hidden && selected && selected.node !== undefined) nodePanel(selected.node);
    else if (!panel.hidden && selected && selected.edge !== undefined) edgePanel(selected.edge);
    else if (!panel.hidden) listPanel();
  }
  $("language").addEventListener("change", function (ev) { setLanguage(ev.target.value); placeLabels(); writeHash(); });
  if (links.index) { $("to-index").href = links.index; $("to-index").hidden = false; }
  (links.views || []).forEach(function (view) {
    var a = el("a", null, view.title); a.href = view.href;
    if (view.current) a.setAttribute("aria-current", "page");
    $("views").appendChild(a);
  });
  if (!(links.views || []).length) { $("views").previousElementSibling.hidden = true; }
  $("command").textContent = links.command || "";
  if (!links.command) { $("command").hidden = true; $("command").previousElementSibling.hidden = true; }
  function toggleDrawer(open) {
    $("drawer").classList.toggle("open", open);
    $("drawer-toggle").setAttribute("aria-expanded", String(open));
    if (!open) $("drawer-toggle").focus();
  }
  $("drawer-toggle").addEventListener("click", function () { toggleDrawer(!$("drawer").classList.contains("open")); });
  $("drawer-close").addEventListener("click", function () { toggleDrawer(false); });

  // The search index and the name list wait until the view is drawn (a large view has thousands of names).
  setTimeout(function () { ensureIndex(); fillDatalist(); }, 0);
  setLanguage(lang, true);
  readHash();
  network.body.emitter.emit("_allowRedraw");
  network.redraw();
})();
