"""The interactive page: the money-flow graph drawn with pyvis 0.3.2 (vis-network 9.1.2).

``render_view(G)`` takes the money-flow projection (a ``networkx.MultiDiGraph`` whose nodes are
companies and whose edges are deals, pointing the way the money goes) and returns one
self-contained HTML page that works with no network at all:

* vis-network is inlined (pyvis ``cdn_resources="in_line"``; pyvis's "local" mode still loads it
  from a CDN), and the Bootstrap ``<link>``/``<script>`` that pyvis's template loads from a CDN in
  every mode are stripped: the page carries its own small stylesheet and scripts instead, kept
  as package data in ``dealgraph/assets/`` (``view.css``, ``view_prepare.js``, ``view_page.js``)
  and inlined; what they take from the Python tables (kind colours, the loop colour, the font)
  is written into the page beside them.
* Positions are computed here with networkx (Kamada-Kawai for small graphs, a seeded spring
  layout for large ones) and physics is off, so the page is drawn settled at once, even at
  1 000 nodes. ``physics=True`` runs a short stabilisation from those positions, then freezes.
* Every string that comes from data is HTML-escaped (``;`` too, see ``_esc``) before it goes
  into a ``title`` or a ``label``. Tooltips are built as HTML from escaped strings; in the page a small script turns
  each one, when its node or edge is first hovered, into a DOM element through an inert
  ``<template>`` and an allow-list (the tags we emit, the ``class`` attribute only), because
  vis-network 9 shows a *string* title with ``innerText`` (its tags would be visible) and an
  *element* title as it is. Labels are drawn on the canvas, which shows text as it is; the
  script undoes the escaping for it before the network is built.
* Every deal carries its commitment ``stage`` (``kinds.STAGES``: realised, committed,
  announced). A radio group in the header filters the deals by cumulative stage
  (``kinds.CUMULATIVE_STAGES``, labelled from ``kinds.CUMULATIVE_STAGE_LABELS``; default: all):
  deals outside it are hidden, and so are the companies left with no deal shown; the header's
  counts and the loop highlighting follow (a loop is highlighted only while every hop of it has
  a deal shown). The legend's kind check boxes go through the same filter. Announced-only deals
  are drawn faded, whatever their dash pattern (which says holding or unknown amount), and
  their tooltip says "Stage: announced".
* pyvis switches to a different tooltip template that does ``popup.innerHTML = title`` when a
  node title contains the substring "href"; node titles never contain it (the ``h`` of any
  "href" in data is written as ``&#104;``), so that path is never taken.

pyvis is imported lazily, inside :func:`render_view`, so that importing this module (or the
CLI's ``--help``) does not need it.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from importlib.resources import files
from typing import Any, Iterable

import networkx as nx

from dealgraph.formatting import UNKNOWN_AMOUNT, finite, kind_label, money, share
from dealgraph.kinds import CUMULATIVE_STAGE_LABELS, CUMULATIVE_STAGES, DEAL_KINDS, STAGES, UNKNOWN_KIND_COLOR

__all__ = ["render_view", "loop_edge_keys", "LOOP_COLOR"]

LOOP_COLOR = "#d62728"
NODE_FILL = "#dce6f0"
NODE_BORDER = "#486581"
LOOP_NODE_FILL = "#fde0dd"

HOLDING_DASHES = [10, 6]
UNKNOWN_AMOUNT_DASHES = [2, 4]
UNKNOWN_AMOUNT_OPACITY = 0.6

#: The filter the page opens with: every stage (its words: ``kinds.CUMULATIVE_STAGE_LABELS``).
DEFAULT_STAGE_FILTER = "all"
#: The stage that is only a plan (a letter of intent, an expected figure): drawn faded, with
#: its label in a lighter grey. The line's pattern keeps saying holding / unknown amount.
ANNOUNCED = "announced"
ANNOUNCED_OPACITY = 0.35
ANNOUNCED_FONT_COLOR = "#8d99a6"

#: Graphs up to this many deals get the amount written on each edge.
EDGE_LABEL_LIMIT = 60
#: Graphs up to this many companies are laid out with Kamada-Kawai, larger ones with a spring layout.
KAMADA_KAWAI_LIMIT = 150

_FONT_FACE = "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"


# --------------------------------------------------------------------------------------------
# Formatting (plain text; escaping happens when text is put into markup)


def _amount_text(d: dict, *, short: bool = False) -> str:
    """A deal's amount as the rest of the project writes it; an edge label (``short``) leaves
    an unknown amount out rather than saying so."""
    return money(d.get("amount"), d.get("currency") or "USD", d.get("qualifier"),
                 low=d.get("amount_low"), high=d.get("amount_high"), short=short,
                 unknown="" if short else UNKNOWN_AMOUNT)


def _share_text(d: dict, *, short: bool = False) -> str:
    """A deal's stated share ('more than 7 % of ownership'), or "" when it states none."""
    row = DEAL_KINDS.get(d.get("kind") or "")
    of = row.share_of if row is not None and not short else None
    return share(d.get("share"), d.get("share_qualifier"), of, short=short, unknown="")


