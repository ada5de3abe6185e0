"""The one table of deal kinds.

Every rule that depends on what kind of deal something is lives here: which roles a deal
of that kind must and may have, which role money flows from and to, which layer of the
money-flow graph its edge belongs to, and what each side loses when the other goes away
(for the stress test). The loader, the RDF mapping, the money-flow projection, the SHACL
shapes test and the analyses all read this table; nothing else branches on a kind.

A deal is a node with parties in roles (FollowTheMoney's "interval" pattern), so a kind with
no payer (an IPO is paid by the public market, outside the graph) or no payee (a spending
commitment) simply has ``flow_from`` or ``flow_to`` set to None.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DealKind", "DEAL_KINDS", "KIND_BY_TERM", "ROLES", "UNKNOWN_KIND_COLOR", "STAGES", "CUMULATIVE_STAGES",
           "CUMULATIVE_STAGE_LABELS", "STAGE_OF_STATUS", "stage_of"]


@dataclass(frozen=True)
class DealKind:
    name: str
    #: The class of this kind in ontology/dealgraph.ttl (dg:<term>).
    term: str
    label: str
    required_roles: tuple[str, ...]
    optional_roles: tuple[str, ...] = ()
    flow_from: str | None = None
    flow_to: str | None = None
    #: "flow" for money that changes hands, "holding" for ownership (owner -> owned),
    #: None for kinds that make no edge between two companies.
    layer: str | None = "flow"
    #: What the payee loses when the payer disappears ("revenue" or "funding"), and what the
    #: payer loses when the payee disappears ("capacity", "equity" or None).
    payee_loses: str | None = None
    payer_loses: str | None = None
    #: What a share stated on a deal of this kind is a share of ("revenue", "ownership"), or
    #: None when the kind carries no share.
    share_of: str | None = None
    #: How the kind is shown: ``label`` in sentences, the legend and tooltips; ``short`` in
    #: table cells and edge labels, where room is short; ``colour`` on the view
    #: (colour-blind-friendly where possible; red is kept for loops). JSON keeps ``name``.
    colour: str = "#7f7f7f"  # UNKNOWN_KIND_COLOR: kinds that draw no edge
    short: str = ""
    #: The commitment stage of a deal of this kind that is ``active``: money handed over when
    #: the deal starts (a loan, an equity investment) is realised; a running contract is paid
    #: as it goes, so what it is worth is committed.
    active_stage: str = "committed"
    #: The stage of a deal with no status: a revenue share describes revenue already earned.
    stage_without_status: str = "announced"
    #: Statuses whose stage differs, for this kind, from :data:`STAGE_OF_STATUS` (pairs, so the
    #: row stays hashable). A warrant is a right, not a duty: the holder pays only if it
    #: exercises, so a signed or running warrant is money that may move (announced), and only an
    #: exercised one (``completed``) is money that moved.
    stage_overrides: tuple[tuple[str, str], ...] = ()

    @property
    def roles(self) -> tuple[str, ...]:
        return self.required_roles + self.optional_roles


DEAL_KINDS: dict[str, DealKind] = {
    k.name: k
    for k in [
        DealKind("equity_investment", "EquityInvestment", "Equity investment", ("investor", "investee"),
                 flow_from="investor", flow_to="investee",
                 payee_loses="funding", payer_loses="equity",
                 colour="#1f77b4", short="equity", active_stage="realised"),
        DealKind("equity_stake", "EquityStake", "Equity stake", ("owner", "owned"),
                 flow_from="owner", flow_to="owned", layer="holding",
                 payee_loses="funding", payer_loses="equity",
                 share_of="ownership", colour="#7b4fa0", short="stake", active_stage="realised"),
        DealKind("compute_contract", "ComputeContract", "Compute capacity contract", ("customer", "supplier"),
                 flow_from="customer", flow_to="supplier",
                 payee_loses="revenue", payer_loses="capacity",
                 colour="#ef8a17", short="compute"),
        DealKind("capacity_option", "CapacityOption", "Option on compute capacity", ("customer", "supplier"),
                 flow_from="customer", flow_to="supplier",
                 payee_loses="revenue", payer_loses="capacity",
                 colour="#c9a100", short="option"),
        DealKind("hardware_purchase", "HardwarePurchase", "Hardware purchase", ("buyer", "seller"),
                 flow_from="buyer", flow_to="seller",
                 payee_loses="revenue", payer_loses="capacity",
                 colour="#2ca25f", short="hardware"),
        DealKind("capacity_backstop", "CapacityBackstop", "Capacity backstop", ("backstop_buyer", "provider"),
                 flow_from="backstop_buyer", flow_to="provider",
                 payee_loses="revenue", payer_loses="capacity",
                 colour="#17a2b8", short="backstop"),
        DealKind("loan", "Loan", "Loan", ("lender", "borrower"),
                 flow_from="lender", flow_to="borrower",
                 payee_loses="funding", payer_loses=None,
                 colour="#8c564b", short="loan", active_stage="realised"),
        DealKind("ipo", "PublicOffering", "Initial public offering", ("issuer",), ("underwriter", "anchor_investor"),
                 flow_from=None, flow_to="issuer", payee_loses="funding",
                 colour="#e377c2", short="IPO"),
        DealKind("revenue_share", "RevenueShare", "Share of a supplier's revenue", ("customer", "supplier"),
                 flow_from="customer", flow_to="supplier",
                 payee_loses="revenue", payer_loses="capacity",
                 share_of="revenue", colour="#6b8e23", short="rev. share", stage_without_status="realised"),
        DealKind("infrastructure_partnership", "InfrastructurePartnership", "Infrastructure partnership", ("partner",),
                 layer=None, short="partnership"),
        DealKind("spending_commitment", "SpendingCommitment", "Spending commitment", ("spender",),
                 flow_from="spender", flow_to=None, layer=None, short="spending"),
        # A warrant: the issuer grants the holder the right to buy up to a number of its shares
        # (the claim's ``quantity``, unit "shares") at an exercise price (the claim's ``price``,
        # per share). Money goes holder -> issuer, and only on exercise (see stage_overrides);
        # what the holder may lose is the equity it would have had. AMD's warrant to OpenAI for
        # up to 160 million shares is one: announced and vesting, it moves no money yet.
        DealKind("warrant", "Warrant", "Warrant", ("issuer", "holder"),
                 flow_from="holder", flow_to="issuer",
                 payee_loses="funding", payer_loses="equity",
                 colour="#3f3f9f", short="warrant", active_stage="announced",
                 stage_overrides=(("signed", "announced"), ("assumed", "announced"))),
        # A lease: the lessee pays the lessor for the use of an asset (data-centre space, GPUs)
        # for a term. A rent-back is a lease whose lessee also supplies the lessor (a chip maker
        # renting back capacity from a cloud it sells to): two deals in opposite directions
        # between the same pair, which the graph shows as a reciprocal pair and a loop of two,
        # so no kind of its own. A running lease is paid as it goes: committed, as a contract.
        DealKind("lease", "Lease", "Lease", ("lessor", "lessee"),
                 flow_from="lessee", flow_to="lessor",
                 payee_loses="revenue", payer_loses="capacity",
                 colour="#006d77", short="lease"),
    ]
}

#: Every role any kind uses, in a stable order (the ontology declares one property each).
ROLES: tuple[str, ...] = tuple(dict.fromkeys(r for k in DEAL_KINDS.values() for r in k.roles))

#: Commitment stages, from money that moved to money only planned. Every money figure is given
#: per cumulative stage: realised; realised and committed; all.
STAGES: tuple[str, ...] = ("realised", "committed", "announced")
CUMULATIVE_STAGES: dict[str, tuple[str, ...]] = {
    "realised": ("realised",), "realised+committed": ("realised", "committed"), "all": STAGES}
#: How each cumulative stage is named to people (the report, the view's filter).
CUMULATIVE_STAGE_LABELS: dict[str, str] = {
    "realised": "realised", "realised+committed": "realised + committed", "all": "all (with announced plans)"}

#: The stage a status puts a deal's money in (``active`` depends on the kind, see
#: ``DealKind.active_stage``); a withdrawn deal's money is in none.
STAGE_OF_STATUS: dict[str, str | None] = {
    "announced": "announced",   # made public, not signed: a plan, a letter of intent
    "signed": "committed",      # a signed contract, a backstop
    "assumed": "committed",     # an option taken over
    "completed": "realised",    # a purchase made, an investment paid, IPO proceeds raised
    "withdrawn": None,
}


def stage_of(kind: str, status: str | None, modality: str | None = "reported") -> str | None:
    """The commitment stage of a deal's money, from its kind, status and the modality of the
    claim its amount comes from: an expected or hoped-for figure is announced, whatever the
    status (a "will invest" is a plan).

    >>> stage_of("compute_contract", "signed"), stage_of("loan", "active"), stage_of("ipo", "completed", "expected")
    ('committed', 'realised', 'announced')
    >>> stage_of("warrant", "signed"), stage_of("warrant", "active"), stage_of("warrant", "completed")
    ('announced', 'announced', 'realised')
    """
    row = DEAL_KINDS[kind]
    if modality in ("expected", "target"):
        return "announced"
    if status is None:
        return row.stage_without_status
    if status == "active":
        return row.active_stage
    return dict(row.stage_overrides).get(status, STAGE_OF_STATUS[status])


#: A deal's class IRI local name (``EquityInvestment``) -> its kind's row.
KIND_BY_TERM: dict[str, DealKind] = {k.term: k for k in DEAL_KINDS.values()}

#: How a kind the table does not know (data from elsewhere) is drawn.
UNKNOWN_KIND_COLOR = "#7f7f7f"
