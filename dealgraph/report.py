"""The closed-loop report as plain data: the loop inventory, the circularity metrics, revenue
concentration, conflicting claims and stated totals (the ``report --format json``), and the
``loops`` and ``stress`` JSON. :mod:`dealgraph.render` turns them into text and Markdown.

Every number comes from :mod:`dealgraph.analysis` run on the money-flow graph, and every deal
line carries its sources (document ids), so a reader can trace it back to a quote.
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from typing import Any, Iterable

import networkx as nx

from .analysis import (
    GraphReading,
    balancing_inputs,
    circulation_bound,
    clearable_share,
    cyclic_share,
    find_loops,
    finn_cycling_index,
    loop_circulation,
    metrics_with_bounds,
    reciprocity,
    revenue_concentration,
    stress_test,
)
from .conflicts import Conflict, TotalCheck
from .kinds import CUMULATIVE_STAGES, DEAL_KINDS

__all__ = ["loop_inventory", "stress_summary", "build_report", "money_section", "money_words"]


def _name(G: nx.Graph, node) -> str:
    return G.nodes[node].get("name", str(node)) if node in G else str(node)


def money_section(G: nx.Graph) -> dict[str, Any] | None:
    """What the money rule of :mod:`dealgraph.flows` did on ``G``: the reporting currency, the
    rates as the user gave them, the deals whose figure was converted (another currency, or a
    rate over a term) and those left without an amount, with why. None when there is nothing
    to say (amounts in USD, no rate given, every stated figure a USD sum), so the outputs of a
    one-currency record stay as they were; ``holds.currencies`` names the currency there."""
    money = G.graph.get("money")
    if not money or (money["currency"] == "USD" and not money["rates"] and not money["converted"]
                     and not money["unknown"]):
        return None
    return {"currency": money["currency"], "rates": dict(money["rates"]),
            "converted": [dict(d) for d in money["converted"]], "unknown": [dict(d) for d in money["unknown"]]}


def money_words(money: dict[str, Any] | None) -> list[str]:
    """A few words each for the currency and the rates used and the deals left unpriced, for a
    title ("amounts in USD; 1 EUR = 1.08 USD as given"); nothing when there is nothing to say."""
    if not money or (money["currency"] == "USD" and not money["rates"] and not money["unknown"]):
        return []
    cur = money["currency"]
    words = [f"amounts in {cur}" + "".join(f"; 1 {c} = {r} {cur} as given" for c, r in money["rates"].items())]
    if money["unknown"]:
        words.append(f"{len(money['unknown'])} stated figure(s) not counted: no rate or no term")
    return words


def _bounded(b, attr: str) -> dict[str, Any]:
    return {"value": getattr(b.value, attr), "low": getattr(b.low, attr), "high": getattr(b.high, attr)}


def loop_inventory(G: nx.MultiDiGraph, *, max_length: int = 6, max_cycles: int = 10_000,
                   time_limit: float = 30.0) -> dict[str, Any]:
    """The ``dealgraph loops`` JSON: ``cycles``, ``metrics`` and ``bounds``.

    Each cycle's ``circulation`` is what the record bounds (see
    :mod:`dealgraph.analysis.circulation`): ``high``, the most that could go round it (its
    smallest known leg, parallel deals summed; null when no leg is known), ``known_legs`` and
    ``legs``. ``metrics.circulation`` is the same for the whole graph: ``high``, the largest
    circulation with unknown legs unbounded, counted on every leg it uses (null when
    ``unbounded``, i.e. some cycle is made of unknown legs only); ``known_high``, the most of
    the known money that could go round, and ``share_high`` of ``total_amount``;
    ``not_bounded_by_record``, the loops of the inventory none of whose legs is known.
    ``unbounded`` is decided on the whole graph, whatever bound cut the loop search short.
    """
    # One reading of G for all its metrics: each weight read once, not once a metric (23
    # readings of 47 ms of CPU each at 100 000 deals).
    reading = GraphReading(G)
    search = find_loops(G, max_length=max_length, max_cycles=max_cycles, time_limit=time_limit, reading=reading)
    out_money = _out_money(G)
    cycles = [_from_biggest_payer({
        "members": [_name(G, m) for m in loop.members],
        "member_ids": list(loop.members),
        "deals": [list(h) for h in loop.deals],
        "kinds": [list(k) for k in loop.kinds],
        "hop_amounts": list(loop.hop_amounts),
        "bottleneck": loop.bottleneck,
        "length": loop.length,
        "circulation": _loop_circulation(loop),
    }, out_money) for loop in search.cycles]
    cs = metrics_with_bounds(G, cyclic_share, reading=reading)
    cl = metrics_with_bounds(G, clearable_share, reading=reading)
    fci = metrics_with_bounds(G, finn_cycling_index, inputs="boundary_input", reading=reading)
    rec = reciprocity(G, reading=reading)
    circ = circulation_bound(G, reading=reading)
    in_component = {n: i for i, members in enumerate(cs.value.components) for n in members}
    # Passes over G's adjacency, not over G.edges(): its views take twice as long to walk.
    on_loops = sum(len(keydict) for u, nbrs in G.adjacency() if u in in_component
                   for v, keydict in nbrs.items() if in_component[u] == in_component.get(v))
    share_only = sum(1 for _, nbrs in G.adjacency() for keydict in nbrs.values() for d in keydict.values()
                     if d.get("amount") is None and DEAL_KINDS[d["kind"]].share_of is not None)
    balanced = finn_cycling_index(G, inputs=balancing_inputs(G, reading=reading), reading=reading)
    boundary = {n: v for n, v in G.nodes(data="boundary_input") if v}
    metrics = {
        "cyclic_share": {**_bounded(cs, "share"), "cyclic_amount": cs.value.cyclic_amount,
                         "total_amount": cs.value.total_amount,
                         # the same question asked of the deals, whatever their amounts are
                         "edges_on_loops": on_loops, "edges": cs.value.coverage["edges"]},
        "clearable_share": {**_bounded(cl, "share"), "cleared_amount": cl.value.cleared_amount},
        "finn_cycling_index": {**_bounded(fci, "fci"), "input_assumption": FCI_INPUTS["boundary"]},
        "finn_cycling_index_balanced": {"value": balanced.fci, "input_assumption": FCI_INPUTS["balanced"]},
        "return_fraction": {_name(G, n): f for n, f in fci.value.return_fraction.items()},
        "reciprocity": {"reciprocal_pairs": rec.reciprocal_pairs, "connected_pairs": rec.connected_pairs,
                        "pair_share": rec.pair_share, "amount_share": rec.amount_share,
                        "pairs": [[_name(G, p.u), _name(G, p.v)] for p in rec.pairs]},
        "circulation": {"high": None if circ.unbounded else circ.high, "unbounded": circ.unbounded,
                        "known_high": circ.known_high, "total_amount": circ.total_amount,
                        "share_high": circ.share_high,
                        "not_bounded_by_record": [c["members"] for c in cycles
                                                  if c["circulation"]["known_legs"] == 0]},
        # flows that state a share (of a supplier's revenue) carry no amount by nature
        "coverage": {**cs.value.coverage, "share_only_edges": share_only,
                     "edges_that_can_carry_amount": cs.value.coverage["edges"] - share_only},
        "boundary_input": {_name(G, n): v for n, v in boundary.items()},
    }
    # each deal's stage and amount, read once: the loops below are sized per stage from it
    deal_stage = {k: (d.get("stage"), d.get("amount"))
                  for _, nbrs in G.adjacency() for keydict in nbrs.values() for k, d in keydict.items()}
    for cycle in cycles:
        cycle["circulation_by_stage"] = {name: _circulation_at(deal_stage, stages, cycle)
                                         for name, stages in CUMULATIVE_STAGES.items()}
    metrics["by_stage"] = {}
    for name, stages in CUMULATIVE_STAGES.items():
        H, inputs = _at_stage(G, stages)
        # the loops of the inventory that close at this stage (as many as the search found)
        closing = sum(1 for c in cycles if c["circulation_by_stage"][name] is not None)
        # Every flow and company at these stages: H is G (same nodes and edges, in the same
        # order, since H keeps G's order), so G's figures above are H's, and so is its Finn
        # index when the stages' inputs are G's: not computed twice.
        whole = len(H) == len(G) and len(H.edges) == cs.value.coverage["edges"]
        known = (cs.value, cl.value, circ, fci.value if inputs == boundary else None) if whole else None
        metrics["by_stage"][name] = _stage_metrics(H, inputs, closing, reading=GraphReading(H), known=known)
    out = {"cycles": cycles, "metrics": metrics, "bounds": search.bounds}
    money = money_section(G)
    if money is not None:
        out["money"] = money
    return out


def _at_stage(G: nx.MultiDiGraph, stages: tuple[str, ...]) -> tuple[nx.MultiDiGraph, dict]:
    """The flows whose money is at one of ``stages`` (a new graph: views are slow to walk), and
    the boundary inputs at those stages.

    Built as ``add_edges_from`` would build it (nodes in G's order, edges in G's, companies
    left with no flow dropped) but by filling networkx's adjacency dicts directly: adding
    100 000 edges one call at a time took a second per stage. The edges' attribute dicts are
    G's own, not copies (the metrics only read them)."""
    succ: dict = {}
    pred: dict = {}
    for u, nbrs in G.adjacency():
        for v, keydict in nbrs.items():
            kept = {k: d for k, d in keydict.items() if _at(d.get("stage"), stages)}
            if kept:  # one dict for both directions, as a MultiDiGraph holds it
                succ.setdefault(u, {})[v] = kept
                pred.setdefault(v, {})[u] = kept
    H = nx.MultiDiGraph()
    for n, attrs in G.nodes(data=True):
        if n in succ or n in pred:
            H._node[n] = dict(attrs)
            H._succ[n] = succ.get(n, {})
            H._pred[n] = pred.get(n, {})
    inputs = {n: total for n in H
              if (total := sum(G.nodes[n].get(f"boundary_input_{s}", 0.0) for s in stages))}
    return H, inputs


