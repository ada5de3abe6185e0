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

Then the same figures on a held-out set, per language: ``benchmarks/articles/``, ten short
articles in the style of wire copy (two each in English, French, Italian, German and Spanish)
WRITTEN BY THE PROJECT, NOT REAL ARTICLES: the companies are real or invented, the deals, people,
quotes and figures invented. Each ``NAME.txt`` has a hand-written answer key ``NAME.yaml``
beside it (organisations with their spellings, money amounts with currency, percentages, deal
facts as payer/payee/kind/amount), written with the article and before the drafter was run on
it. The seed articles are English, French and Italian only, and the drafter was tuned on them;
the held-out set is what says how it reads articles it has not seen. On it:

- amounts need the exact value and the currency; "money, no such amount" counts the money
  mentions that are in no answer (a count of shares read as money is one);
- deal facts compare payer -> payee only (the key's kind is for the reader), so a fact drafted
  under another kind counts when its direction is right; a one-party fact (an IPO, a spending
  commitment) has one empty side;
- "no org": drafted entities that are none of the key's organisations (a capitalised German
  noun taken for a company is one);
- "+kind": the facts found that are also drafted with the key's kind (a lease as a lease, not
  as a compute contract; a warrant as a warrant);
- quotes: every drafted claim's quote must be in the article verbatim.

Run: .venv/bin/python benchmarks/bench_draft.py [ARTICLES_DIR]
    .venv/bin/python benchmarks/bench_draft.py --held-out   (the held-out set only)
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dealgraph.draft.drafter import draft_article  # noqa: E402
from dealgraph.draft.organisations import fold  # noqa: E402
from dealgraph.kinds import DEAL_KINDS  # noqa: E402
from dealgraph.models import SCALES  # noqa: E402
from dealgraph.seeds import default_documents_dir, default_seeds_dir, load_seeds  # noqa: E402



def _pct(a: int, b: int) -> str:
    """``a`` of ``b`` as a percentage, with the counts."""
    return f"{100 * a / b:.0f} % ({a}/{b})" if b else "n/a (0/0)"

def sides(kind: str, parties: dict) -> tuple[frozenset, frozenset]:
    """Payer and payee sets of a deal (a kind without a flow: its parties as the first side)."""
    row = DEAL_KINDS[kind]

    def ids(role):
        who = parties.get(role) if role else None
        return frozenset([] if who is None else [who] if isinstance(who, str) else who)

    if row.flow_from is None and row.flow_to is None:
        return frozenset().union(*(ids(r) for r in row.roles)), frozenset()
    return ids(row.flow_from), ids(row.flow_to)


def proposals(draft: dict, mapped: dict) -> list[tuple[tuple[frozenset, frozenset], set, str]]:
    """Each drafted deal as (its payer and payee sets, in the key's company ids where the
    article's names were matched, the amounts its claims state, its kind)."""
    out = []
    for d in draft["deals"]:
        payer, payee = sides(d["kind"], d["parties"])
        pair = (frozenset(mapped.get(p, p) for p in payer), frozenset(mapped.get(p, p) for p in payee))
        got = {c["amount"]["value"] * SCALES[c["amount"].get("scale", "unit")]
               for c in draft["claims"] if c["deal"] == d["id"] and c.get("amount")}
        out.append((pair, got, d["kind"]))
    return out


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

        proposed = [(pair, got) for pair, got, _ in proposals(draft, mapped)]
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

    print()
    print(f"recall, money amounts and percentages (exact value): {_pct(totals['amounts_found'], totals['amounts'])}")
    print(f"recall, organisations:                               {_pct(totals['orgs_found'], totals['orgs'])}")
    print(f"recall, deal facts (both sides, money's direction):  {_pct(totals['facts_found'], totals['facts'])}")
    print(f"recall, deal facts with their amount:                {_pct(totals['facts_amount'], totals['facts'])}")
    print(f"precision, proposed deals:                           {_pct(totals['proposed_right'], totals['proposed'])}")
    if times:
        print(f"seconds per article: mean {sum(times) / len(times):.2f}, max {max(times):.2f} "
              f"(the first loads the libraries)")


HELD_OUT = Path(__file__).resolve().parent / "articles"


