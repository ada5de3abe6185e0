"""The report's charts, drawn with matplotlib (imported here only, never by ``--help``).

* ``money-in-loops``: month by month, the known money on deals inside loops against all
  known money (the as-of views of the money-flow graph).
* ``revenue-concentration``: each supplier's revenue by customer, from revenue-share
  claims, with the part no source attributes.
* ``loops``: the companies on loops and the deals between them, loop edges in red.

Each chart is drawn once by one function; :func:`write_plots` saves the figures as PNG files
(``report --plots DIR``), :func:`svg_charts` as SVG text to put inline in a page (the HTML
report). Data is text in both: matplotlib's mathtext is off, so a name with ``$`` in it is
drawn as written (and cannot make the drawing fail).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import networkx as nx

from .errors import require
from .kinds import DEAL_KINDS

__all__ = ["write_plots", "svg_charts", "Chart", "CHARTS"]

#: Each chart's name (its PNG file's stem, its SVG ids' prefix) and what it shows, in the order
#: they are drawn; the HTML report uses the words as the figure's caption.
CHARTS: dict[str, str] = {
    "money-in-loops": "Month by month, the known money on deals inside loops against all known money.",
    "revenue-concentration": "Each supplier's revenue by customer, from revenue-share claims, with the part "
                             "no source attributes.",
    "loops": "The companies on loops and the deals between them; the money flows on a loop in red.",
}

#: matplotlib settings for every chart: data is text (no mathtext), and text in an SVG is drawn
#: as glyph outlines, so the chart looks the same on every machine and needs no font.
_RC = {"text.parse_math": False, "svg.fonttype": "path"}


@dataclass(frozen=True)
class Chart:
    """A chart as SVG text to put inline in an HTML page: no XML prolog, every id prefixed by
    the chart's ``name`` (so charts on one page share none), no reference outside itself."""

    name: str
    caption: str
    svg: str


def _figure():
    matplotlib = require("matplotlib", "the report's charts (--plots)")
    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    return plt


def _draw(save: Callable[[Any, str], Any], *, report: dict[str, Any], timeline: list[dict[str, Any]],
          flows: nx.MultiDiGraph) -> list[Any]:
    """Draw every chart of :data:`CHARTS` and hand each figure to ``save(figure, name)``; returns
    what ``save`` returned, chart by chart. The one drawing path of both outputs."""
    plt = _figure()
    draw = {"money-in-loops": lambda: _money_in_loops(timeline, flows, plt),
            "revenue-concentration": lambda: _concentration(report, plt),
            "loops": lambda: _loop_diagram(flows, report, plt)}
    out = []
    with plt.rc_context(_RC):
        for name in CHARTS:
            fig = draw[name]()
            try:
                out.append(save(fig, name))
            finally:
                plt.close(fig)
    return out