def _at(stage: str | None, stages: tuple[str, ...]) -> bool:
    """Whether a deal at ``stage`` counts among ``stages``; a deal of no known stage (a graph
    made by hand) counts only when every stage does."""
    return stage in stages if stage is not None else len(stages) == len(CUMULATIVE_STAGES["all"])


def _stage_metrics(H: nx.MultiDiGraph, inputs: dict, loops: int, *, reading,
                   known: tuple | None = None) -> dict[str, Any]:
    """The money figures of one cumulative stage (values on the stated amounts), read through
    ``reading`` (a GraphReading of H); ``known``: its cyclic share, clearable share,
    circulation bound and Finn cycling index when already computed (the index None when it was
    computed with other inputs)."""
    if known is not None:
        cs, cl, circ, finn = known
    else:
        cs, cl, circ, finn = (cyclic_share(H, reading=reading), clearable_share(H, reading=reading),
                              circulation_bound(H, reading=reading), None)
    if finn is None:
        finn = finn_cycling_index(H, inputs=inputs, reading=reading)
    return {"flows": cs.coverage["edges"], "flows_with_amount": cs.coverage["edges_with_amount"],
            "known_amount": cs.total_amount, "cyclic_share": cs.share, "cyclic_amount": cs.cyclic_amount,
            "clearable_share": cl.share, "cleared_amount": cl.cleared_amount,
            "finn_cycling_index": finn.fci,
            "loops": loops,
            "circulation": {"high": None if circ.unbounded else circ.high, "unbounded": circ.unbounded,
                            "known_high": circ.known_high}}


