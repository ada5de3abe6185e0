"""The interactive page: the money-flow graph drawn with pyvis 0.3.2 (vis-network 9.1.2).

``render_view(G)`` takes the money-flow projection (a ``networkx.MultiDiGraph`` whose nodes are
companies and whose edges are deals, pointing the way the money goes) and returns one
self-contained HTML page that works with no network at all:

* vis-network is inlined (pyvis ``cdn_resources="in_line"``; pyvis's "local" mode still loads it
  from a CDN), and the Bootstrap ``<link>``/``<script>`` that pyvis's template loads from a CDN in
  every mode are stripped: the page carries its own small stylesheet instead.
* Positions are computed here with networkx (Kamada-Kawai for small graphs, a seeded spring
  layout for large ones) and physics is off, so the page is drawn settled at once, even at
  1 000 nodes. ``physics=True`` runs a short stabilisation from those positions, then freezes.
* Every string that comes from data is ``html.escape``d before it goes into a ``title`` or a
  ``label``. Tooltips are built as HTML from escaped strings; in the page a small script turns
  each one, when its node or edge is first hovered, into a DOM element through an inert
  ``<template>`` and an allow-list (the tags we emit, the ``class`` attribute only), because
  vis-network 9 shows a *string* title with ``innerText`` (its tags would be visible) and an
  *element* title as it is. Labels are drawn on the canvas, which shows text as it is; the
  script undoes the escaping for it before the network is built.
* pyvis switches to a different tooltip template that does ``popup.innerHTML = title`` when a
  node title contains the substring "href"; node titles never contain it (the ``h`` of any
  "href" in data is written as ``&#104;``), so that path is never taken.

pyvis is imported lazily, inside :func:`render_view`, so that importing this module (or the
CLI's ``--help``) does not need it.
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from dealgraph.kinds import DEAL_KINDS

__all__ = [
    "render_view",
    "write_view",
    "format_amount",
    "loop_edge_keys",
    "KIND_COLORS",
    "LOOP_COLOR",
    "UNKNOWN_KIND_COLOR",
]

#: One colour per kind (colour-blind-friendly where possible; red is kept for loops).
KIND_COLORS: dict[str, str] = {
    "equity_investment": "#1f77b4",   # blue
    "equity_stake": "#7b4fa0",        # purple, dashed: the holding layer
    "compute_contract": "#ef8a17",    # orange
    "capacity_option": "#c9a100",     # ochre
    "hardware_purchase": "#2ca25f",   # green
    "capacity_backstop": "#17a2b8",   # teal
    "loan": "#8c564b",                # brown
    "ipo": "#e377c2",                 # pink
    "revenue_share": "#6b8e23",       # olive
}
UNKNOWN_KIND_COLOR = "#7f7f7f"
LOOP_COLOR = "#d62728"
NODE_FILL = "#dce6f0"
NODE_BORDER = "#486581"
LOOP_NODE_FILL = "#fde0dd"

HOLDING_DASHES = [10, 6]
UNKNOWN_AMOUNT_DASHES = [2, 4]

#: Graphs up to this many deals get the amount written on each edge.
EDGE_LABEL_LIMIT = 60
#: Graphs up to this many companies are laid out with Kamada-Kawai, larger ones with a spring layout.
KAMADA_KAWAI_LIMIT = 150

_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
_QUALIFIERS = {
    "about": ("about ", "~"),
    "approx": ("about ", "~"),
    "approximately": ("about ", "~"),
    "up_to": ("up to ", "≤"),
    "at_most": ("at most ", "≤"),
    "at_least": ("at least ", "≥"),
    "more_than": ("more than ", ">"),
    "over": ("over ", ">"),
    "exact": ("", ""),
}
#: Short names written on edges next to the amount (small graphs only).
KIND_SHORT = {
    "equity_investment": "equity",
    "equity_stake": "stake",
    "compute_contract": "compute",
    "capacity_option": "option",
    "hardware_purchase": "hardware",
    "capacity_backstop": "backstop",
    "loan": "loan",
    "ipo": "IPO",
    "revenue_share": "rev. share",
}
_FONT_FACE = "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"


# --------------------------------------------------------------------------------------------
# Formatting (plain text; escaping happens when text is put into markup)


def _num(v: float) -> str:
    if v >= 1000:
        return f"{v:,.0f}"
    s = f"{v:.3g}"
    return s


def _scaled(amount: float, currency: str | None) -> str:
    a = abs(amount)
    for limit, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m")):
        if a >= limit:
            text = _num(a / limit) + suffix
            break
    else:
        text = _num(a) if a >= 1 or a == 0 else f"{a:.3g}"
    sign = "-" if amount < 0 else ""
    cur = (currency or "").upper()
    if cur in _CURRENCY_SYMBOLS:
        return f"{sign}{_CURRENCY_SYMBOLS[cur]}{text}"
    return f"{sign}{text} {cur}".rstrip() if cur else f"{sign}{text}"


def format_amount(amount: float | None, currency: str | None = "USD", qualifier: str | None = None,
                  low: float | None = None, high: float | None = None, *, short: bool = False) -> str:
    """``11.9e9, "USD", "about"`` -> ``"about $11.9 bn"`` (``"~$11.9 bn"`` when ``short``).

    With no amount, a range ``low``..``high`` is shown; with neither, "not disclosed" (or ""
    when ``short``).
    """
    q_long, q_short = _QUALIFIERS.get(qualifier or "", ((qualifier or "").replace("_", " ") + " "
                                                         if qualifier else "", ""))
    prefix = q_short if short else q_long
    amount, low, high = _finite(amount), _finite(low), _finite(high)
    if amount is not None:
        return prefix + _scaled(float(amount), currency)
    if low is not None and high is not None:
        return prefix + f"{_scaled(float(low), currency)}–{_scaled(float(high), currency)}"
    if low is not None:
        return ("≥" if short else "at least ") + _scaled(float(low), currency)
    if high is not None:
        return ("≤" if short else "up to ") + _scaled(float(high), currency)
    return "" if short else "not disclosed"


def _estimate(d: dict) -> float | None:
    """The amount used for widths and sizes: the amount, else the middle of its range."""
    a = _finite(d.get("amount"))
    if a is not None:
        return a
    lo, hi = _finite(d.get("amount_low")), _finite(d.get("amount_high"))
    if lo is not None and hi is not None:
        return (lo + hi) / 2
    return None


def _finite(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _share(share: float | None) -> str | None:
    if share is None:
        return None
    return f"{float(share) * 100:.3g} %"


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _defuse_href(markup: str) -> str:
    # pyvis 0.3.2 switches to a tooltip template that sets popup.innerHTML (and hides vis's own
    # tooltip) as soon as one node title contains "href"; escaped data may contain that word.
    return markup.replace("href", "&#104;ref").replace("HREF", "&#72;REF")


def _sums_text(sums: dict[str, float], count: int, unknown: int) -> str:
    if not count:
        return "none recorded"
    parts = [_scaled(v, c or None) for c, v in sorted(sums.items(), key=lambda kv: -kv[1])]
    text = " + ".join(parts) if parts else "amounts not disclosed"
    text += f" in {count} deal{'s' if count != 1 else ''}"
    if unknown and parts:
        text += f" ({unknown} undisclosed)"
    return text


# --------------------------------------------------------------------------------------------
# Graph helpers


def _edges(G: nx.Graph) -> Iterable[tuple[Any, Any, Any, dict]]:
    if G.is_multigraph():
        yield from G.edges(keys=True, data=True)
    else:
        for u, v, d in G.edges(data=True):
            yield u, v, d.get("deal") or f"{u}->{v}", d


def loop_edge_keys(G: nx.Graph, loops: Iterable[Iterable] | None) -> tuple[set, set]:
    """The ``(u, v, key)`` of every edge on one of ``loops``, and the set of nodes on them.

    Each loop is a list of node ids in cycle order; every money edge from a member to the next
    one (and from the last back to the first) is on the loop. Holdings (equity stakes) are not
    money that goes round, so they are never marked, even between two loop members.
    """
    keys: set = set()
    nodes: set = set()
    for cycle in loops or ():
        cycle = list(cycle)
        if not cycle:
            continue
        nodes.update(n for n in cycle if n in G)
        for i, u in enumerate(cycle):
            v = cycle[(i + 1) % len(cycle)]
            if u not in G or v not in G or not G.has_edge(u, v):
                continue
            if G.is_multigraph():
                keys.update((u, v, k) for k, d in G[u][v].items() if d.get("layer") != "holding")
            else:
                d = G[u][v]
                if d.get("layer") != "holding":
                    keys.add((u, v, d.get("deal") or f"{u}->{v}"))
    return keys, nodes


def _layout(G: nx.Graph, seed: int = 7) -> dict[Any, tuple[float, float]]:
    """Positions in vis-network pixels, computed once so the page needs no physics."""
    n = G.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(G)): (0.0, 0.0)}
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v, *_ in G.edges() if u != v)
    pos = None
    if n <= KAMADA_KAWAI_LIMIT:
        try:
            pos = nx.kamada_kawai_layout(U)
        except Exception:  # scipy missing, or a degenerate graph
            pos = None
    if pos is None:
        pos = nx.spring_layout(U, seed=seed, iterations=50 if n <= 500 else 30)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    size = 450.0 + 150.0 * math.sqrt(n)   # pixels across the whole drawing
    cx = (max(xs) + min(xs)) / 2
    cy = (max(ys) + min(ys)) / 2
    return {node: (round((p[0] - cx) / span * size, 1), round((p[1] - cy) / span * size, 1))
            for node, p in pos.items()}


def _kind_info(kind: str | None) -> tuple[str, str, str]:
    """(label, layer, colour) of a kind; unknown kinds are drawn grey on the flow layer."""
    k = DEAL_KINDS.get(kind or "")
    if k is None:
        return ((kind or "unknown kind").replace("_", " "), "flow", UNKNOWN_KIND_COLOR)
    return k.label, k.layer or "flow", KIND_COLORS.get(k.name, UNKNOWN_KIND_COLOR)


def _kind_class(kind: str | None) -> str:
    return f"dg-k-{kind}" if kind in DEAL_KINDS else "dg-k-unknown"


def _edge_width(amount: float | None) -> float:
    if amount is None or amount <= 0:
        return 1.2
    return round(min(10.0, max(1.5, 1.5 + 2.0 * math.log10(amount / 1e8))), 2)


def _node_size(money_in: float, max_in: float) -> float:
    if max_in <= 0 or money_in <= 0:
        return 11.0
    return round(13.0 + 37.0 * math.sqrt(money_in / max_in), 2)


# --------------------------------------------------------------------------------------------
# Tooltips (markup from escaped strings only)


def _row(name: str, value: str | None) -> str:
    if value in (None, ""):
        return ""
    return f'<tr><th>{_esc(name)}</th><td>{_esc(value)}</td></tr>'


def _edge_title(G, u, v, d: dict, on_loop: bool, max_claims: int = 6) -> str:
    kind = d.get("kind")
    kind_label, layer, _ = _kind_info(kind)
    payer = G.nodes[u].get("name") or str(u)
    payee = G.nodes[v].get("name") or str(v)
    parts = ['<div class="dg-tip">']
    parts.append(f'<div class="dg-tip-h">{_esc(d.get("label") or d.get("deal") or kind_label)}</div>')
    arrow = "owns a stake in" if layer == "holding" else "→"
    parts.append(f'<div class="dg-tip-k"><span class="dg-sw {_kind_class(kind)}"></span>'
                 f'{_esc(kind_label)}<span class="dg-dim"> · </span>'
                 f'<b>{_esc(payer)}</b> {_esc(arrow)} <b>{_esc(payee)}</b></div>')
    parts.append("<table>")
    parts.append(_row("Amount", format_amount(d.get("amount"), d.get("currency") or "USD",
                                               d.get("qualifier"), d.get("amount_low"),
                                               d.get("amount_high"))))
    parts.append(_row("Share", _share(d.get("share"))))
    parts.append(_row("Date", d.get("date")))
    parts.append(_row("Until", d.get("until")))
    parts.append(_row("Period", d.get("period")))
    parts.append(_row("Status", d.get("status")))
    parts.append(_row("Deal id", d.get("deal")))
    sources = d.get("sources") or []
    if sources:
        parts.append(_row("Sources", ", ".join(str(s) for s in sources)))
    parts.append("</table>")
    if on_loop:
        parts.append('<div class="dg-tip-loop">On a money loop: this money comes back round</div>')
    claims = list(d.get("claims") or [])
    for c in claims[:max_claims]:
        meta = [str(c.get("document") or "?")]
        if c.get("modality"):
            meta.append(str(c["modality"]))
        if c.get("speaker"):
            meta.append(f"said by {c['speaker']}")
        if c.get("language"):
            meta.append(str(c["language"]))
        parts.append('<div class="dg-claim">'
                     f'<div class="dg-claim-m">{_esc(" · ".join(meta))}</div>')
        if c.get("quote"):
            parts.append(f'<blockquote>“{_esc(c["quote"])}”</blockquote>')
        parts.append("</div>")
    if len(claims) > max_claims:
        parts.append(f'<div class="dg-dim">and {len(claims) - max_claims} more claims</div>')
    parts.append("</div>")
    return "".join(parts)


def _node_title(G, n, flows: dict, on_loop: bool) -> str:
    a = G.nodes[n]
    name = a.get("name") or str(n)
    parts = ['<div class="dg-tip">', f'<div class="dg-tip-h">{_esc(name)}</div>']
    aliases = [str(x) for x in (a.get("aliases") or []) if str(x) != name]
    if aliases:
        parts.append(f'<div class="dg-dim">also: {_esc(", ".join(aliases))}</div>')
    f = flows[n]
    parts.append("<table>")
    parts.append(_row("Money in", _sums_text(f["in"], f["n_in"], f["u_in"])))
    parts.append(_row("Money out", _sums_text(f["out"], f["n_out"], f["u_out"])))
    if f["owns"] or f["owned"]:
        parts.append(_row("Stakes", f"holds {f['owns']} · held by {f['owned']}"))
    parts.append(_row("Id", str(n)))
    parts.append("</table>")
    if on_loop:
        parts.append('<div class="dg-tip-loop">On a money loop</div>')
    parts.append("</div>")
    return _defuse_href("".join(parts))


# --------------------------------------------------------------------------------------------
# The page around pyvis's template


def _legend_svg(color: str, width: float, dashes: list[int] | None, opacity: float = 1.0) -> str:
    dash = f' stroke-dasharray="{",".join(map(str, dashes))}"' if dashes else ""
    return (f'<svg class="dg-ls" width="40" height="12" viewBox="0 0 40 12" aria-hidden="true">'
            f'<line x1="1" y1="6" x2="30" y2="6" stroke="{color}" stroke-width="{width}"'
            f' stroke-opacity="{opacity}"{dash}/>'
            f'<path d="M29,1.5 L39,6 L29,10.5 z" fill="{color}" fill-opacity="{opacity}"/></svg>')


def _legend(kinds_present: list[str], counts: dict[str, int], has_loops: bool,
            has_unknown: bool) -> str:
    rows = []
    for kind in kinds_present:
        label, layer, color = _kind_info(kind)
        dashes = HOLDING_DASHES if layer == "holding" else None
        extra = " (ownership)" if layer == "holding" else ""
        rows.append(
            f'<label class="dg-lr"><input type="checkbox" checked data-kind="{_esc(kind)}">'
            f'{_legend_svg(color, 3, dashes)}<span>{_esc(label)}{_esc(extra)}'
            f' <span class="dg-dim">{counts.get(kind, 0)}</span></span></label>')
    extra_rows = []
    if has_loops:
        extra_rows.append(f'<div class="dg-lr">{_legend_svg(LOOP_COLOR, 5, None)}'
                          '<span><b>Money loop</b>: deals on a cycle</span></div>')
        extra_rows.append('<div class="dg-lr"><svg class="dg-ls" width="40" height="16" '
                          'viewBox="0 0 40 16" aria-hidden="true"><circle cx="14" cy="8" r="6" '
                          f'fill="{LOOP_NODE_FILL}" stroke="{LOOP_COLOR}" stroke-width="2.5"/>'
                          '</svg><span>company on a loop</span></div>')
    if has_unknown:
        extra_rows.append(f'<div class="dg-lr">{_legend_svg("#8a8a8a", 1.5, UNKNOWN_AMOUNT_DASHES)}'
                          '<span>amount not disclosed</span></div>')
    return (
        '<aside class="dg-legend" id="dg-legend"><div class="dg-lt">Deals by kind</div>'
        + "".join(rows)
        + ("<div class=\"dg-sep\"></div>" + "".join(extra_rows) if extra_rows else "")
        + '<div class="dg-note">Arrows point the way the money goes. Line width: deal size '
          '(log scale). Dot size: money received (√). Hover a deal for its evidence.</div>'
        + "</aside>"
    )


_STYLE = """
<style>
  html, body { margin: 0; padding: 0; height: 100%; background: #ffffff; }
  body { display: flex; flex-direction: column; font-family: @@font@@; color: #1f2933; }
  .dg-head { flex: 0 0 auto; padding: 10px 18px 8px; border-bottom: 1px solid #e4e7eb;
             display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
  .dg-head h1 { font-size: 20px; margin: 0; font-weight: 650; letter-spacing: -0.01em; }
  .dg-head p { margin: 0; color: #52606d; font-size: 14px; }
  body > .card { flex: 1 1 auto; position: relative; width: 100%; min-height: 300px; }
  #mynetwork { position: absolute; inset: 0; width: 100% !important; height: 100% !important;
               float: none !important; border: 0 !important; background: #ffffff; }
  .dg-legend { position: absolute; top: 12px; right: 12px; z-index: 4; max-width: 300px;
               background: rgba(255,255,255,0.94); border: 1px solid #d9e2ec; border-radius: 8px;
               box-shadow: 0 2px 8px rgba(15,30,60,0.08); padding: 10px 12px; font-size: 13px; }
  .dg-lt { font-weight: 650; margin-bottom: 6px; }
  .dg-lr { display: flex; align-items: center; gap: 8px; margin: 3px 0; cursor: default; }
  label.dg-lr { cursor: pointer; }
  .dg-lr input { margin: 0; }
  .dg-ls { flex: 0 0 auto; }
  .dg-sep { border-top: 1px solid #e4e7eb; margin: 7px 0; }
  .dg-note { color: #52606d; font-size: 12px; margin-top: 7px; line-height: 1.35; }
  .dg-dim { color: #7b8794; }
  div.vis-tooltip { font-family: @@font@@; font-size: 13px; color: #1f2933; background: #ffffff;
                    border: 1px solid #bcccdc; border-radius: 6px; padding: 8px 10px;
                    box-shadow: 0 4px 14px rgba(15,30,60,0.15); }
  .dg-tipbox, .dg-tip { white-space: normal; max-width: 420px; line-height: 1.35; }
  .dg-tip-h { font-weight: 650; font-size: 14px; margin-bottom: 3px; }
  .dg-tip-k { margin-bottom: 4px; }
  .dg-tip table { border-collapse: collapse; margin: 2px 0; }
  .dg-tip th { text-align: left; font-weight: 500; color: #52606d; padding: 1px 10px 1px 0;
               vertical-align: top; white-space: nowrap; }
  .dg-tip td { padding: 1px 0; }
  .dg-tip-loop { color: @@loop@@; font-weight: 600; margin: 4px 0; }
  .dg-claim { border-top: 1px solid #e4e7eb; margin-top: 5px; padding-top: 4px; }
  .dg-claim-m { color: #52606d; font-size: 12px; }
  .dg-claim blockquote { margin: 2px 0 0 0; padding-left: 8px; border-left: 3px solid #bcccdc;
                         font-style: italic; }
  .dg-sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
           margin-right: 6px; vertical-align: -1px; background: @@unknown@@; }
@@kind_css@@
</style>
"""

_PREPARE_SCRIPT = """
<script type="text/javascript">
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
</script>
"""

_SCRIPT = """
<script type="text/javascript">
(function () {
  "use strict";
  var PHYSICS = @@physics@@;
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
  if (PHYSICS) {
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
})();
</script>
"""

_EXTERNAL_TAG = re.compile(
    r"""<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*["']?\s*(?:https?:)?//[^>]*>(?:\s*</script>)?""",
    re.IGNORECASE,
)
_NEW_NETWORK = "network = new vis.Network(container, data, options);"
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>\s*", re.IGNORECASE)


def _fill(template: str, **values: str) -> str:
    for k, v in values.items():
        template = template.replace(f"@@{k}@@", v)
    return template


def _kind_css() -> str:
    lines = [f"  .dg-k-{k} {{ background: {c}; }}" for k, c in KIND_COLORS.items()]
    lines.append(f"  .dg-k-unknown {{ background: {UNKNOWN_KIND_COLOR}; }}")
    return "\n".join(lines)


def _patch_page(page: str, *, title: str, header: str, legend: str, physics: bool) -> str:
    """Make pyvis's output self-contained and add our header, legend, style and script."""
    page = _EXTERNAL_TAG.sub("", page)          # Bootstrap CSS and JS from jsDelivr
    page = _EMPTY_HEADING.sub("", page)          # pyvis prints the (empty) heading twice
    page = page.replace("<html>", '<!DOCTYPE html>\n<html lang="en">', 1)
    page = page.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n'
                        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                        f"<title>{_esc(title)}</title>", 1)
    # our style goes last in <head>, after vis-network's, so that it wins over its tooltip style
    h = page.find("</head>")
    if h < 0:
        raise RuntimeError("pyvis template changed: no </head>")
    page = page[:h] + _fill(_STYLE, font=_FONT_FACE, loop=LOOP_COLOR, unknown=UNKNOWN_KIND_COLOR,
                            kind_css=_kind_css()) + _PREPARE_SCRIPT + page[h:]
    if page.count(_NEW_NETWORK) != 1:
        raise RuntimeError("pyvis template changed: cannot find where the network is built")
    page = page.replace(_NEW_NETWORK, "dealgraphPrepare(nodes, edges);\n                  "
                        + _NEW_NETWORK)
    i = page.find("<body>", max(page.find("</head>"), 0))
    if i < 0:
        raise RuntimeError("pyvis template changed: no <body>")
    page = page[: i + 6] + "\n" + header + "\n" + page[i + 6:]
    # the legend goes inside the card that holds the canvas, so it overlays its corner
    page = page.replace('<div id="mynetwork" class="card-body"></div>',
                        '<div id="mynetwork" class="card-body"></div>\n' + legend, 1)
    j = page.rfind("</body>")
    if j < 0:
        raise RuntimeError("pyvis template changed: no </body>")
    page = page[:j] + _fill(_SCRIPT, physics="true" if physics else "false") + page[j:]
    leftover = _EXTERNAL_TAG.search(page)
    if leftover:
        raise RuntimeError(f"page still loads from outside: {leftover.group(0)[:120]}")
    return page


# --------------------------------------------------------------------------------------------


def render_view(G: nx.MultiDiGraph, *, loops: list[list] | None = None, title: str = "dealgraph",
                physics: bool | None = None) -> str:
    """The money-flow graph ``G`` as one self-contained, offline HTML page (pyvis 0.3.2).

    ``loops``: cycles as lists of node ids in order (default ``G.graph.get("loops")``); their
    edges and nodes are highlighted in :data:`LOOP_COLOR`. ``physics``: None or False draws the
    precomputed layout with physics off; True runs a short stabilisation from it, then freezes.
    Companies are sized by money received (flow-layer deals only; amounts in different currencies
    are added as they are), deals coloured by kind and sized by amount (log scale).
    """
    from pyvis.network import Network  # lazy: the CLI must not need pyvis to start

    if loops is None:
        loops = G.graph.get("loops")
    loop_keys, loop_nodes = loop_edge_keys(G, loops)
    physics_on = bool(physics)

    # money in / out per company (flow layer only: a stake is ownership, not a payment)
    flows: dict = defaultdict(lambda: {"in": defaultdict(float), "out": defaultdict(float),
                                       "n_in": 0, "n_out": 0, "u_in": 0, "u_out": 0,
                                       "owns": 0, "owned": 0, "money_in": 0.0})
    edges = list(_edges(G))
    for u, v, _k, d in edges:
        _, layer, _ = _kind_info(d.get("kind"))
        if layer == "holding":
            flows[u]["owns"] += 1
            flows[v]["owned"] += 1
            continue
        amt = _finite(d.get("amount"))
        cur = str(d.get("currency") or "USD").upper()
        flows[u]["n_out"] += 1
        flows[v]["n_in"] += 1
        if amt is None:
            flows[u]["u_out"] += 1
            flows[v]["u_in"] += 1
        else:
            flows[u]["out"][cur] += float(amt)
            flows[v]["in"][cur] += float(amt)
        est = _estimate(d)
        if est is not None:
            flows[v]["money_in"] += est
    max_in = max((flows[n]["money_in"] for n in G), default=0.0)

    pos = _layout(G)
    n_nodes = G.number_of_nodes()
    n_edges = len(edges)
    big = n_nodes > 300 or n_edges > 1000

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line",
                  heading="", bgcolor="#ffffff", font_color=False,
                  select_menu=False, filter_menu=False, neighborhood_highlight=False)

    for n in G.nodes:
        a = G.nodes[n]
        nid = n if isinstance(n, (str, int)) else str(n)
        on_loop = n in loop_nodes
        x, y = pos.get(n, (0.0, 0.0))
        net.add_node(
            nid,
            label=_esc(a.get("name") or str(n)) or _esc(str(n)),
            title=_node_title(G, n, flows, on_loop),
            shape="dot",
            size=_node_size(flows[n]["money_in"], max_in),
            x=x, y=y,
            color={"background": LOOP_NODE_FILL if on_loop else NODE_FILL,
                   "border": LOOP_COLOR if on_loop else NODE_BORDER,
                   "highlight": {"background": "#fff3bf", "border": "#1f2933"},
                   "hover": {"background": "#fff3bf", "border": "#1f2933"}},
            borderWidth=3 if on_loop else 1.5,
            money_in=round(flows[n]["money_in"], 2),
            on_loop=on_loop,
        )

    # parallel deals between the same two companies bow out at growing distances
    parallel: dict = defaultdict(int)
    seen_ids: set = set()
    counts: dict[str, int] = defaultdict(int)
    any_unknown = False
    show_edge_labels = n_edges <= EDGE_LABEL_LIMIT
    for u, v, key, d in sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        kind = d.get("kind")
        counts[kind] += 1
        _label, layer, color = _kind_info(kind)
        on_loop = (u, v, key) in loop_keys
        est = _estimate(d)
        if est is None:
            any_unknown = True
        width = _edge_width(est)
        dashes: Any = False
        opacity = 1.0
        if layer == "holding":
            dashes = HOLDING_DASHES
        elif est is None:
            dashes = UNKNOWN_AMOUNT_DASHES
            opacity = 0.6
        if on_loop:
            color, opacity = LOOP_COLOR, 1.0
            width = max(width + 1.5, 3.5)
        eid = str(d.get("deal") or key)
        base, i = eid, 2
        while eid in seen_ids:
            eid, i = f"{base}#{i}", i + 1
        seen_ids.add(eid)
        idx = parallel[(u, v)]
        parallel[(u, v)] += 1
        edge: dict[str, Any] = dict(
            id=eid,
            title=_edge_title(G, u, v, d, on_loop),
            color={"color": color, "highlight": color, "hover": color, "opacity": opacity},
            width=width,
            dashes=dashes,
            smooth={"enabled": True, "type": "curvedCW", "roundness": round(0.12 + 0.16 * idx, 2)},
            kind=kind if kind is not None else "",
            deal=d.get("deal"),
            amount=d.get("amount"),
            on_loop=on_loop,
        )
        if show_edge_labels:
            short = format_amount(d.get("amount"), d.get("currency") or "USD", d.get("qualifier"),
                                  d.get("amount_low"), d.get("amount_high"), short=True)
            if not short and d.get("share") is not None:
                short = _share(d.get("share"))
            word = KIND_SHORT.get(kind or "", "")
            text = " ".join(t for t in (word, short) if t)
            if text:
                edge["label"] = _esc(text)
        su = u if isinstance(u, (str, int)) else str(u)
        sv = v if isinstance(v, (str, int)) else str(v)
        net.add_edge(su, sv, **edge)

    net.options = {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "font": {"size": 16, "face": _FONT_FACE, "color": "#1f2933",
                     "strokeWidth": 4, "strokeColor": "#ffffff", "vadjust": -2},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "arrowStrikethrough": False,
            "selectionWidth": 1.5,
            "hoverWidth": 1.2,
            "font": {"size": 13, "face": _FONT_FACE, "color": "#243b53", "strokeWidth": 0,
                     "background": "rgba(255,255,255,0.88)", "align": "horizontal"},
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "multiselect": False, "navigationButtons": False,
                        "keyboard": {"enabled": False}},
        "physics": {
            "enabled": physics_on,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -8000, "springLength": 160,
                          "springConstant": 0.02, "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": 120 if big else 250,
                              "updateInterval": 25, "fit": True},
        },
        "layout": {"improvedLayout": False, "randomSeed": 7},
    }

    kinds_present = sorted(counts, key=lambda k: (list(KIND_COLORS).index(k)
                                                  if k in KIND_COLORS else 99, str(k)))
    n_loops = len([c for c in (loops or []) if c])
    summary = (f"{n_nodes} companies · {n_edges} deals"
               + (f" · {n_loops} money loop{'s' if n_loops != 1 else ''}" if n_loops else ""))
    header = (f'<header class="dg-head"><h1>{_esc(title)}</h1>'
              f'<p>{_esc(summary)}</p></header>')
    legend = _legend([k for k in kinds_present], counts, bool(loop_keys), any_unknown)
    page = net.generate_html(name="index.html")
    return _patch_page(page, title=title, header=header, legend=legend, physics=physics_on)


def write_view(G: nx.MultiDiGraph, path: str | Path, **kw: Any) -> Path:
    """Write :func:`render_view` of ``G`` to ``path`` (utf-8) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_view(G, **kw), encoding="utf-8")
    return path
