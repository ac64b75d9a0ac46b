// The SPARQL editor: YASGUI (vendored from npm) on our endpoint, with the example queries, prefix
// completion from a local list (no calls to prefix.cc), entity links to this browser, permalinks
// (/editor?query=...) and downloads in the endpoint's formats.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || typeof Yasgui === "undefined") return;
  var endpoint = new URL(root.dataset.endpoint, location.href).href;
  var textarea = document.getElementById("query");
  var initial = textarea.value;
  var PREFIXES = [
    "mkg: <https://w3id.org/migratie-kg/def#>", "org: <http://www.w3.org/ns/org#>",
    "skos: <http://www.w3.org/2004/02/skos/core#>", "rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    "rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>", "prov: <http://www.w3.org/ns/prov#>",
    "dcterms: <http://purl.org/dc/terms/>", "eli: <http://data.europa.eu/eli/ontology#>",
    "qb: <http://purl.org/linked-data/cube#>", "xsd: <http://www.w3.org/2001/XMLSchema#>",
    "owl: <http://www.w3.org/2002/07/owl#>", "sh: <http://www.w3.org/ns/shacl#>",
    "sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>",
    "sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>",
    "organisatie: <https://w3id.org/migratie-kg/id/organisatie/>",
    "sectie: <https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025/sectie/>",
    "figuur: <https://w3id.org/migratie-kg/id/bron/staat-van-migratie-2025/figuur/>",
    "procedure: <https://w3id.org/migratie-kg/id/procedure/>", "wet: <https://w3id.org/migratie-kg/id/wet/>",
    "uitspraak: <https://w3id.org/migratie-kg/id/uitspraak/>", "begrip: <https://w3id.org/migratie-kg/id/begrip/>"
  ];
  var Yasqe = Yasgui.Yasqe;
  if (Yasqe && Yasqe.forkAutocompleter) {
    Yasqe.forkAutocompleter("prefixes", { name: "mkgPrefixes", persistenceId: null,
      get: function () { return PREFIXES; } });
    Yasqe.defaults.autocompleters = ["mkgPrefixes", "variables"];
  }
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false, persistenceId: null, populateFromUrl: false, autofocus: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] }
  });
  document.getElementById("plain-form").hidden = true;
  var tab = yasgui.getTab();
  tab.setQuery(initial);
  window.mkgEditor = yasgui;

  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var byName = {};
  examples.forEach(function (e) { byName[e.name] = e; });
  document.querySelectorAll("button.example").forEach(function (b) {
    b.addEventListener("click", function () {
      var ex = byName[b.dataset.example];
      yasgui.getTab().setQuery(ex.query);
      yasgui.getTab().getYasqe().focus();
    });
  });
  document.querySelectorAll(".nojs-link").forEach(function (a) { a.hidden = true; });

  // Entity IRIs in results open this browser's pages.
  var BASE = "https://w3id.org/migratie-kg/id/";
  function relink() {
    document.querySelectorAll("#yasgui .yasr a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href.indexOf(BASE) === 0) { a.setAttribute("href", "/id/" + href.slice(BASE.length)); a.removeAttribute("target"); }
    });
  }
  var tabObj = yasgui.getTab();
  function hook(t) {
    var yasr = t.getYasr();
    if (yasr && !yasr.__mkg) { yasr.__mkg = true; yasr.on("drawn", relink); }
  }
  hook(tabObj);
  yasgui.on("queryResponse", function (y, t) { hook(t); setTimeout(relink, 0); document.getElementById("downloads").hidden = false; });

  function currentQuery() { return yasgui.getTab().getQuery(); }
  document.getElementById("permalink").addEventListener("click", function () {
    var url = new URL("/editor", location.href);
    url.searchParams.set("query", currentQuery());
    var out = document.getElementById("permalink-out");
    out.href = url.pathname + url.search;
    out.textContent = url.href.length > 90 ? url.href.slice(0, 87) + "…" : url.href;
    out.hidden = false;
    if (navigator.clipboard) navigator.clipboard.writeText(url.href).catch(function () {});
  });
  document.querySelectorAll("#downloads a").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      a.href = endpoint + "?" + new URLSearchParams({ query: currentQuery(), format: a.dataset.format }).toString();
    });
  });
})();
