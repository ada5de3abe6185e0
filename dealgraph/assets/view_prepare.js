// dealgraph: runs on pyvis's DataSets before vis.Network is built from them.
window.dealgraphPrepare = (function () {
  "use strict";
  // Tags our own tooltip markup uses; any other element is dropped, and every attribute but
  // "class", whatever their source.
  var ALLOWED = {DIV: 1, SPAN: 1, B: 1, I: 1, EM: 1, STRONG: 1, BR: 1, TABLE: 1, TBODY: 1,
                 THEAD: 1, TR: 1, TH: 1, TD: 1, BLOCKQUOTE: 1, SMALL: 1, UL: 1, LI: 1};
  function clean(parent) {
    var kids = Array.prototype.slice.call(parent.childNodes);
    for (var i = 0; i < kids.length; i++) {
      var k = kids[i];
      if (k.nodeType === 1) {
        if (!ALLOWED[k.tagName]) { parent.removeChild(k); continue; }
        var attrs = Array.prototype.slice.call(k.attributes);
        for (var j = 0; j < attrs.length; j++) {
          if (attrs[j].name !== "class") k.removeAttribute(attrs[j].name);
        }
        clean(k);
      } else if (k.nodeType !== 3) {
        parent.removeChild(k);
      }
    }
  }
  var tpl = document.createElement("template");
  function parseInert(markup) {
    // The content of a <template> is inert: nothing in it runs or loads.
    tpl.innerHTML = markup;
    var frag = tpl.content;
    tpl = document.createElement("template");
    return frag;
  }
  // vis-network 9 shows a string title with innerText (tags and entities would show as
  // written), and an Element title as it is: titles become elements built from our markup.
  function tipElement(markup) {
    var frag = parseInert(markup);
    clean(frag);
    var box = document.createElement("div");
    box.className = "dg-tipbox";
    box.appendChild(document.importNode(frag, true));
    return box;
  }
  // Labels are drawn on the canvas, which shows text as it is: undo html.escape for it.
  var ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'"};
  function plainText(escaped) {
    return escaped.replace(/&(?:amp|lt|gt|quot|#x27);/g, function (e) { return ENTITIES[e]; });
  }
  function decodeLabels(ds) {
    var updates = [];
    ds.forEach(function (item) {
      if (typeof item.label === "string" && item.label.indexOf("&") !== -1) {
        updates.push({id: item.id, label: plainText(item.label)});
      }
    });
    if (updates.length) ds.update(updates);
  }
  // Titles are turned into elements when first hovered (doing all 4 000 of a large graph up
  // front costs seconds); vis emits hoverNode/hoverEdge before its tooltip delay runs out.
  function ensureTip(ds, id) {
    var item = ds.get(id);
    if (item && typeof item.title === "string") {
      ds.update({id: id, title: tipElement(item.title)});
    }
  }
  var api = function (nodes, edges) {
    var t = performance.now();
    decodeLabels(nodes);
    decodeLabels(edges);
    window.dealgraphPrepareMs = performance.now() - t;
  };
  api.tipElement = tipElement;
  api.ensureTip = ensureTip;
  return api;
})();
