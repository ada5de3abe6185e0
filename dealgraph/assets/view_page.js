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

  // Filters: the legend's check boxes (one per kind) and the header's radio group (one per
  // cumulative commitment stage; view.py writes the stages of each in the "dg-data" element).
  // A deal is shown when its kind is checked and its stage is in the chosen stages; a deal
  // with no stage (a graph built by hand) is shown under every stage filter. A company is
  // shown while one of its deals is (one with no deal at all stays), a loop is highlighted
  // while every hop of it has a deal shown, and the header counts what is shown.
  var dataEl = document.getElementById("dg-data");
  var data = dataEl ? JSON.parse(dataEl.textContent) : {};
  var stageSets = data.stages || {};
  var loops = data.loops || [];
  var head = document.querySelector("#dg-summary");
  var kindBoxes = document.querySelectorAll("#dg-legend input[data-kind]");
  var stageRadios = document.querySelectorAll("#dg-stage input[name='dg-stage']");

  // what each item looks like now, so that only what changes is updated; the loop look of an
  // edge or company on a loop is its look in the page as written
  var edgeState = {}, nodeState = {}, loopOn = {}, loopOff = {};
  edges.forEach(function (e) {
    edgeState[e.id] = {hidden: !!e.hidden, lit: !!e.on_loop};
    if (e.on_loop) {
      loopOn[e.id] = {color: e.color, width: e.width};
      loopOff[e.id] = e.loop_off;
    }
  });
  nodes.forEach(function (n) {
    nodeState[n.id] = {hidden: !!n.hidden, lit: !!n.on_loop};
    if (n.on_loop) {
      loopOn[n.id] = {color: n.color, borderWidth: n.borderWidth};
      loopOff[n.id] = n.loop_off;
    }
  });

  function chosenStages() {
    for (var i = 0; i < stageRadios.length; i++) {
      if (stageRadios[i].checked) {
        var set = {}, list = stageSets[stageRadios[i].value] || [];
        for (var j = 0; j < list.length; j++) set[list[j]] = true;
        return set;
      }
    }
    return null;  // no stage filter on the page: every stage
  }

  function setCount(name, shown, total) {
    var el = head && head.querySelector("[data-dg-count='" + name + "']");
    if (el) el.textContent = shown === total ? String(total) : shown + " of " + total;
  }

  function style(id, lit) {
    var s = lit ? loopOn[id] : loopOff[id], out = {id: id};
    for (var k in s) if (Object.prototype.hasOwnProperty.call(s, k)) out[k] = s[k];
    return out;
  }

  function applyFilters() {
    var kindOn = {}, i, j;
    Array.prototype.forEach.call(kindBoxes, function (cb) {
      kindOn[cb.getAttribute("data-kind")] = cb.checked;
    });
    var stages = chosenStages();
    var shown = {}, degree = {}, linked = {}, nEdges = 0, nEdgesAll = 0;
    var kindShown = {}, kindAll = {};
    edges.forEach(function (e) {
      var stageOk = !stages || e.stage == null || stages[e.stage] === true;
      var on = stageOk && kindOn[e.kind] !== false;
      shown[e.id] = on;
      nEdgesAll++;
      if (on) nEdges++;
      kindAll[e.kind] = (kindAll[e.kind] || 0) + 1;
      if (stageOk) kindShown[e.kind] = (kindShown[e.kind] || 0) + 1;
      degree[e.from] = (degree[e.from] || 0) + 1;
      degree[e.to] = (degree[e.to] || 0) + 1;
      if (on) { linked[e.from] = true; linked[e.to] = true; }
    });
    // a loop is highlighted while every hop has a deal shown; of its deals, the shown ones
    var litEdges = {}, litNodes = {}, nLoops = 0;
    for (i = 0; i < loops.length; i++) {
      var hops = loops[i].hops, closed = true;
      for (j = 0; j < hops.length && closed; j++) {
        closed = hops[j].some(function (id) { return shown[id]; });
      }
      if (!closed) continue;
      nLoops++;
      for (j = 0; j < hops.length; j++) {
        hops[j].forEach(function (id) { if (shown[id]) litEdges[id] = true; });
      }
      loops[i].nodes.forEach(function (id) { litNodes[id] = true; });
    }
    var edgeUpdates = [], nodeUpdates = [], nNodes = 0, nNodesAll = 0;
    edges.forEach(function (e) {
      var st = edgeState[e.id], hidden = !shown[e.id];
      var lit = e.on_loop ? !!litEdges[e.id] : false, u = null;
      if (e.on_loop && lit !== st.lit) { u = style(e.id, lit); st.lit = lit; }
      if (hidden !== st.hidden) { u = u || {id: e.id}; u.hidden = hidden; st.hidden = hidden; }
      if (u) edgeUpdates.push(u);
    });
    nodes.forEach(function (n) {
      var st = nodeState[n.id], hidden = !!degree[n.id] && !linked[n.id];
      var lit = n.on_loop ? !!litNodes[n.id] : false, u = null;
      nNodesAll++;
      if (!hidden) nNodes++;
      if (n.on_loop && lit !== st.lit) { u = style(n.id, lit); st.lit = lit; }
      if (hidden !== st.hidden) { u = u || {id: n.id}; u.hidden = hidden; st.hidden = hidden; }
      if (u) nodeUpdates.push(u);
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    setCount("companies", nNodes, nNodesAll);
    setCount("deals", nEdges, nEdgesAll);
    setCount("loops", nLoops, loops.length);
    // the legend counts the deals of each kind the stage filter lets through
    Array.prototype.forEach.call(document.querySelectorAll("#dg-legend [data-dg-kind-count]"), function (el) {
      var kind = el.getAttribute("data-dg-kind-count");
      el.textContent = (kindShown[kind] || 0) === (kindAll[kind] || 0)
        ? String(kindAll[kind] || 0) : (kindShown[kind] || 0) + " of " + (kindAll[kind] || 0);
    });
  }
  window.dealgraphApplyFilters = applyFilters;

  Array.prototype.forEach.call(kindBoxes, function (cb) {
    cb.addEventListener("change", applyFilters);
  });
  Array.prototype.forEach.call(stageRadios, function (r) {
    r.addEventListener("change", applyFilters);
  });
  // a browser that restores form state on reload may open the page with another choice
  var restored = Array.prototype.some.call(kindBoxes, function (cb) { return !cb.checked; })
    || Array.prototype.some.call(stageRadios, function (r) { return r.checked !== r.defaultChecked; });
  if (restored) applyFilters();
};