def _estimate(d: dict) -> float | None:
    """The amount used for widths and sizes: the amount, else the middle of its range."""
    a = finite(d.get("amount"))
    if a is not None:
        return a
    lo, hi = finite(d.get("amount_low")), finite(d.get("amount_high"))
    if lo is not None and hi is not None:
        return (lo + hi) / 2
    return None


def _stage(d: dict) -> str | None:
    """A deal's commitment stage, or None when it has none (a graph built by hand) or one the
    stages table does not know: such a deal is shown under every stage filter."""
    stage = d.get("stage")
    return stage if isinstance(stage, str) and stage in STAGES else None


def _esc(value: Any) -> str:
    """Data as HTML text. ``;`` is written as ``&#59;`` too: the page is patched at a line of
    pyvis's template that ends in ``;`` (``_NEW_NETWORK``), and no data string may read like it."""
    return ("" if value is None else str(value)).translate(_HTML_ESCAPES)


_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", ";": "&#59;"})


def _defuse_href(markup: str) -> str:
    # pyvis 0.3.2 switches to a tooltip template that sets popup.innerHTML (and hides vis's own
    # tooltip) as soon as one node title contains "href"; escaped data may contain that word.
    return markup.replace("href", "&#104;ref").replace("HREF", "&#72;REF")


def _sums_text(sums: dict[str, float], count: int, unknown: int) -> str:
    if not count:
        return "none recorded"
    parts = [money(v, c) for c, v in sorted(sums.items(), key=lambda kv: -kv[1])]
    text = " + ".join(parts) if parts else "amounts unknown"
    text += f" in {count} deal{'s' if count != 1 else ''}"
    if unknown and parts:
        text += f" ({unknown} of unknown amount)"
    return text


# --------------------------------------------------------------------------------------------
# Graph helpers


def _edges(G: nx.Graph) -> Iterable[tuple[Any, Any, Any, dict]]:
    if G.is_multigraph():
        yield from G.edges(keys=True, data=True)
    else:
        for u, v, d in G.edges(data=True):
            yield u, v, d.get("deal") or f"{u}->{v}", d


def _is_holding(d: dict) -> bool:
    return (d.get("layer") or _kind_info(d.get("kind"))[1]) == "holding"