def held_out(folder: Path = HELD_OUT) -> dict[str, dict[str, int]]:
    """Draft each article of ``folder`` against an empty seeds folder and score it against its
    answer key; print per article, per language and in all; return the totals per language."""
    import yaml

    keys = ["amounts", "amounts_found", "orgs", "orgs_found", "facts", "facts_found", "facts_amount", "facts_kind",
            "proposed", "proposed_right", "quotes", "quotes_verbatim", "stray_money", "extra_orgs"]
    by_lang: dict[str, dict[str, int]] = {}
    times: list[float] = []
    print(f"\nheld-out articles ({folder}): written by the project, not real articles")
    print(f"{'article':<24}{'amounts':>10}{'orgs':>9}{'facts':>9}{'+amount':>9}{'+kind':>9}{'deals ok':>10}"
          f"{'stray $':>8}{'no org':>7}{'s':>7}")
    for path in sorted(folder.glob("*.txt")):
        key = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        started = time.perf_counter()
        draft = draft_article(path.read_bytes(), path.name).data
        times.append(time.perf_counter() - started)

        canon = {}  # folded spelling -> the key's name
        for org in key["organisations"]:
            for n in [org["name"], *org.get("aliases", [])]:
                canon[fold(n)] = org["name"]
        money = [m for m in draft["mentions"] if m["kind"] == "money"]
        said = {(m.get(v, m["value"]), m["currency"]) for m in money for v in ("value", "min", "max")}
        answers = {(Decimal(str(a["value"])), a["currency"]) for a in key["amounts"]}
        answer_values = {v for v, _ in answers}
        amounts_found = len(answers & said)
        percents = {m["value"] for m in draft["mentions"] if m["kind"] == "percent"}
        wanted_percents = {Decimal(str(p)) for p in key.get("percents", [])}
        amounts_found += len(wanted_percents & percents)
        stray = sum(1 for m in money if m["value"] not in answer_values)

        mapped = {}
        for e in draft["entities"]:
            for name in [e["name"], *e["aliases"]]:
                if fold(name) in canon:
                    mapped[e["id"]] = canon[fold(name)]
                    break
        orgs_found = len(set(mapped.values()))

        def side(who):
            return frozenset([] if who is None else [who])

        facts = [((side(f["payer"]), side(f["payee"])), f.get("amount")) for f in key["facts"]]
        kinds = [f["kind"] for f in key["facts"]]
        drafted_kinds: dict = {}  # payer -> payee pair: the kinds drafted for it
        proposed = []
        for pair, got, kind in proposals(draft, mapped):
            proposed.append((pair, got))
            drafted_kinds.setdefault(pair, set()).add(kind)
        pairs = [pair for pair, _ in facts]
        right = sum(1 for pair, _ in proposed if pair in pairs)
        found = [(pair, amount) for pair, amount in facts if any(pair == p for p, _ in proposed)]
        with_amount = [f for f in found if f[1] is None or any(
            p == f[0] and Decimal(str(f[1])) in got for p, got in proposed)]
        with_kind = [f for f, kind in zip(facts, kinds) if kind in drafted_kinds.get(f[0], ())]
        quotes = [c["quote"] for c in draft["claims"]]
        row = {"amounts": len(answers) + len(wanted_percents), "amounts_found": amounts_found,
               "orgs": len(key["organisations"]), "orgs_found": orgs_found, "facts": len(facts),
               "facts_found": len(found), "facts_amount": len(with_amount), "facts_kind": len(with_kind),
               "proposed": len(proposed),
               "proposed_right": right, "quotes": len(quotes), "quotes_verbatim": sum(q in text for q in quotes),
               "stray_money": stray, "extra_orgs": len(draft["entities"]) - len(mapped)}
        totals = by_lang.setdefault(key["language"], dict.fromkeys(keys, 0))
        for k, v in row.items():
            totals[k] += v
        print(f"{path.stem:<24}{amounts_found:>5}/{row['amounts']:<4}{orgs_found:>4}/{row['orgs']:<4}"
              f"{len(found):>4}/{len(facts):<4}{len(with_amount):>4}/{len(facts):<4}{len(with_kind):>4}/{len(facts):<4}"
              f"{right:>5}/{len(proposed):<4}{stray:>8}{row['extra_orgs']:>7}{times[-1]:>7.2f}")

    every = {k: sum(t[k] for t in by_lang.values()) for k in keys}
    print(f"\n{'language':<10}{'amounts':>16}{'orgs':>16}{'facts':>16}{'+amount':>16}{'+kind':>16}{'deals ok':>16}"
          f"{'quotes':>16}{'stray $':>8}{'no org':>7}")
    for lang, t in [*sorted(by_lang.items()), ("all", every)]:
        print(f"{lang:<10}{_pct(t['amounts_found'], t['amounts']):>16}{_pct(t['orgs_found'], t['orgs']):>16}"
              f"{_pct(t['facts_found'], t['facts']):>16}{_pct(t['facts_amount'], t['facts']):>16}"
              f"{_pct(t['facts_kind'], t['facts']):>16}"
              f"{_pct(t['proposed_right'], t['proposed']):>16}{_pct(t['quotes_verbatim'], t['quotes']):>16}"
              f"{t['stray_money']:>8}{t['extra_orgs']:>7}")
    if times:
        print(f"seconds per article: mean {sum(times) / len(times):.2f}, max {max(times):.2f}")
    return by_lang


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--held-out" in args:
        held_out()
        sys.exit(0)
    folder = Path(args[0]) if args else default_documents_dir()
    if folder is None:
        sys.exit("give the folder of the seed articles (../shared/seeds)")
    main(folder)
    held_out()