def _circulation_at(deal_stage: dict, stages: tuple[str, ...], cycle: dict[str, Any]) -> dict[str, Any] | None:
    """A loop's circulation on the flows of one cumulative stage; None when the loop does not
    close there (a leg has no deal at that stage)."""
    hops = []
    for deals in cycle["deals"]:
        present = [deal_stage[k][1] for k in deals if _at(deal_stage[k][0], stages)]
        if not present:
            return None
        known = [a for a in present if a is not None]
        hops.append(sum(known) if known else None)
    c = loop_circulation(SimpleNamespace(hop_amounts=hops))
    return {"high": c.high, "known_legs": c.known_legs, "legs": c.legs}


#: What Finn's cycling index takes as money entering the graph from outside; the index depends
#: mostly on it, so the report gives both and names them.
FCI_INPUTS = {
    "boundary": "money from outside the graph: IPO proceeds only (each company's other revenue is unknown)",
    "balanced": "whatever a company pays beyond what it receives in the graph comes from outside it",
}


def _loop_circulation(loop) -> dict[str, Any]:
    c = loop_circulation(loop)
    return {"high": c.high, "known_legs": c.known_legs, "legs": c.legs}


def _out_money(G: nx.MultiDiGraph) -> dict:
    # G's adjacency in G's order, each company's payments in the order of G.out_edges(n)
    # (the same sums), without a view per company: 26 ms instead of 71 at 100 000 deals
    return {u: sum(d.get("amount") or 0 for keydict in nbrs.values() for d in keydict.values())
            for u, nbrs in G.adjacency()}


