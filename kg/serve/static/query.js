// The query page: YASGUI (vendored in static/yasgui/) on this server's /sparql endpoint, with the
// bundled queries as examples, the project's prefixes for completion, and a "Labels" results view
// that shows each IRI by its label in the chosen language, linked to its entity page.
// Nothing here reaches another host: every request goes to this server.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-config").textContent);
  var YasguiClass = typeof window.Yasgui === "function" ? window.Yasgui : (window.Yasgui.default || window.Yasgui.Yasgui);
  var Yasqe = YasguiClass.Yasqe;
  var Yasr = YasguiClass.Yasr;
  var langSelect = document.getElementById("lang");
  var storedLang = null;
  try { storedLang = window.localStorage.getItem("kg-lang"); } catch (e) { /* storage off */ }
  langSelect.value = storedLang || "en";

  // Completion from this project only: our prefixes and the query's variables. The class and
  // property completers ask Linked Open Vocabularies on the web, so they stay off.
  Yasqe.defaults.autocompleters = ["prefixes", "variables"];

  function entityHref(iri) {
    if (iri.indexOf(config.entityBase) === 0) return config.entityPath + encodeURIComponent(iri.slice(config.entityBase.length));
    if (iri.indexOf(config.ontologyBase) === 0) return config.ontologyPath + "#" + encodeURIComponent(iri.slice(config.ontologyBase.length));
    return null;
  }

  function shortIri(iri) {
    for (var prefix in config.prefixes) {
      var ns = config.prefixes[prefix];
      if (iri.indexOf(ns) === 0) return prefix + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  function fetchLabels(iris, lang) {
    if (!iris.length) return Promise.resolve({});
    var values = iris.map(function (iri) { return "<" + iri + ">"; }).join(" ");
    var query = "SELECT ?item ?label WHERE { VALUES ?item { " + values + " } ?item rdfs:label ?label }";
    return fetch(config.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" },
      body: query
    }).then(function (response) { return response.ok ? response.json() : { results: { bindings: [] } }; })
      .then(function (data) {
        var best = {};
        data.results.bindings.forEach(function (b) {
          var label = b.label, item = b.item.value, tag = label["xml:lang"] || "";
          var rank = tag === lang ? 0 : tag === "en" ? 1 : tag === "" ? 2 : 3;
          if (!(item in best) || rank < best[item][0]) best[item] = [rank, label.value];
        });
        var labels = {};
        for (var item in best) labels[item] = best[item][1];
        return labels;
      });
  }

  // A YASR results view: a plain table, IRIs shown by label (text only, never markup) and linked.
  function LabelsPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 20;
    this.label = "Labels";
    this.helpReference = undefined;
  }
  LabelsPlugin.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    return !!(results && results.getVariables && results.getVariables().length && results.getBindings && results.getBindings());
  };
  LabelsPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "Aa";
    return icon;
  };
  LabelsPlugin.prototype.draw = function () {
    var yasr = this.yasr;
    var variables = yasr.results.getVariables();
    var bindings = yasr.results.getBindings();
    var iris = {};
    bindings.forEach(function (row) {
      variables.forEach(function (v) { if (row[v] && row[v].type === "uri") iris[row[v].value] = true; });
    });
    var lang = langSelect.value;
    return fetchLabels(Object.keys(iris).slice(0, 2000), lang).then(function (labels) {
      var table = document.createElement("table");
      table.className = "kg-results";
      var head = table.createTHead().insertRow();
      variables.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
      var body = table.createTBody();
      bindings.forEach(function (row) {
        var tr = body.insertRow();
        variables.forEach(function (v) {
          var td = tr.insertCell();
          var term = row[v];
          if (!term) return;
          if (term.type === "uri") {
            var href = entityHref(term.value);
            var a = document.createElement("a");
            a.textContent = labels[term.value] || shortIri(term.value);
            a.title = term.value;
            a.href = href || term.value;
            if (!href) a.rel = "noopener nofollow";
            td.appendChild(a);
          } else {
            td.textContent = term.value;
            if (term["xml:lang"]) { td.lang = term["xml:lang"]; }
          }
        });
      });
      yasr.resultsEl.appendChild(table);
    });
  };
  Yasr.registerPlugin("labels", LabelsPlugin);

  var params = new URLSearchParams(window.location.search);
  var yasgui = new YasguiClass(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { prefixCcApi: config.prefixesUrl, value: config.defaultQuery },
    yasr: { prefixes: config.prefixes, defaultPlugin: "labels", pluginOrder: ["labels", "table", "response"] }
  });
  window.kgYasgui = yasgui;

  var select = document.getElementById("examples");
  var question = document.getElementById("question");
  config.examples.forEach(function (example, index) {
    var option = document.createElement("option");
    option.value = String(index);
    option.textContent = example.name + (example.question ? " — " + example.question : "");
    select.appendChild(option);
  });
  function setQuery(text, title) {
    var tab = yasgui.getTab();
    tab.setQuery(text);
    question.textContent = title || "";
  }
  select.addEventListener("change", function () {
    if (select.value === "") return;
    var example = config.examples[Number(select.value)];
    setQuery(example.query, example.question);
  });
  langSelect.addEventListener("change", function () {
    try { window.localStorage.setItem("kg-lang", langSelect.value); } catch (e) { /* storage off */ }
    var tab = yasgui.getTab();
    if (tab && tab.getYasr && tab.getYasr().results) tab.getYasr().draw();
  });
  // The server predeclares the project's prefixes; the editor does not know that and flags a prefix
  // that the query does not declare, so a query given in the address gets its PREFIX lines.
  function withPrefixes(text) {
    var lines = "";
    Object.keys(config.prefixes).forEach(function (prefix) {
      var declared = new RegExp("PREFIX\\s+" + prefix + ":", "i").test(text);
      var used = new RegExp("(^|[\\s(/^|{;,.!])" + prefix + ":", "m").test(text.replace(/<[^>\s]*>/g, " "));
      if (used && !declared) lines += "PREFIX " + prefix + ": <" + config.prefixes[prefix] + ">\n";
    });
    return lines + text;
  }
  // Downloads in every format the endpoint writes, for the query in the editor.
  var downloads = document.getElementById("downloads");
  function updateDownloads() {
    var text = yasgui.getTab().getQuery();
    var graph = /^\s*(CONSTRUCT|DESCRIBE)\b/im.test(text.replace(/#[^\n]*/g, "").replace(/PREFIX\s+\S*\s*<[^>]*>/gi, ""));
    var formats = graph ? [["Turtle", "turtle", "ttl"], ["N-Triples", "nt", "nt"], ["JSON-LD", "jsonld", "jsonld"]]
                        : [["JSON", "json", "srj"], ["XML", "xml", "srx"], ["CSV", "csv", "csv"], ["TSV", "tsv", "tsv"]];
    downloads.textContent = "Download: ";
    formats.forEach(function (format) {
      var a = document.createElement("a");
      a.textContent = format[0];
      a.href = config.endpoint + "?" + new URLSearchParams({ query: text, format: format[1] }).toString();
      a.setAttribute("download", "answer." + format[2]);
      downloads.appendChild(a);
      downloads.appendChild(document.createTextNode(" "));
    });
  }
  yasgui.on("queryResponse", updateDownloads);
  updateDownloads();

  var given = params.get("query");
  if (given) {
    setQuery(withPrefixes(given), "");
    if (params.get("run") !== "0") yasgui.getTab().query();
  }
})();