def _loop_hops(G: nx.Graph, loops: Iterable[Iterable] | None) -> list[tuple[list, list[list[tuple]]]]:
    """Each of ``loops`` that ``G`` draws whole, as its members and, hop by hop (a member to the
    next, the last back to the first), the ``(u, v, key)`` of the money edges of that hop.

    A loop with a member that is not in ``G``, or a hop with no money edge (holdings are not
    money that goes round), is left out: the page could never show it closed.
    """
    out = []
    for cycle in loops or ():
        cycle = list(cycle)
        if not cycle or any(n not in G for n in cycle):
            continue
        hops: list[list[tuple]] = []
        for i, u in enumerate(cycle):
            v = cycle[(i + 1) % len(cycle)]
            if not G.has_edge(u, v):
                break
            if G.is_multigraph():
                hop = [(u, v, k) for k, d in G[u][v].items() if not _is_holding(d)]
            else:
                d = G[u][v]
                hop = [] if _is_holding(d) else [(u, v, d.get("deal") or f"{u}->{v}")]
            if not hop:
                break
            hops.append(hop)
        else:
            out.append((cycle, hops))
    return out


def loop_edge_keys(G: nx.Graph, loops: Iterable[Iterable] | None) -> tuple[set, set]:
    """The ``(u, v, key)`` of every edge on one of ``loops``, and the set of nodes on them.

    Each loop is a list of node ids in cycle order; every money edge from a member to the next
    one (and from the last back to the first) is on the loop. Holdings (equity stakes) are not
    money that goes round, so they are never marked, even between two loop members. A loop
    ``G`` does not draw whole (see :func:`_loop_hops`) marks nothing.
    """
    return _loop_marks(_loop_hops(G, loops))


def _loop_marks(loop_hops: list[tuple[list, list[list[tuple]]]]) -> tuple[set, set]:
    keys = {e for _, hops in loop_hops for hop in hops for e in hop}
    nodes = {n for cycle, _ in loop_hops for n in cycle}
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
        return kind_label(kind), "flow", UNKNOWN_KIND_COLOR
    return kind_label(kind), k.layer or "flow", k.colour


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
    kind_text, layer, _ = _kind_info(kind)
    payer = G.nodes[u].get("name") or str(u)
    payee = G.nodes[v].get("name") or str(v)
    parts = ['<div class="dg-tip">']
    parts.append(f'<div class="dg-tip-h">{_esc(d.get("label") or d.get("deal") or kind_text)}</div>')
    arrow = "owns a stake in" if layer == "holding" else "→"
    parts.append(f'<div class="dg-tip-k"><span class="dg-sw {_kind_class(kind)}"></span>'
                 f'{_esc(kind_text)}<span class="dg-dim"> · </span>'
                 f'<b>{_esc(payer)}</b> {_esc(arrow)} <b>{_esc(payee)}</b></div>')
    parts.append("<table>")
    parts.append(_row("Amount", _amount_text(d)))
    parts.append(_row("Share", _share_text(d)))
    parts.append(_row("Date", d.get("date")))
    parts.append(_row("Until", d.get("until")))
    parts.append(_row("Period", d.get("period")))
    parts.append(_row("Status", d.get("status")))
    parts.append(_row("Stage", d.get("stage")))
    for what, reasons in (d.get("inferred") or {}).items():  # what the curator inferred, not read
        parts.append(_row(f"Inferred ({str(what).replace('_', ' ')})", "; ".join(map(str, reasons))))
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
    for former in a.get("former_roles") or []:
        ended = f", {former['ended_by']}" if former.get("ended_by") else ""
        parts.append(_row("Formerly", f"{former['role'].replace('_', ' ')} in {former.get('label') or former['deal']} "
                                      f"(until {former['until']}{ended})"))
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
            has_unknown: bool, has_announced: bool = False) -> str:
    rows = []
    for kind in kinds_present:
        label, layer, color = _kind_info(kind)
        dashes = HOLDING_DASHES if layer == "holding" else None
        extra = " (ownership)" if layer == "holding" else ""
        rows.append(
            f'<label class="dg-lr"><input type="checkbox" checked data-kind="{_esc(kind)}">'
            f'{_legend_svg(color, 3, dashes)}<span>{_esc(label)}{_esc(extra)}'
            f' <span class="dg-dim" data-dg-kind-count="{_esc(kind)}">{counts.get(kind, 0)}</span>'
            '</span></label>')
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
                          f'<span>{_esc(UNKNOWN_AMOUNT)}</span></div>')
    if has_announced:
        extra_rows.append(f'<div class="dg-lr">{_legend_svg(NODE_BORDER, 3, None, ANNOUNCED_OPACITY)}'
                          f'<span><b>{_esc(ANNOUNCED.capitalize())}</b> only: plans, letters of intent, '
                          'expected figures</span></div>')
    return (
        '<aside class="dg-legend" id="dg-legend"><div class="dg-lt">Deals by kind</div>'
        + "".join(rows)
        + ("<div class=\"dg-sep\"></div>" + "".join(extra_rows) if extra_rows else "")
        + '<div class="dg-note">Arrows point the way the money goes. Line width: deal size '
          '(log scale). Dot size: money received (√). Hover a deal for its evidence.</div>'
        + "</aside>"
    )


