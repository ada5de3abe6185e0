// dealgraph: runs once pyvis has built the network. `physics` is true when the network is
// stabilising from the computed positions (it is frozen once done), false when it is drawn
// with physics off.
window.dealgraphShow = function (physics) {
  "use strict";
  // Fit the drawing into the part of the canvas the legend leaves free, with a margin for
  // labels and curved edges (vis's own fit() knows nothing of either).
  function fitView() {
    var box = document.getElementById("mynetwork").getBoundingClientRect();
    var legend = document.getElementById("dg-legend");
    var W = box.width, H = box.height, reserve = 0;
    if (legend && legend.offsetParent !== null && W > 700) {
      reserve = Math.min(legend.getBoundingClientRect().width + 24, W * 0.4);
    }
    var pos = network.getPositions(), ids = Object.keys(pos);
    if (!ids.length || W < 50 || H < 50) { network.fit({animation: false}); return; }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (var i = 0; i < ids.length; i++) {
      var p = pos[ids[i]], n = network.body.nodes[ids[i]];
      var r = (n && n.options && n.options.size) || 10;
      x0 = Math.min(x0, p.x - r); x1 = Math.max(x1, p.x + r);
      y0 = Math.min(y0, p.y - r); y1 = Math.max(y1, p.y + r + 22);
    }
    var pad = 48, availW = W - reserve;
    var scale = Math.min((availW - 2 * pad) / Math.max(x1 - x0, 1),
                         (H - 2 * pad) / Math.max(y1 - y0, 1), 1.3);
    if (!(scale > 0)) { network.fit({animation: false}); return; }
    network.moveTo({position: {x: (x0 + x1) / 2 + reserve / 2 / scale, y: (y0 + y1) / 2},
                    scale: scale, animation: false});
  }
  window.dealgraphFit = fitView;

  function markReady() {
    network.once("afterDrawing", function () {
      window.dealgraphDrawnAt = performance.now();
      window.dealgraphReady = true;
      document.body.setAttribute("data-dealgraph-ready", "1");
    });
    network.redraw();
  }
  if (physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      fitView();
      markReady();
    });
  } else {
    fitView();
    markReady();
  }

  network.on("hoverNode", function (p) { dealgraphPrepare.ensureTip(nodes, p.node); });
  network.on("hoverEdge", function (p) { dealgraphPrepare.ensureTip(edges, p.edge); });

  // Legend check boxes show and hide the deals of one kind.
  var boxes = document.querySelectorAll("#dg-legend input[data-kind]");
  Array.prototype.forEach.call(boxes, function (cb) {
    cb.addEventListener("change", function () {
      var kind = cb.getAttribute("data-kind");
      var ids = edges.getIds({filter: function (e) { return e.kind === kind; }});
      edges.update(ids.map(function (id) { return {id: id, hidden: !cb.checked}; }));
    });
  });
};
