// Autocomplete for the search box: fetches /search.json?q= (no library), shows the hits with their kind,
// arrow keys move through them, Enter opens one, Escape closes the list. Without JS the form still works.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (!input || !list || !window.fetch) return;
  var lang = document.documentElement.lang === "en" ? "&lang=en" : "";
  var timer = null, active = -1, items = [], seq = 0;
  function close() { list.hidden = true; list.innerHTML = ""; input.setAttribute("aria-expanded", "false"); active = -1; items = []; }
  function render(hits) {
    list.innerHTML = "";
    items = hits;
    hits.forEach(function (h, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "q-opt-" + i;
      var a = document.createElement("a");
      a.href = h.href;
      a.textContent = h.label;             // textContent: labels are never parsed as HTML
      var kind = document.createElement("small");
      kind.textContent = " " + h.kind_label + (h.matched ? " · " + h.matched : "");
      a.appendChild(kind);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
  }
  function highlight(i) {
    var lis = list.querySelectorAll("li");
    lis.forEach(function (li, j) { li.classList.toggle("active", j === i); li.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (i >= 0) input.setAttribute("aria-activedescendant", "q-opt-" + i); else input.removeAttribute("aria-activedescendant");
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { close(); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch("/search.json?q=" + encodeURIComponent(q) + lang).then(function (r) { return r.json(); }).then(function (data) {
        if (mine === seq) render(data.hits || []);
      }).catch(close);
    }, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) return;
    if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); location.href = items[active].href; }
    else if (e.key === "Escape") { close(); }
  });
  document.addEventListener("click", function (e) { if (!list.contains(e.target) && e.target !== input) close(); });
})();