def _from_biggest_payer(cycle: dict[str, Any], out_money: dict) -> dict[str, Any]:
    """Start the loop at its biggest known payer, so it reads "Nvidia -> OpenAI -> ... -> Nvidia"
    in ``loops``, ``stress`` and the report alike."""
    ids = cycle["member_ids"]
    start = max(range(len(ids)), key=lambda i: (out_money.get(ids[i], 0), -i))
    for key in ("members", "member_ids", "deals", "kinds", "hop_amounts"):
        if key in cycle:
            cycle[key] = cycle[key][start:] + cycle[key][:start]
    return cycle


def stress_summary(G: nx.MultiDiGraph, *, remove_node=None, remove_deal=None, max_length: int = 6) -> dict[str, Any]:
    """The ``dealgraph stress`` JSON: what each company loses, and the loops that disappear."""
    result = stress_test(G, remove_node=remove_node, remove_deal=remove_deal, max_length=max_length)
    deals = {k: d for _, _, k, d in G.edges(keys=True, data=True)}  # read once, not per loss
    losses = []
    for company, loss in result.losses.items():
        row = {"company": _name(G, company)}
        for category, e in loss.exposures.items():
            lost = [deals[k] for k in e.deals]
            row[category] = {"amount": e.amount, "share": e.share, "deals": list(e.deals),
                             # what is lost of money that moved, of money committed, of plans
                             "amount_by_stage": {name: sum(d["amount"] for d in lost if d.get("amount") is not None
                                                           and d.get("stage") in cumulative)
                                                 for name, cumulative in CUMULATIVE_STAGES.items()},
                             "counterparties": [_name(G, c) for c in e.counterparties],
                             "unknown_deals": e.unknown_deals, "total_before": e.total,
                             "unknown_deals_kept": _unknown_kept(G, company, category, set(e.deals))}
            if category == "revenue":
                # Revenue-share claims say what part of the supplier's revenue a customer is,
                # which amounts alone rarely do: "CoreWeave loses 62 % of its revenue".
                shares = [d["share"] for d in lost if d["kind"] == "revenue_share" and d.get("share") is not None]
                row[category]["revenue_share_lost"] = sum(shares) if shares else None
        losses.append(row)
    out_money = _out_money(G)
    money = money_section(G)
    return {
        **({"money": money} if money is not None else {}),
        "removed": _name(G, remove_node) if remove_node is not None else remove_deal,
        "losses": losses,
        "loops_before": result.loops_before,
        # the lost loops start where `loops` and the report start them
        "loops_lost": [_from_biggest_payer({"members": [_name(G, m) for m in loop.members],
                                            "member_ids": list(loop.members)}, out_money)["members"]
                       for loop in result.loops_lost],
        "loop_bounds": result.loop_bounds,
    }


def _unknown_kept(G: nx.MultiDiGraph, company, category: str, lost: set) -> int:
    """How many deals of ``category`` (revenue, funding, capacity, equity) ``company`` keeps
    whose amount is unknown: "loses 100 % of its known funding" is then not all its funding."""
    kept = 0
    for edges, side in ((G.in_edges(company, keys=True, data=True), "payee_loses"),
                        (G.out_edges(company, keys=True, data=True), "payer_loses")):
        for _, _, k, d in edges:
            kind = DEAL_KINDS.get(d["kind"])
            if kind and getattr(kind, side) == category and k not in lost and d.get("amount") is None:
                kept += 1
    return kept


def _contradicting(G: nx.MultiDiGraph, deal: str) -> dict[str, Any]:
    """A deal that contradicts a doubtful claim, with what the report shows of it."""
    found = next((d for _, _, k, d in G.edges(keys=True, data=True) if k == deal), {})
    return {"deal": deal, "label": found.get("label"), "date": found.get("date"), "sources": found.get("sources", [])}


def _deal_line(G: nx.MultiDiGraph, u, v, key) -> dict[str, Any]:
    d = G.edges[u, v, key]
    reported = [c for c in d["claims"] if c["modality"] != "denied" and not c["doubtful"]]
    evidence = (reported or d["claims"] or [{}])[0]
    return {"id": key, "kind": d["kind"], "label": d["label"], "amount": d["amount"], "currency": d["currency"],
            "qualifier": d["qualifier"], "share": d["share"], "date": d["date"], "status": d["status"],
            "sources": d["sources"], "quote": evidence.get("quote"), "quote_document": evidence.get("document"),
            "inferred": d.get("inferred") or {},
            # a figure stated in another currency, or per period: what it was and, if it was
            # not counted, why (only on such deals, so one-currency reports keep their shape)
            **({k: d.get(k) for k in ("stated_amount", "stated_currency", "per", "term_months", "rate",
                                      "amount_unknown")}
               if d.get("amount_unknown") or d.get("rate") is not None or d.get("per") else {})}


