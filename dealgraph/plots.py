"""PNG charts for the report, drawn with matplotlib (imported here only, never by ``--help``).

* ``money-in-loops.png``: month by month, the known money on deals inside loops against all
  known money (the as-of views of the money-flow graph).
* ``revenue-concentration.png``: each supplier's revenue by customer, from revenue-share
  claims, with the part no source attributes.
* ``loops.png``: the companies on loops and the deals between them, loop edges in red.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from .errors import require
from .kinds import DEAL_KINDS

__all__ = ["write_plots"]


def _figure():
    matplotlib = require("matplotlib", "the report's charts (--plots)")
    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    return plt


def write_plots(out_dir: str | Path, *, report: dict[str, Any], timeline: list[dict[str, Any]],
                flows: nx.MultiDiGraph) -> list[Path]:
    """Write the three charts into ``out_dir``; returns their paths.

    ``report`` is the report's data, ``timeline`` the month-by-month rows of
    :func:`dealgraph.analysis.timeline`, ``flows`` today's money-flow graph.
    """
    plt = _figure()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [_money_in_loops(timeline, flows, plt, out), _concentration(report, plt, out),
            _loop_diagram(flows, report, plt, out)]


def _money_in_loops(rows: list[dict[str, Any]], G: nx.MultiDiGraph, plt, out: Path) -> Path:
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
    path = out / "money-in-loops.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def _concentration(report: dict[str, Any], plt, out: Path) -> Path:
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
    path = out / "revenue-concentration.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def _loop_diagram(G: nx.MultiDiGraph, report: dict[str, Any], plt, out: Path) -> Path:
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
    path = out / "loops.png"
    fig.savefig(path)
    plt.close(fig)
    return path

