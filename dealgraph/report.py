"""The closed-loop report: the loop inventory, the circularity metrics, revenue concentration,
conflicting claims and stated totals, assembled as plain data and rendered as text, Markdown
or JSON.

Every number comes from :mod:`dealgraph.analysis` run on the money-flow graph, and every deal
line carries its sources (document ids), so a reader can trace it back to a quote.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import networkx as nx

from .analysis import (
    clearable_share,
    cyclic_share,
    find_loops,
    finn_cycling_index,
    metrics_with_bounds,
    reciprocity,
    revenue_concentration,
    stress_test,
)
from .conflicts import check_totals, find_conflicts
from .kinds import DEAL_KINDS

__all__ = ["loop_inventory", "stress_summary", "build_report", "render_markdown", "render_text", "money"]


def money(value: float | int | None, currency: str | None = "USD", qualifier: str | None = None) -> str:
    """12e9 -> '12 bn USD'; with a qualifier: '~100 bn USD', 'nearly 12 bn USD'; None -> 'amount unknown'."""
    if value is None:
        return "amount unknown"
    for size, unit in ((10**12, "tn"), (10**9, "bn"), (10**6, "m")):
        if abs(value) >= size:
            text = f"{value / size:.2f}".rstrip("0").rstrip(".") + f" {unit}"
            break
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    prefix = {"about": "~", "nearly": "nearly ", "more_than": "more than ", "up_to": "up to "}.get(qualifier or "", "")
    return f"{prefix}{text}{' ' + currency if currency else ''}"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 100:.1f} %"


def _name(G: nx.Graph, node) -> str:
    return G.nodes[node].get("name", str(node)) if node in G else str(node)


def _bounded(b, attr: str) -> dict[str, Any]:
    return {"value": getattr(b.value, attr), "low": getattr(b.low, attr), "high": getattr(b.high, attr)}


def loop_inventory(G: nx.MultiDiGraph, *, max_length: int = 6, max_cycles: int = 10_000,
                   time_limit: float = 30.0) -> dict[str, Any]:
    """The ``dealgraph loops`` JSON: ``cycles``, ``metrics`` and ``bounds``."""
    search = find_loops(G, max_length=max_length, max_cycles=max_cycles, time_limit=time_limit)
    out_money = {n: sum(d.get("amount") or 0 for _, _, d in G.out_edges(n, data=True)) for n in G}
    cycles = [_from_biggest_payer({
        "members": [_name(G, m) for m in loop.members],
        "member_ids": list(loop.members),
        "deals": [list(h) for h in loop.deals],
        "kinds": [list(k) for k in loop.kinds],
        "hop_amounts": list(loop.hop_amounts),
        "bottleneck": loop.bottleneck,
        "length": loop.length,
    }, out_money) for loop in search.cycles]
    cs = metrics_with_bounds(G, cyclic_share)
    cl = metrics_with_bounds(G, clearable_share)
    fci = metrics_with_bounds(G, finn_cycling_index, inputs="boundary_input")
    rec = reciprocity(G)
    metrics = {
        "cyclic_share": {**_bounded(cs, "share"), "cyclic_amount": cs.value.cyclic_amount,
                         "total_amount": cs.value.total_amount},
        "clearable_share": {**_bounded(cl, "share"), "cleared_amount": cl.value.cleared_amount},
        "finn_cycling_index": _bounded(fci, "fci"),
        "return_fraction": {_name(G, n): f for n, f in fci.value.return_fraction.items()},
        "reciprocity": {"reciprocal_pairs": rec.reciprocal_pairs, "connected_pairs": rec.connected_pairs,
                        "pair_share": rec.pair_share, "amount_share": rec.amount_share,
                        "pairs": [[_name(G, p.u), _name(G, p.v)] for p in rec.pairs]},
        "coverage": cs.value.coverage,
        "boundary_input": {_name(G, n): v for n, v in G.nodes(data="boundary_input") if v},
    }
    return {"cycles": cycles, "metrics": metrics, "bounds": search.bounds}


def _from_biggest_payer(cycle: dict[str, Any], out_money: dict) -> dict[str, Any]:
    """Start the loop at its biggest known payer, so it reads "Nvidia -> OpenAI -> ... -> Nvidia"."""
    ids = cycle["member_ids"]
    start = max(range(len(ids)), key=lambda i: (out_money.get(ids[i], 0), -i))
    for key in ("members", "member_ids", "deals", "kinds", "hop_amounts"):
        cycle[key] = cycle[key][start:] + cycle[key][:start]
    return cycle


def stress_summary(G: nx.MultiDiGraph, *, remove_node=None, remove_deal=None, max_length: int = 6) -> dict[str, Any]:
    """The ``dealgraph stress`` JSON: what each company loses, and the loops that disappear."""
    result = stress_test(G, remove_node=remove_node, remove_deal=remove_deal, max_length=max_length)
    losses = []
    for company, loss in result.losses.items():
        row = {"company": _name(G, company)}
        for category, e in loss.exposures.items():
            row[category] = {"amount": e.amount, "share": e.share, "deals": list(e.deals),
                             "counterparties": [_name(G, c) for c in e.counterparties],
                             "unknown_deals": e.unknown_deals, "total_before": e.total}
            if category == "revenue":
                # Revenue-share claims say what part of the supplier's revenue a customer is,
                # which amounts alone rarely do: "CoreWeave loses 62 % of its revenue".
                shares = [d["share"] for _, _, k, d in G.edges(keys=True, data=True)
                          if k in e.deals and d["kind"] == "revenue_share" and d.get("share") is not None]
                row[category]["revenue_share_lost"] = sum(shares) if shares else None
        losses.append(row)
    return {
        "removed": _name(G, remove_node) if remove_node is not None else remove_deal,
        "losses": losses,
        "loops_before": result.loops_before,
        "loops_lost": [[_name(G, m) for m in loop.members] for loop in result.loops_lost],
        "loop_bounds": result.loop_bounds,
    }


def _deal_line(G: nx.MultiDiGraph, u, v, key) -> dict[str, Any]:
    d = G.edges[u, v, key]
    reported = [c for c in d["claims"] if c["modality"] != "denied" and not c["doubtful"]]
    evidence = (reported or d["claims"] or [{}])[0]
    return {"id": key, "kind": d["kind"], "label": d["label"], "amount": d["amount"], "currency": d["currency"],
            "qualifier": d["qualifier"], "share": d["share"], "date": d["date"], "status": d["status"],
            "sources": d["sources"], "quote": evidence.get("quote"), "quote_document": evidence.get("document")}


def build_report(graph, *, as_of: str | None = None, max_length: int = 6) -> dict[str, Any]:
    """Everything the closed-loop report says, as plain data (the ``report --format json``)."""
    G = graph.money_flows(as_of=as_of)
    holdings = graph.money_flows(as_of=as_of, layers=("holding",), with_claims=False)
    inventory = loop_inventory(G, max_length=max_length)
    for cycle in inventory["cycles"]:
        ids = cycle["member_ids"]
        cycle["hops"] = [{
            "from": _name(G, ids[i]), "to": _name(G, ids[(i + 1) % len(ids)]),
            "deals": [_deal_line(G, ids[i], ids[(i + 1) % len(ids)], k) for k in cycle["deals"][i]],
        } for i in range(len(ids))]

    deals = graph.deals()
    sources = graph.query("sources").rows
    edges = list(G.edges(data=True))
    known = [d for _, _, d in edges if d["amount"] is not None]
    concentration = []
    for supplier, c in revenue_concentration(G).items():
        concentration.append({
            "supplier": _name(G, supplier),
            "customers": [{"customer": _name(G, cust), "share": s} for cust, s in c.customers],
            "known_share": c.known_share, "hhi": c.hhi, "hhi_high": c.hhi_high, "top1": c.top1, "top2": c.top2,
            "effective_customers": c.effective_customers, "classification": c.classification,
            "classification_high": c.classification_high,
            "sources": sorted({s for _, v, d in G.in_edges(supplier, data=True)
                               if d["kind"] == "revenue_share" for s in d["sources"]}),
        })
    commentary = [r for r in graph.query("commentary").rows if r["speaker"]]
    return {
        "as_of": as_of,
        "holds": {
            "documents": len(sources),
            "claims": sum(r["claims"] for r in sources),
            "observations": sum(r["observations"] for r in sources),
            "deals": len(deals),
            "deals_by_kind": dict(sorted(Counter(d["kind"] for d in deals).items())),
            "companies_in_flows": G.number_of_nodes(),
            "flow_edges": len(edges),
            "flow_edges_with_amount": len(known),
            "known_flow_amount": sum(d["amount"] for d in known),
            "currencies": sorted({d["currency"] for d in known if d["currency"]}),
        },
        "loops": inventory["cycles"],
        "metrics": inventory["metrics"],
        "bounds": inventory["bounds"],
        "holdings": [{"owner": _name(holdings, u), "owned": _name(holdings, v), "deal": k, "share": d["share"],
                      "qualifier": d["share_qualifier"], "status": d["status"], "sources": d["sources"]}
                     for u, v, k, d in holdings.edges(keys=True, data=True)],
        "concentration": concentration,
        "conflicts": [c.as_dict() for c in find_conflicts(graph)],
        "totals": [t.as_dict() for t in check_totals(graph)],
        "commentary": commentary,
        "sources": sources,
    }


# ---------------------------------------------------------------------------------------------
# Rendering


def _headline(r: dict[str, Any]) -> list[str]:
    h, m = r["holds"], r["metrics"]
    cov = m["coverage"]
    lines = [
        f"{len(r['loops'])} closed loop(s) among {h['companies_in_flows']} companies linked by "
        f"{h['flow_edges']} money flows from {h['documents']} sources.",
        f"Amounts are known for {cov['edges_with_amount']} of {cov['edges']} flows "
        f"({_pct(cov['fraction'])}), {money(h['known_flow_amount'])} in all; every money figure below "
        "is about that known part.",
        f"Cyclic share: {_pct(m['cyclic_share']['value'])} of the known money ({money(m['cyclic_share']['cyclic_amount'])}) "
        "runs between companies that sit on a common loop.",
        f"Clearable share: {_pct(m['clearable_share']['value'])} could be netted away multilaterally "
        f"({money(m['clearable_share']['cleared_amount'])}); Finn cycling index: {m['finn_cycling_index']['value']:.3f}.",
    ]
    if cov["edges_with_amount"] < cov["edges"]:
        lines.append("The return legs of most loops have no stated amount, so netting and cycling on "
                     "known amounts are lower bounds: the loops exist, their size is not on record.")
    truncated = r["bounds"]["truncated_by"]
    lines.append("The loop search is complete." if not truncated
                 else f"The loop search was cut short by: {', '.join(truncated)}.")
    return lines


def _deal_text(d: dict[str, Any]) -> str:
    amount = money(d["amount"], d["currency"], d["qualifier"]) if d["amount"] is not None else (
        f"{d['share'] * 100:g} % of revenue" if d["share"] is not None else "amount unknown")
    when = f", {d['date']}" if d["date"] else ""
    status = f", {d['status']}" if d["status"] else ""
    return f"{DEAL_KINDS[d['kind']].label.lower()}: {amount}{when}{status} [{', '.join(s[:3] for s in d['sources'])}]"


def _conflict_text(c: dict[str, Any]) -> list[str]:
    out = [f"{c['label']} — {c['property']} ({c['kind']})"]
    for v in c["values"]:
        value = v["value"]
        if c["property"] in ("amount", "price") and isinstance(value, (int, float)):
            value = money(value, v["unit"], v["qualifier"])
        elif c["property"] == "share" and isinstance(value, (int, float)):
            value = _pct(value)
        mark = " ← resolved" if v["chosen"] else (" (doubtful)" if v["doubtful"] else "")
        out.append(f"    {v['modality']:<9} {value}{mark} [{', '.join(d[:3] for d in v['documents'])}]")
    return out


def render_markdown(r: dict[str, Any]) -> str:
    """The report as Markdown, for pasting into a note or an article draft."""
    lines = ["# The closed loop of AI money" + (f" (as of {r['as_of']})" if r["as_of"] else ""), ""]
    lines += [f"- {line}" for line in _headline(r)] + ["", "## Loops", ""]
    for i, loop in enumerate(r["loops"], 1):
        path = " → ".join(loop["members"] + loop["members"][:1])
        neck = money(loop["bottleneck"]) if loop["bottleneck"] is not None else "unknown (a leg has no amount)"
        lines += [f"### {i}. {path}", "", f"Bottleneck: {neck}.", ""]
        for hop in loop["hops"]:
            for d in hop["deals"]:
                lines.append(f"- **{hop['from']} → {hop['to']}**: {_deal_text(d)}")
                if d["quote"]:
                    lines.append(f"  > “{d['quote']}” ({d['quote_document']})")
        lines.append("")
    m = r["metrics"]
    lines += ["## Metrics", "", "| metric | value | on low amounts | on high amounts |", "|---|---|---|---|"]
    for key, label in (("cyclic_share", "cyclic share"), ("clearable_share", "clearable share")):
        lines.append(f"| {label} | {_pct(m[key]['value'])} | {_pct(m[key]['low'])} | {_pct(m[key]['high'])} |")
    f = m["finn_cycling_index"]
    lines.append(f"| Finn cycling index | {f['value']:.3f} | {f['low']:.3f} | {f['high']:.3f} |")
    rec = m["reciprocity"]
    lines += ["", f"Reciprocal pairs (money both ways): {rec['reciprocal_pairs']} of {rec['connected_pairs']} "
              f"connected pairs: " + "; ".join(" ⇄ ".join(p) for p in rec["pairs"]) + ".", ""]
    if r["concentration"]:
        lines += ["## Revenue concentration", ""]
        for c in r["concentration"]:
            shares = ", ".join(f"{x['customer']} {_pct(x['share'])}" for x in c["customers"])
            lines.append(f"- **{c['supplier']}**: {shares}; HHI ≥ {c['hhi']:.0f} (≤ {c['hhi_high']:.0f}), "
                         f"{c['classification']} [{', '.join(s[:3] for s in c['sources'])}]")
        lines.append("")
    if r["holdings"]:
        lines += ["## Equity holdings", ""]
        for h in r["holdings"]:
            share = f"{'more than ' if h['qualifier'] == 'more_than' else ''}{h['share'] * 100:g} %" if h["share"] else "share unknown"
            lines.append(f"- {h['owner']} holds {share} of {h['owned']} ({h['status']}) [{', '.join(s[:3] for s in h['sources'])}]")
        lines.append("")
    lines += ["## Claims that disagree", ""]
    for c in r["conflicts"]:
        first, *rest = _conflict_text(c)
        lines.append(f"- {first}")
        lines += [f"  - {x.strip()}" for x in rest]
    lines += ["", "## Stated totals", ""]
    for t in r["totals"]:
        fmt = (lambda x: money(x)) if t["measure"] == "amount" else _pct
        verdict = {True: "adds up", False: "does NOT add up", None: "cannot be checked"}[t["consistent"]]
        parts = " + ".join(fmt(v) if v is not None else "?" for v in t["parts"].values())
        lines.append(f"- {t['label']}: stated {fmt(t['stated'])}; parts {parts} — {verdict} ({t['document'][:3]})")
    lines += ["", "## What commentators say", ""]
    for c in r["commentary"]:
        lines.append(f"- {c['speaker']}: {c['topic']} ({c['document'][:3]})")
    lines += ["", "## Sources", ""]
    for s in r["sources"]:
        lines.append(f"- `{s['document']}` ({s['language']}, {s['published']}): {s['title']} — "
                     f"{s['claims']} claims, {s['observations']} observations")
    return "\n".join(lines) + "\n"


def render_text(r: dict[str, Any], console=None) -> None:
    """The report in the terminal, with rich."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table

    if console is None:
        console = Console()
        # rich assumes 80 columns in a pipe: too narrow for quotes, unless COLUMNS says so
        if not console.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
            console = Console(width=110)
    title = "The closed loop of AI money" + (f" — as of {r['as_of']}" if r["as_of"] else "")
    console.print(Panel("\n".join(_headline(r)), title=title, title_align="left", border_style="cyan"))

    console.rule("Loops")
    for i, loop in enumerate(r["loops"], 1):
        path = " → ".join(loop["members"] + loop["members"][:1])
        neck = money(loop["bottleneck"]) if loop["bottleneck"] is not None else "unknown (a leg has no amount)"
        console.print(f"[bold]{i}. {path}[/bold]   bottleneck: {neck}")
        for hop in loop["hops"]:
            for d in hop["deals"]:
                console.print(f"   {hop['from']} → {hop['to']}: {_deal_text(d)}", highlight=False)
                if d["quote"]:
                    console.print(f"      [dim italic]“{d['quote']}” ({d['quote_document'][:3]})[/dim italic]",
                                  highlight=False)
    m = r["metrics"]
    console.rule("Metrics")
    t = Table(show_header=True, header_style="bold")
    for col in ("metric", "value", "on low amounts", "on high amounts", "meaning"):
        t.add_column(col)
    t.add_row("cyclic share", _pct(m["cyclic_share"]["value"]), _pct(m["cyclic_share"]["low"]),
              _pct(m["cyclic_share"]["high"]), "known money on edges inside loops")
    t.add_row("clearable share", _pct(m["clearable_share"]["value"]), _pct(m["clearable_share"]["low"]),
              _pct(m["clearable_share"]["high"]), "money multilateral netting could cancel")
    f = m["finn_cycling_index"]
    t.add_row("Finn cycling index", f"{f['value']:.3f}", f"{f['low']:.3f}", f"{f['high']:.3f}",
              "share of throughflow that comes back (Finn 1980)")
    console.print(t)
    rec = m["reciprocity"]
    console.print(f"Reciprocal pairs: {rec['reciprocal_pairs']} of {rec['connected_pairs']} — "
                  + "; ".join(" ⇄ ".join(p) for p in rec["pairs"]), highlight=False)
    if r["concentration"]:
        console.rule("Revenue concentration")
        for c in r["concentration"]:
            shares = ", ".join(f"{x['customer']} {_pct(x['share'])}" for x in c["customers"])
            console.print(f"[bold]{c['supplier']}[/bold]: {shares} — HHI ≥ {c['hhi']:.0f} (≤ {c['hhi_high']:.0f}), "
                          f"{c['classification']} (2010 US merger guidelines: > 2500) "
                          f"[{', '.join(s[:3] for s in c['sources'])}]", highlight=False)
    if r["holdings"]:
        console.rule("Equity holdings")
        for h in r["holdings"]:
            share = (f"{'more than ' if h['qualifier'] == 'more_than' else ''}{h['share'] * 100:g} %"
                     if h["share"] else "a stake of unknown size")
            console.print(f"{h['owner']} holds {share} of {h['owned']} ({h['status']}) "
                          f"[{', '.join(s[:3] for s in h['sources'])}]", highlight=False)
    console.rule("Claims that disagree")
    for c in r["conflicts"]:
        first, *rest = _conflict_text(c)
        console.print(f"[bold]{first}[/bold]", highlight=False)
        for line in rest:
            console.print(line, highlight=False)
    console.rule("Stated totals")
    for tot in r["totals"]:
        fmt = (lambda x: money(x)) if tot["measure"] == "amount" else _pct
        verdict = {True: "[green]adds up[/green]", False: "[red]does NOT add up[/red]",
                   None: "cannot be checked"}[tot["consistent"]]
        parts = " + ".join(fmt(v) if v is not None else "?" for v in tot["parts"].values())
        console.print(f"{tot['label']}: stated {fmt(tot['stated'])}; parts {parts} — {verdict} "
                      f"[{tot['document'][:3]}]", highlight=False)
    console.rule("What commentators say")
    for c in r["commentary"]:
        console.print(f"[bold]{c['speaker']}[/bold]: {c['topic']} [{c['document'][:3]}]", highlight=False)
    console.rule("Sources")
    for s in r["sources"]:
        console.print(f"{s['document']}  {s['language']}  {s['published']}  {s['title']}", highlight=False)