def write_plots(out_dir: str | Path, *, report: dict[str, Any], timeline: list[dict[str, Any]],
                flows: nx.MultiDiGraph) -> list[Path]:
    """Write the charts into ``out_dir`` as PNG files (``<name>.png``); returns their paths.

    ``report`` is the report's data, ``timeline`` the month-by-month rows of
    :func:`dealgraph.analysis.timeline`, ``flows`` today's money-flow graph.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    def png(fig, name: str) -> Path:
        path = out / f"{name}.png"
        fig.savefig(path)
        return path

    return _draw(png, report=report, timeline=timeline, flows=flows)


def svg_charts(*, report: dict[str, Any], timeline: list[dict[str, Any]], flows: nx.MultiDiGraph) -> list[Chart]:
    """The charts as inline SVG (:class:`Chart`), from the same drawing as :func:`write_plots`."""
    plt = _figure()

    def svg(fig, name: str) -> Chart:
        buf = io.BytesIO()
        # ids matplotlib derives from a hash (clip paths, markers) are salted with the name, and
        # no metadata is written: the same chart is the same bytes on every run
        with plt.rc_context({"svg.hashsalt": name}):
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
        return Chart(name, CHARTS[name], _inline_svg(buf.getvalue().decode("utf-8"), name))

    return _draw(svg, report=report, timeline=timeline, flows=flows)


#: An id, and the two ways matplotlib's SVG refers to one (``xlink:href="#x"``, ``url(#x)``).
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'(xlink:href="#|url\(#)([^")]+)')


def _inline_svg(text: str, name: str) -> str:
    """matplotlib's SVG file as an element of an HTML page: the XML prolog and DOCTYPE dropped,
    and every id prefixed with ``name``: matplotlib numbers its groups (``figure_1``,
    ``axes_1``) and names its glyphs (``DejaVuSans-4e``) the same way in every chart, and two
    charts on one page must not share an id."""
    start = text.find("<svg")
    if start < 0:
        raise RuntimeError("matplotlib wrote no <svg> element")
    text = _SVG_ID.sub(lambda m: f'id="{name}-{m.group(1)}"', text[start:])
    return _SVG_REF.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", text)


def _money_in_loops(rows: list[dict[str, Any]], G: nx.MultiDiGraph, plt):
    months = [r["month"] for r in rows]
    cyclic = [r["cyclic_amount"] / 1e9 for r in rows]
    total = [r["total_amount"] / 1e9 for r in rows]
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=120)
    x = range(len(months) + 1)  # one more edge so the last month is drawn as a step, not a line
    ax.fill_between(x, total + total[-1:], step="post", color="#c7d7ea", label="all known money")
    ax.fill_between(x, cyclic + cyclic[-1:], step="post", color="#d62728", alpha=0.8, label="on deals inside loops")
    ax.set_xticks(range(len(months)))
    ax.set_xticklabels(months, rotation=60, fontsize=8)
    ax.set_ylabel("bn USD (known amounts)")
    ax.set_title("Money in the closed loop, as of each month")
    ax.legend(loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    coverage = sum(1 for *_, d in G.edges(data=True) if d["amount"] is not None)
    fig.text(0.01, 0.01, f"Amounts known for {coverage} of {G.number_of_edges()} flows today; "
             "deals without a stated amount count as zero.", fontsize=7, color="#555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def _concentration(report: dict[str, Any], plt):
    rows = report["concentration"]
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.9 * max(1, len(rows))), dpi=120)
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"]
    for i, c in enumerate(rows):
        left = 0.0
        for j, cust in enumerate(c["customers"]):
            share = cust["share"] or 0.0
            ax.barh(i, share * 100, left=left, color=colours[j % len(colours)], edgecolor="white")
            if share:
                ax.text(left + share * 50, i, f"{cust['customer']}\n{share * 100:g} %", ha="center",
                        va="center", fontsize=8, color="white")
            left += share * 100
        if left < 100:
            ax.barh(i, 100 - left, left=left, color="#dddddd", edgecolor="white")
            ax.text(left + (100 - left) / 2, i, "not attributed", ha="center", va="center", fontsize=8)
        ax.text(101, i, f"HHI ≥ {c['hhi']:.0f}\n{c['classification']}", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([c["supplier"] for c in rows])
    ax.set_xlim(0, 125)
    ax.set_xlabel("% of the supplier's revenue")
    ax.set_title("Revenue concentration by customer (revenue-share claims)")
    fig.tight_layout()
    return fig


def _loop_diagram(G: nx.MultiDiGraph, report: dict[str, Any], plt):
    on_loop = {(c["member_ids"][i], c["member_ids"][(i + 1) % c["length"]]) for c in report["loops"]
               for i in range(c["length"])}
    members = {n for pair in on_loop for n in pair} or set(G)
    H = nx.DiGraph()
    for u, v, d in G.edges(data=True):
        if u in members and v in members:
            label = H.edges[u, v]["label"] + "\n" if H.has_edge(u, v) else ""
            amount = f"{d['amount'] / 1e9:g} bn" if d["amount"] else "?"
            H.add_edge(u, v, label=label + f"{DEAL_KINDS[d['kind']].label.lower()} {amount}")
    fig, ax = plt.subplots(figsize=(9, 7), dpi=120)
    pos = nx.circular_layout(H)
    nx.draw_networkx_nodes(H, pos, node_color="#f0f0f0", edgecolors="#333", node_size=2600, ax=ax)
    nx.draw_networkx_labels(H, pos, labels={n: G.nodes[n].get("name", n) for n in H}, font_size=10, ax=ax)
    colours = ["#d62728" if (u, v) in on_loop else "#999" for u, v in H.edges()]
    nx.draw_networkx_edges(H, pos, edge_color=colours, width=2, arrowsize=18, node_size=2600,
                           connectionstyle="arc3,rad=0.15", ax=ax)
    nx.draw_networkx_edge_labels(H, pos, edge_labels=nx.get_edge_attributes(H, "label"), font_size=6,
                                 connectionstyle="arc3,rad=0.15", ax=ax)
    ax.set_title(f"{len(report['loops'])} closed loops: money flows from payer to payee (red: on a loop)")
    ax.axis("off")
    fig.tight_layout()
    return fig

