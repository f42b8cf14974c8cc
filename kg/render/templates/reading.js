"use strict";
// A reading page: clicking a highlighted quote shows the facts it supports.
// Without this script every fact is listed under the text.
(function () {
  document.documentElement.className = "js";
  var marks = document.querySelectorAll("mark.q");
  function choose(ids, scroll) {
    Array.prototype.forEach.call(document.querySelectorAll(".current"), function (node) { node.classList.remove("current"); });
    var first = null;
    ids.forEach(function (id) {
      var fact = document.getElementById("f-" + id);
      if (fact) { fact.classList.add("current"); first = first || fact; }
    });
    Array.prototype.forEach.call(marks, function (mark) {
      var own = mark.getAttribute("data-q").split(" ");
      if (ids.some(function (id) { return own.indexOf(id) >= 0; })) mark.classList.add("current");
    });
    document.getElementById("hint").hidden = ids.length > 0;
    if (first && scroll) first.scrollIntoView({ block: "nearest" });
    if (ids.length) history.replaceState(null, "", "#q-" + ids[0]);
  }
  Array.prototype.forEach.call(marks, function (mark) {
    function pick() { choose(mark.getAttribute("data-q").split(" "), true); }
    mark.addEventListener("click", pick);
    mark.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
  });
  function fromAddress() {
    var hash = decodeURIComponent(location.hash.slice(1));
    if (hash.indexOf("q-") === 0) choose([hash.slice(2)], true);
  }
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
  window.kgReadingReady = true;
})();
