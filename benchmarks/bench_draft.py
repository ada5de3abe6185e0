"""How well `dealgraph draft` reads the five seed articles, against the curated seeds.

Each article is drafted against an EMPTY seeds folder, so every organisation has to be found
in the text, not looked up; the drafted entities are then matched to the curated ones by their
names and aliases (case- and accent-insensitively). Printed, per article and in all:

- amounts: the money amounts and percentages the curated claims, statements and totals state
  (values in units), found among the draft's mentions with the exact value;
- organisations: the organisations (not people) the curated records of the article name
  (deal parties, `about`), found among the drafted entities;
- deal facts: the curated deals the article states (stated claims), as payer -> payee (the
  kind's money direction), found among the proposed deals with the same two sides; "with
  amount" also needs one of the curated claim's amounts on a drafted claim of that deal;
- precision: the proposed deals whose payer -> payee is one of the article's curated facts;
- seconds per article (the first pays the libraries' loading).

Run: .venv/bin/python benchmarks/bench_draft.py [ARTICLES_DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dealgraph.draft.drafter import draft_article  # noqa: E402
from dealgraph.draft.organisations import fold  # noqa: E402
from dealgraph.kinds import DEAL_KINDS  # noqa: E402
from dealgraph.models import SCALES  # noqa: E402
from dealgraph.seeds import default_documents_dir, default_seeds_dir, load_seeds  # noqa: E402


def sides(kind: str, parties: dict) -> tuple[frozenset, frozenset]:
    """Payer and payee sets of a deal (a kind without a flow: its parties as the first side)."""
    row = DEAL_KINDS[kind]

    def ids(role):
        who = parties.get(role) if role else None
        return frozenset([] if who is None else [who] if isinstance(who, str) else who)

    if row.flow_from is None and row.flow_to is None:
        return frozenset().union(*(ids(r) for r in row.roles)), frozenset()
    return ids(row.flow_from), ids(row.flow_to)


def reference(seeds, doc: str) -> dict:
    money, percents, orgs, facts = set(), set(), set(), {}
    for d, c in seeds.claims:
        if d != doc:
            continue
        deal = seeds.deals[c.deal]
        orgs |= {p for r in deal.parties for p in deal.party_ids(r)}
        for a in (c.amount, c.price):
            if a is not None:
                money.add(a.value)
        if c.share is not None:
            percents.add(c.share.percent)
        if c.basis == "stated":
            fact = facts.setdefault(c.deal, {"sides": sides(deal.kind, deal.parties), "amounts": set()})
            if c.amount is not None:
                fact["amounts"].add(c.amount.value)
    for d, s in seeds.statements:
        if d == doc:
            orgs |= set(s.about)
            if s.amount is not None:
                money.add(s.amount.value)
            if s.share is not None:
                percents.add(s.share.percent)
    for d, t in seeds.totals:
        if d == doc:
            if t.amount is not None:
                money.add(t.amount.value)
            if t.share is not None:
                percents.add(t.share.percent)
    orgs = {o for o in orgs if seeds.entities[o].kind != "person"}
    return {"money": money, "percents": percents, "orgs": orgs, "facts": facts}


def main(articles: Path) -> None:
    seeds = load_seeds(default_seeds_dir())
    alias_of = {fold(n): e.id for e in seeds.entities.values() for n in [e.name, *e.aliases]}
    totals = dict.fromkeys(["amounts", "amounts_found", "orgs", "orgs_found", "facts", "facts_found",
                            "facts_amount", "proposed", "proposed_right"], 0)
    times = []
    print(f"{'article':<24}{'amounts':>10}{'orgs':>9}{'facts':>9}{'+amount':>9}{'deals ok':>10}{'s':>7}")
    for doc in sorted(seeds.documents):
        path = articles / f"{doc}.txt"
        if not path.is_file():
            print(f"{doc}: no text in {articles}")
            continue
        started = time.perf_counter()
        draft = draft_article(path.read_bytes(), path.name).data
        times.append(time.perf_counter() - started)
        ref = reference(seeds, doc)

        values = set()
        for m in draft["mentions"]:
            if m["kind"] == "money":
                values |= {m["value"], m.get("min", m["value"]), m.get("max", m["value"])}
        percents = {m["value"] for m in draft["mentions"] if m["kind"] == "percent"}
        amounts_found = len(ref["money"] & values) + len(ref["percents"] & percents)
        amounts = len(ref["money"]) + len(ref["percents"])

        # drafted entity id -> curated id, by any of its spellings
        mapped = {}
        for e in draft["entities"]:
            for name in [e["name"], *e["aliases"]]:
                if fold(name) in alias_of:
                    mapped[e["id"]] = alias_of[fold(name)]
                    break
        orgs_found = len(ref["orgs"] & set(mapped.values()))

        proposed = []
        for d in draft["deals"]:
            payer, payee = sides(d["kind"], d["parties"])
            pair = (frozenset(mapped.get(p, p) for p in payer), frozenset(mapped.get(p, p) for p in payee))
            got = {c["amount"]["value"] * SCALES[c["amount"].get("scale", "unit")]
                   for c in draft["claims"] if c["deal"] == d["id"] and c.get("amount")}
            proposed.append((pair, got))
        pairs = [f["sides"] for f in ref["facts"].values()]
        right = sum(1 for pair, _ in proposed if pair in pairs)
        found = [f for f in ref["facts"].values() if any(pair == f["sides"] for pair, _ in proposed)]
        with_amount = [f for f in found if not f["amounts"] or any(
            pair == f["sides"] and got & f["amounts"] for pair, got in proposed)]

        row = {"amounts": amounts, "amounts_found": amounts_found, "orgs": len(ref["orgs"]), "orgs_found": orgs_found,
               "facts": len(ref["facts"]), "facts_found": len(found), "facts_amount": len(with_amount),
               "proposed": len(proposed), "proposed_right": right}
        for k, v in row.items():
            totals[k] += v
        print(f"{doc:<24}{amounts_found:>5}/{amounts:<4}{orgs_found:>4}/{len(ref['orgs']):<4}"
              f"{len(found):>4}/{len(ref['facts']):<4}{len(with_amount):>4}/{len(ref['facts']):<4}"
              f"{right:>5}/{len(proposed):<4}{times[-1]:>7.2f}")

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:.0f} % ({a}/{b})" if b else "n/a (0/0)"

    print()
    print(f"recall, money amounts and percentages (exact value): {pct(totals['amounts_found'], totals['amounts'])}")
    print(f"recall, organisations:                               {pct(totals['orgs_found'], totals['orgs'])}")
    print(f"recall, deal facts (both sides, money's direction):  {pct(totals['facts_found'], totals['facts'])}")
    print(f"recall, deal facts with their amount:                {pct(totals['facts_amount'], totals['facts'])}")
    print(f"precision, proposed deals:                           {pct(totals['proposed_right'], totals['proposed'])}")
    if times:
        print(f"seconds per article: mean {sum(times) / len(times):.2f}, max {max(times):.2f} "
              f"(the first loads the libraries)")


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else default_documents_dir()
    if folder is None:
        sys.exit("give the folder of the seed articles (../shared/seeds)")
    main(folder)