def build_report(G: nx.MultiDiGraph, holdings: nx.MultiDiGraph, *, deal_kinds: Iterable[str],
                 sources: list[dict[str, Any]], conflicts: list[Conflict], totals: list[TotalCheck],
                 commentary: list[dict[str, Any]], as_of: str | None = None, max_length: int = 6) -> dict[str, Any]:
    """Everything the closed-loop report says, as plain data (the ``report --format json``).

    ``G`` is the money-flow graph with its claims, ``holdings`` the holding layer,
    ``deal_kinds`` the kind of each deal on record (what the report counts of them: not the
    whole records, which took 12 s to make at 100 000 deals), ``sources`` the rows of the saved
    query of that name, ``commentary`` the observations (:func:`dealgraph.flows.read_observations`:
    those with a speaker are commentary, the rest ``observations``), ``conflicts`` and
    ``totals`` what :mod:`dealgraph.conflicts` found.
    """
    deal_kinds = Counter(deal_kinds)
    inventory = loop_inventory(G, max_length=max_length)
    for cycle in inventory["cycles"]:
        ids = cycle["member_ids"]
        cycle["hops"] = [{
            "from": _name(G, ids[i]), "to": _name(G, ids[(i + 1) % len(ids)]),
            "deals": [_deal_line(G, ids[i], ids[(i + 1) % len(ids)], k) for k in cycle["deals"][i]],
        } for i in range(len(ids))]

    edges = list(G.edges(data=True))
    known = [d for _, _, d in edges if d["amount"] is not None]
    concentration = []
    # suppliers whose largest customers a stated total names: their HHI bound is tighter
    parts = {t.total: set(t.parts) for t in totals if t.largest_parts and t.measure == "share"}
    largest = {v for _, v, k, d in G.edges(keys=True, data=True)
               if d["kind"] == "revenue_share" and any(k in p for p in parts.values())}
    refused: dict = {}
    for supplier, c in revenue_concentration(G, largest_known=largest, refused=refused).items():
        concentration.append({
            "supplier": _name(G, supplier),
            "customers": [{"customer": _name(G, cust), "share": s} for cust, s in c.customers],
            "known_share": c.known_share, "hhi": c.hhi, "hhi_high": c.hhi_high, "top1": c.top1, "top2": c.top2,
            "largest_customers_known": supplier in largest,
            "effective_customers": c.effective_customers, "classification": c.classification,
            "classification_high": c.classification_high,
            "sources": sorted({s for _, v, d in G.in_edges(supplier, data=True)
                               if d["kind"] == "revenue_share" for s in d["sources"]}),
            # the shares may describe different years: an HHI of them mixes periods
            "periods": sorted({d.get("period") or d.get("date") or "undated"
                               for _, _, d in G.in_edges(supplier, data=True) if d["kind"] == "revenue_share"}),
        })
    # suppliers whose stated shares sum to more than all their revenue: said, not measured
    concentration_refused = [{
        "supplier": _name(G, supplier), "reason": reason,
        "sources": sorted({s for _, v, d in G.in_edges(supplier, data=True)
                           if d["kind"] == "revenue_share" for s in d["sources"]}),
    } for supplier, reason in refused.items()]
    return {
        **({"money": inventory["money"]} if "money" in inventory else {}),
        "as_of": as_of,
        "holds": {
            "documents": len(sources),
            "claims": sum(r["claims"] for r in sources),
            "observations": sum(r["observations"] for r in sources),
            "deals": sum(deal_kinds.values()),
            "deals_by_kind": dict(sorted(deal_kinds.items())),
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
        "concentration_refused": concentration_refused,
        "conflicts": [{**c.as_dict(), "contradicts": [_contradicting(G, deal) for deal in c.contradicts]}
                      for c in conflicts],
        "totals": [t.as_dict() for t in totals],
        # what commentators say, and the observations no one in particular says (market moves,
        # the interest on the loans, the opening price): facts the deals cannot hold
        "commentary": [c for c in commentary if c["speaker"]],
        "observations": [c for c in commentary if not c["speaker"]],
        "sources": sources,
    }