def _stage_filter() -> str:
    """The radio group that filters the deals by cumulative commitment stage."""
    options = []
    for key in CUMULATIVE_STAGES:
        checked = " checked" if key == DEFAULT_STAGE_FILTER else ""
        options.append(f'<label><input type="radio" name="dg-stage" value="{_esc(key)}"{checked}>'
                       f'{_esc(CUMULATIVE_STAGE_LABELS.get(key, key))}</label>')
    return ('<fieldset class="dg-stage" id="dg-stage"><legend>Money</legend>'
            + "".join(options) + "</fieldset>")


#: The kinds whose deals are never drawn: they move no money between two companies of the
#: graph (an IPO is paid by the public, a spending commitment has no payee), read off the kinds
#: table as :func:`dealgraph.flows.project` reads it.
UNDRAWN_KINDS = tuple(k.name for k in DEAL_KINDS.values() if k.layer is None or not (k.flow_from and k.flow_to))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _counts_note(flows: int, holdings: int, deals_on_record: int | None) -> str:
    """Why the header's count of deals is not the count of deals on record (``dealgraph
    deals``) nor that of money flows (``dealgraph loops``, the report): what is drawn, and
    what is not, in the words of the report's summary."""
    drawn = flows + holdings
    text = f"{_plural(drawn, 'deal')} drawn: {_plural(flows, 'money flow')}"
    if holdings:
        text += f" and {_plural(holdings, 'equity holding')} (ownership, not money: never on a loop)"
    undrawn = ", ".join(kind_label(k).lower() for k in UNDRAWN_KINDS)
    why = f"they move no money between two companies of the graph ({undrawn}), or were withdrawn"
    if deals_on_record is None:
        return f"{text}. Deals not drawn: {why}."
    if deals_on_record <= drawn:
        return f"{text}, every deal on record."
    return f"{text}. {deals_on_record - drawn} of the {deals_on_record} deals on record are not drawn: {why}."


def _header(title: str, counts: dict[str, int], *, with_stages: bool, note: str = "") -> str:
    """The page's title and counts (each number in a span the page's script rewrites as
    "3 of 9" while a filter hides some), the stage filter when the deals carry stages, and
    ``note``, which says what the counts count."""
    def n(name: str) -> str:
        return f'<span data-dg-count="{name}">{counts[name]}</span>'
    loops = counts["loops"]
    summary = (f"{n('companies')} companies · {n('deals')} deals"
               + (f" · {n('loops')} money loop{'s' if loops != 1 else ''}" if loops else ""))
    return (f'<header class="dg-head"><h1>{_esc(title)}</h1>'
            f'<p id="dg-summary">{summary}</p>'
            + (_stage_filter() if with_stages else "")
            + (f'<p class="dg-why" id="dg-counts">{_esc(note)}</p>' if note else "") + "</header>")


