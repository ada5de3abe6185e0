"""What the documents say about each deal: one to ``documents_per_deal`` reports per deal (most
deals get one), each a few claims, and the disagreements planted among them.

The first report says what the deal is and the status it had; later ones repeat the figure,
or, where a conflict is planted, give a rounder, different or differently held figure, another
share or another date. Some deals end with a withdrawal (denied by the other party, or followed
by another company taking the payer's place), and a few reports hold a doubtful date. The
manifest reads the claims afterwards, so nothing here has to record what it makes conflict.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from .figures import Money, significant
from .network import Deal, Network
from .tables import AMOUNT_PLANTS, OUTLETS

__all__ = ["Claim", "ReportPlanner"]


@dataclass
class Claim:
    """One claim to write: what is said about a deal, and how."""

    modality: str = "reported"
    amount: Money | None = None
    share: tuple[Decimal, str, str] | None = None  # (percent, of, qualifier)
    # A partial date, or what to fill in once the documents have days: "DEAL" (the deal's
    # date), "OTHER" (a planted other month) or "DOUBTFUL" (a year that cannot be right).
    date: str | None = None
    until: str | None = None
    period: str | None = None
    price: Decimal | None = None
    capacity: Decimal | None = None
    status: str | None = None
    event: tuple[str, int, str | None] | None = None  # (kind, company index, role)
    speaker: str | None = None  # an entity id
    according_to: str | None = None
    doubtful: bool = False
    note: str | None = None
    event_date: str | None = None


class ReportPlanner:
    """Plans the reports of one deal after another, from the generator's one random stream."""

    def __init__(self, rng: random.Random, network: Network, documents_per_deal: int):
        self.rng = rng
        self.cast = network.cast
        self.tickets = network.tickets
        self.most = documents_per_deal
        # Doubtful dates are rarer in large networks, where a few dozen make the point.
        self.doubtful_odds = 0.005 + (0.01 if len(network.deals) < 2000 else 0)

    def plan(self, d: Deal) -> None:
        """Fill in ``d.reports`` (and what was planted, who withdrew and who took over)."""
        count = self._report_count()
        statuses = self._statuses(d, count)
        ending = self._ending(d)
        # A denied withdrawal is the last word: the report before it carries the last status.
        last_status = count - 2 if ending == "denied" and count >= 2 else count - 1
        opening, modality = self._first_report(d, statuses[0])
        first = opening[0]
        plant = self._plant(d, count, first)
        reports = [opening] + [self._later_report(d, j, statuses, last_status, plant, modality, first.modality)
                               for j in range(1, count)]
        if ending:
            self._withdrawal(d, reports, last_status, ending)
        self._doubtful_date(d, reports)
        for claims in reports:
            if not claims:  # every report says at least that the deal exists
                claims.append(Claim())
        d.reports = reports

    def _report_count(self) -> int:
        """1 to ``documents_per_deal``, each further report 40 % as likely as the one before."""
        count = 1
        while count < self.most and self.rng.random() < 0.4:
            count += 1
        return count

    def _statuses(self, d: Deal, count: int) -> list[str]:
        """The status at each report: somewhere on the kind's path, moving on half the time."""
        path = d.draw.statuses
        at = self.rng.randrange(len(path))
        statuses = []
        for _ in range(count):
            statuses.append(path[at])
            if at + 1 < len(path) and self.rng.random() < 0.5:
                at += 1
        return statuses

    def _ending(self, d: Deal) -> str | None:
        """How the last reports end the deal: "withdrawn", "denied" (a withdrawal the other side
        denies), "assumed" (a withdrawal and a take-over), or None. Loops stay clean."""
        if d.loop is not None or not d.draw.withdrawable:
            return None
        x = self.rng.random()
        if x < 0.03 and d.kind.flow_from and d.kind.flow_to and self.cast.count >= 3:
            return "assumed"
        if x < 0.09:
            return "denied" if self.rng.random() < 0.3 else "withdrawn"
        return None

    def _first_report(self, d: Deal, status: str) -> tuple[list[Claim], str]:
        """What the deal is and the status it had; and how its amount is held (reported, or
        expected while it is only announced)."""
        rng = self.rng
        name = d.kind.name
        first = Claim(status=status if name != "revenue_share" or rng.random() < 0.5 else None)
        if name != "revenue_share" and rng.random() < 0.7:  # a revenue share has a period instead
            first.date = "DEAL"
        first.period, first.until, first.share = d.period, d.until, d.share
        if name == "ipo" and rng.random() < 0.5:
            first.price = significant(rng.uniform(8, 80), 2)
        if name == "infrastructure_partnership" and rng.random() < 0.4:
            first.capacity = significant(rng.uniform(0.2, 8), 2)
        modality = "reported"
        if d.money and status == "announced" and (rng.random() < 0.4 or name == "ipo"):
            modality = "expected"
        claims = [first]
        if d.money:
            if rng.random() < 0.25 and d.loop is None:  # amount and status in separate sentences
                claims.append(Claim(modality=modality, amount=d.money))
            else:
                first.amount, first.modality = d.money, modality
        if rng.random() < 0.08:
            first.speaker = self.cast.random_person(rng)
        if rng.random() < 0.1:
            first.according_to = rng.choice(OUTLETS)
        return claims, modality

    def _plant(self, d: Deal, count: int, first: Claim) -> str | None:
        """The conflict the second report plants: one of AMOUNT_PLANTS, "share", "date" or None."""
        if count < 2 or d.loop is not None:
            return None
        x = self.rng.random()
        if d.money and x < 0.25:
            return self.rng.choice(AMOUNT_PLANTS)
        if d.share and x < 0.45:
            return "share"
        if first.date and x < 0.3:
            return "date"
        return None

    def _later_report(self, d: Deal, j: int, statuses: list[str], last_status: int, plant: str | None,
                      modality: str, first_modality: str) -> list[Claim]:
        """Report ``j`` (1 or more): a new status, the figure and share again, or the planted conflict."""
        rng = self.rng
        claim = Claim()
        if j <= last_status and (statuses[j] != statuses[j - 1] or rng.random() < 0.3):
            claim.status = statuses[j]
        if d.money and (plant in AMOUNT_PLANTS or rng.random() < 0.6):
            claim.amount, claim.modality = d.money, modality
            if plant in AMOUNT_PLANTS and j == 1:
                claim.amount, claim.modality = self._variant(d.money, plant, modality)
                d.planted["amount"] = plant
        # A share repeated under another modality would be a conflict nobody planted.
        if d.share and (plant == "share" or rng.random() < 0.5) and claim.modality == first_modality:
            claim.share = d.share
            if plant == "share" and j == 1:
                claim.share = self._other_share(d.share)
                d.planted["share"] = "share"
        if plant == "date" and j == 1:
            claim.date = "OTHER"
            d.planted["date"] = "date"
        return [claim] if claim.status or claim.amount or claim.share or claim.date else []

    def _variant(self, m: Money, plant: str, modality: str) -> tuple[Money, str]:
        """The planted other amount, and how it is held."""
        rng = self.rng
        if plant == "rounding":  # a rounder figure, held the same way
            value = significant(float(m.value), 1)
            qualifier = "about" if value != m.value else rng.choice(("about", "nearly"))
            if qualifier == m.qualifier:
                qualifier = "nearly" if qualifier == "about" else "about"
            return Money(value, m.scale, qualifier), modality
        if plant == "figure":  # another figure, 10 to 50 % away
            for _ in range(10):
                value = significant(float(m.value) * rng.choice((rng.uniform(0.5, 0.9), rng.uniform(1.1, 1.5))), 2)
                if value > 0 and value != m.value:
                    return Money(value, m.scale, m.qualifier if m.min is None else "exact"), modality
            return Money(m.value * 2, m.scale), modality
        # "modality": the same deal held differently: hoped for, or expected, against reported
        other = "reported" if modality != "reported" else rng.choice(("expected", "target"))
        value = significant(float(m.value) * rng.uniform(0.7, 1.3), 2)
        return Money(value if value > 0 else m.value, m.scale, rng.choice(("exact", "up_to"))), other

    def _other_share(self, share: tuple[Decimal, str, str]) -> tuple[Decimal, str, str]:
        """The planted other share: one to three points off, within 1-100 %."""
        pct, of, q = share
        other = max(Decimal(1), min(Decimal(100), pct + self.rng.choice((-3, -2, -1, 1, 2, 3))))
        if other == pct:
            other = pct + 1 if pct < 100 else pct - 1
        return other, of, q

    def _withdrawal(self, d: Deal, reports: list[list[Claim]], at: int, ending: str) -> None:
        """The payer withdraws in report ``at``; another company takes its place, or the other
        side denies the withdrawal in the last report."""
        payer = d.party(d.kind.flow_from) if d.kind.flow_from else self.rng.choice(next(iter(d.parties.values())))
        d.withdrawn_by = payer
        reports[at].append(Claim(event=("withdrawn", payer, None)))
        if ending == "assumed":
            taker = self._taker(payer, d.party(d.kind.flow_to))
            if taker is not None:
                d.assumed_by = taker
                reports[at].append(Claim(event=("assumed", taker, d.kind.flow_from)))
        elif ending == "denied":
            others = [c for who in d.parties.values() for c in who if c != payer]
            speaker = d.party(d.kind.flow_to) if d.kind.flow_to else (others[0] if others else payer)
            reports[-1].append(Claim(modality="denied", event=("withdrawn", payer, None),
                                     speaker=self.cast.ids[speaker]))
            d.planted["event"] = "denial"

    def _taker(self, payer: int, payee: int) -> int | None:
        """Who takes the payer's place: a hub if one ranks below the payee (so money keeps
        flowing up the ranks), else any company that does; None when none does."""
        rank, by_rank = self.cast.rank, self.cast.by_rank
        for _ in range(20):
            c = self.tickets.pick(exclude=(payer, payee))
            if rank[c] < rank[payee]:
                return c
        if rank[payee] < 2:  # only the payer ranks below the payee
            return None
        taker = by_rank[self.rng.randrange(rank[payee])]
        return by_rank[(rank[payer] + 1) % rank[payee]] if taker == payer else taker

    def _doubtful_date(self, d: Deal, reports: list[list[Claim]]) -> None:
        """Now and then, a report dates the deal years too early (a curator would mark it doubtful)."""
        if d.loop is None and self.rng.random() < self.doubtful_odds:
            reports[self.rng.randrange(len(reports))].append(Claim(
                date="DOUBTFUL", doubtful=True,
                note="Planted by dealgraph synth: the date contradicts the rest of the report."))
            d.planted["date"] = "doubtful"
