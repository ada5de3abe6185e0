"""The generator's knobs, one table each: how deals of each kind are drawn and named, and the
odds and words every synthetic source shares.

The planners and writers read these and nothing else; what a kind *is* (its roles, its money
direction, what its share is of) stays in :data:`dealgraph.kinds.DEAL_KINDS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["KindDraw", "KIND_DRAWS", "AMOUNT_QUALIFIERS", "SHARE_QUALIFIERS", "AMOUNT_PLANTS", "AMOUNT_VERBS",
           "STATUS_WORDS", "OUTLETS", "POSITIONS", "COMMENTARY", "START", "END"]


@dataclass(frozen=True)
class KindDraw:
    """How the generator draws deals of one kind, and how a sentence names one."""

    #: Relative frequency among the deals off the planted loops.
    weight: int
    #: Median amount in USD; amounts are lognormal around it.
    median: float
    #: The statuses a deal passes through, in order; its reports start anywhere on the path.
    statuses: tuple[str, ...]
    #: How a sentence names the deal, from ``{payer}``, ``{payee}`` and ``{parties}`` (all of
    #: them, joined with "and").
    phrase: str
    #: The share of deals whose amount no source gives.
    unknown: float = 0.15
    #: Whether a party may withdraw (nobody withdraws from a stake, a share of revenue, an IPO
    #: or its own spending plan).
    withdrawable: bool = True


KIND_DRAWS: dict[str, KindDraw] = {
    "equity_investment": KindDraw(20, 4e8, ("announced", "signed", "completed"),
                                  "the investment of {payer} in {payee}"),
    "equity_stake": KindDraw(8, 1e9, ("active",), "the stake {payer} holds in {payee}",
                             unknown=0.6, withdrawable=False),
    "compute_contract": KindDraw(18, 1.5e9, ("announced", "signed", "active", "completed"),
                                 "the compute contract of customer {payer} with supplier {payee}"),
    "capacity_option": KindDraw(5, 3e9, ("signed", "active"), "the option of {payer} on capacity from {payee}"),
    "hardware_purchase": KindDraw(14, 6e8, ("announced", "signed", "completed"),
                                  "the hardware {payer} buys from {payee}"),
    "capacity_backstop": KindDraw(4, 2e9, ("signed", "active"),
                                  "the commitment of {payer} to buy the unsold capacity of {payee}"),
    "loan": KindDraw(10, 8e8, ("signed", "active", "completed"), "the loan from {payer} to {payee}"),
    "ipo": KindDraw(4, 1.2e9, ("announced", "completed"), "the initial public offering of {payee}",
                    withdrawable=False),
    "revenue_share": KindDraw(6, 5e8, ("active",), "the business {payer} gives {payee}",
                              unknown=0.75, withdrawable=False),
    "infrastructure_partnership": KindDraw(5, 2e10, ("announced", "active"),
                                           "the infrastructure partnership of {parties}"),
    "spending_commitment": KindDraw(6, 8e9, ("announced", "active"), "the AI spending plan of {payer}",
                                    withdrawable=False),
    # A warrant's money is the exercise price its holder pays the issuer, often unstated.
    "warrant": KindDraw(2, 5e8, ("signed", "active", "completed"), "the warrant {payee} issued to {payer}",
                        unknown=0.5),
    "lease": KindDraw(6, 1e9, ("announced", "signed", "active", "completed"),
                      "the lease of capacity {payer} takes from {payee}"),
}

#: How often an amount or a share is held each way (odds, summing to one).
AMOUNT_QUALIFIERS = (("exact", 0.62), ("about", 0.18), ("nearly", 0.07), ("more_than", 0.07), ("up_to", 0.06))
SHARE_QUALIFIERS = (("exact", 0.8), ("about", 0.1), ("more_than", 0.1))

#: How a later report may disagree about an amount: a rounder figure, another figure, or the
#: figure held differently (expected against reported).
AMOUNT_PLANTS = ("rounding", "figure", "modality")

AMOUNT_VERBS = {"reported": "is worth", "expected": "is expected to be worth", "target": "is hoped to reach"}
STATUS_WORDS = {"announced": "has been announced", "signed": "has been signed", "active": "is running",
                "completed": "has been completed"}
OUTLETS = ("Synthetic Wire", "The Example Times", "Placeholder Daily")
POSITIONS = ("chief executive", "chief financial officer", "analyst", "journalist")
COMMENTARY = ("depend too much on each other", "are spending ahead of demand", "lead the market")

#: The timeline the documents are published on.
START = dt.date(2023, 1, 1)
END = dt.date(2025, 12, 31)