def _json_for_script(value: Any) -> str:
    """JSON to put inside a <script> element: no "<", ">" or "&" that could end or open it."""
    return (json.dumps(value, ensure_ascii=True, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_EXTERNAL_TAG = re.compile(
    r"""<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*["']?\s*(?:https?:)?//[^>]*>(?:\s*</script>)?""",
    re.IGNORECASE,
)
_NEW_NETWORK = "network = new vis.Network(container, data, options);"
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>\s*", re.IGNORECASE)


def _asset(name: str) -> str:
    """A stylesheet or script of the page, kept as package data in ``dealgraph/assets``."""
    return files("dealgraph").joinpath("assets", name).read_text(encoding="utf-8")


def _table_css() -> str:
    """The values view.css takes from the Python tables: the font, the loop colour, and a
    swatch class per kind."""
    lines = [f":root {{ --dg-font: {_FONT_FACE}; --dg-loop: {LOOP_COLOR};"
             f" --dg-unknown-kind: {UNKNOWN_KIND_COLOR}; }}"]
    lines += [f".dg-k-{k.name} {{ background: {k.colour}; }}" for k in DEAL_KINDS.values()]
    lines.append(f".dg-k-unknown {{ background: {UNKNOWN_KIND_COLOR}; }}")
    return "\n".join(lines)


def _patch_page(page: str, *, title: str, header: str, legend: str, physics: bool,
                data: dict | None = None) -> str:
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
    head = (f"<style>\n{_table_css()}\n</style>\n<style>\n{_asset('view.css')}</style>\n"
            f"<script>\n{_asset('view_prepare.js')}</script>\n")
    page = page[:h] + head + page[h:]
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
    show = (f'<script type="application/json" id="dg-data">{_json_for_script(data or {})}</script>\n'
            f"<script>\n{_asset('view_page.js')}dealgraphShow({json.dumps(physics)});\n</script>\n")
    page = page[:j] + show + page[j:]
    leftover = _EXTERNAL_TAG.search(page)
    if leftover:
        raise RuntimeError(f"page still loads from outside: {leftover.group(0)[:120]}")
    return page


# --------------------------------------------------------------------------------------------


def render_view(G: nx.MultiDiGraph, *, loops: list[list] | None = None, title: str = "dealgraph",
                physics: bool | None = None, deals_on_record: int | None = None) -> str:
    """The money-flow graph ``G`` as one self-contained, offline HTML page (pyvis 0.3.2).

    ``loops``: cycles as lists of node ids in order (default ``G.graph.get("loops")``); their
    edges and nodes are highlighted in :data:`LOOP_COLOR`. ``physics``: None or False draws the
    precomputed layout with physics off; True runs a short stabilisation from it, then freezes.
    ``deals_on_record``: how many deal records ``G`` was projected from (under the same
    filters), so the header can say how many are not drawn and why; without it, it says why
    only.
    Companies are sized by money received (flow-layer deals only; amounts in different currencies
    are added as they are), deals coloured by kind and sized by amount (log scale).
    """
    from pyvis.network import Network  # lazy: the CLI must not need pyvis to start

    if loops is None:
        loops = G.graph.get("loops")
    loop_hops = _loop_hops(G, loops)
    loop_keys, loop_nodes = _loop_marks(loop_hops)
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
        amt = finite(d.get("amount"))
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

    def node_id(n: Any) -> str | int:
        return n if isinstance(n, (str, int)) else str(n)

    def node_style(on_loop: bool) -> dict[str, Any]:
        return {"color": {"background": LOOP_NODE_FILL if on_loop else NODE_FILL,
                          "border": LOOP_COLOR if on_loop else NODE_BORDER,
                          "highlight": {"background": "#fff3bf", "border": "#1f2933"},
                          "hover": {"background": "#fff3bf", "border": "#1f2933"}},
                "borderWidth": 3 if on_loop else 1.5}

    for n in G.nodes:
        a = G.nodes[n]
        on_loop = n in loop_nodes
        x, y = pos.get(n, (0.0, 0.0))
        extra: dict[str, Any] = {"loop_off": node_style(False)} if on_loop else {}
        net.add_node(
            node_id(n),
            label=_esc(a.get("name") or str(n)) or _esc(str(n)),
            title=_node_title(G, n, flows, on_loop),
            shape="dot",
            size=_node_size(flows[n]["money_in"], max_in),
            x=x, y=y,
            **node_style(on_loop),
            money_in=round(flows[n]["money_in"], 2),
            on_loop=on_loop,
            **extra,
        )

    # parallel deals between the same two companies bow out at growing distances
    parallel: dict = defaultdict(int)
    seen_ids: set = set()
    counts: dict[str, int] = defaultdict(int)
    any_unknown = any_announced = any_stage = False
    edge_ids: dict[tuple, str] = {}
    show_edge_labels = n_edges <= EDGE_LABEL_LIMIT
    for u, v, key, d in sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        kind = d.get("kind")
        counts[kind] += 1
        _label, layer, color = _kind_info(kind)
        on_loop = (u, v, key) in loop_keys
        est = _estimate(d)
        if est is None:
            any_unknown = True
        stage = _stage(d)
        any_stage |= stage is not None
        announced = stage == ANNOUNCED
        any_announced |= announced
        width = _edge_width(est)
        # the pattern says what the line is (a holding, an amount not known), the opacity how
        # firm the money is: an announced plan is faded whatever its pattern
        dashes: Any = False
        opacity = 1.0
        if layer == "holding":
            dashes = HOLDING_DASHES
        elif est is None:
            dashes = UNKNOWN_AMOUNT_DASHES
            opacity = UNKNOWN_AMOUNT_OPACITY
        if announced:
            opacity = ANNOUNCED_OPACITY
        # the edge's look when no loop through it is shown (the stage or kind filters can open one)
        plain = {"color": {"color": color, "highlight": color, "hover": color, "opacity": opacity},
                 "width": width}
        if on_loop:
            color, opacity = LOOP_COLOR, ANNOUNCED_OPACITY if announced else 1.0
            width = max(width + 1.5, 3.5)
        eid = str(d.get("deal") or key)
        base, i = eid, 2
        while eid in seen_ids:
            eid, i = f"{base}#{i}", i + 1
        seen_ids.add(eid)
        edge_ids[(u, v, key)] = eid
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
            # None (no stage, or one kinds.STAGES does not know): shown under every stage filter
            stage=stage,
            on_loop=on_loop,
        )
        if on_loop:
            edge["loop_off"] = plain
        if announced:
            edge["font"] = {"color": ANNOUNCED_FONT_COLOR}
        if show_edge_labels:
            figure = _amount_text(d, short=True) or _share_text(d, short=True)
            word = DEAL_KINDS[kind].short if kind in DEAL_KINDS else ""
            text = " ".join(t for t in (word, figure) if t)
            if text:
                edge["label"] = _esc(text)
        net.add_edge(node_id(u), node_id(v), **edge)

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

    # the legend lists kinds in the kinds table's order, then any kind the table does not know
    kinds_present = ([k for k in DEAL_KINDS if k in counts]
                     + sorted((k for k in counts if k not in DEAL_KINDS), key=str))
    holdings = sum(1 for *_, d in edges if _is_holding(d))
    header = _header(title, {"companies": n_nodes, "deals": n_edges, "loops": len(loop_hops)},
                     with_stages=any_stage, note=_counts_note(n_edges - holdings, holdings, deals_on_record))
    legend = _legend(kinds_present, counts, bool(loop_keys), any_unknown, any_announced)
    # what the page's script needs to filter: the stages of each cumulative stage, and the
    # loops as their members and, hop by hop, the ids of the deals that can close the hop
    data = {"stages": {k: list(v) for k, v in CUMULATIVE_STAGES.items()},
            "loops": [{"nodes": [node_id(n) for n in cycle],
                       "hops": [[edge_ids[e] for e in hop] for hop in hops]}
                      for cycle, hops in loop_hops]}
    page = net.generate_html(name="index.html")
    return _patch_page(page, title=title, header=header, legend=legend, physics=physics_on, data=data)
