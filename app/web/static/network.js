// The actor network: cytoscape (vendored from npm) draws /netwerk.json; clicking a node opens its page.
(function () {
  "use strict";
  var el = document.getElementById("cy");
  if (!el || typeof cytoscape === "undefined") return;
  fetch(el.dataset.source).then(function (r) { return r.json(); }).then(function (data) {
    var elements = [];
    data.nodes.forEach(function (n) { elements.push({ group: "nodes", data: { id: n.id, label: n.short || n.label, full: n.label, href: n.href } }); });
    data.edges.forEach(function (e, i) {
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, label: e.relation } });
    });
    var cy = cytoscape({
      container: el, elements: elements,
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 9, "background-color": "#154273", "width": 14, "height": 14,
          "text-wrap": "ellipsis", "text-max-width": 120, "color": "#1b1b1b" } },
        { selector: "edge", style: { "width": 1, "line-color": "#9bb", "target-arrow-shape": "triangle", "target-arrow-color": "#9bb",
          "curve-style": "bezier", "label": "data(label)", "font-size": 6, "color": "#5a5a5a", "text-opacity": 0.8 } },
        { selector: "node:selected", style: { "background-color": "#f9b000" } }
      ],
      layout: { name: "cose", animate: false, nodeRepulsion: 9000, idealEdgeLength: 90, randomize: false }
    });
    cy.on("tap", "node", function (evt) { var href = evt.target.data("href"); if (href) window.location.href = href; });
    cy.on("mouseover", "node", function (evt) { el.title = evt.target.data("full"); });
    window.mkgNetwork = cy;
    el.dataset.ready = "true";
  });
})();
