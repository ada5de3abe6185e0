"""Issue 11, class 10: the amounts the analyses accept, and what every metric does outside them.

The rule (dealgraph/analysis/_graph.py, "The range of amounts"): an amount is a real number
(int, float, Decimal, Fraction, numpy number), missing/None/NaN for unknown, and otherwise 0
or between AMOUNT_MIN (1e-150) and AMOUNT_MAX (1e150). Inside, every metric gives the right
value; outside, a ValueError or TypeError whose message names the edge or node. Before the
fix: "12" and Decimal amounts were read silently, 1e-301 and a span of 1e300 raised
OverflowError, 1e308 gave NaN shares and a LinAlgError, revenue shares summing to 1.22 gave an
HHI, and DebtRank read a NaN buffer as "no buffer" and a negative one as a full hit.
"""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealgraph.analysis import (
    AMOUNT_MAX,
    AMOUNT_MIN,
    balancing_inputs,
    circulation_bound,
    clearable_share,
    cyclic_share,
    debt_rank,
    find_loops,
    finn_cycling_index,
    metrics_with_bounds,
    reciprocity,
    revenue_concentration,
    stress_test,
    timeline,
)

#: Every metric that reads edge amounts, called the way a user calls it.
METRICS = {
    "cyclic_share": cyclic_share,
    "clearable_share": clearable_share,
    "clearable_share highs": lambda G: clearable_share(G, method="highs"),
    "reciprocity": reciprocity,
    "circulation_bound": circulation_bound,
    "circulation_bound highs": lambda G: circulation_bound(G, method="highs"),
    "finn_cycling_index": finn_cycling_index,
    "finn balanced": lambda G: finn_cycling_index(G, inputs=balancing_inputs(G)),
    "balancing_inputs": balancing_inputs,
    "find_loops": find_loops,
    "stress_test": lambda G: stress_test(G, remove_node="a"),
    "timeline": lambda G: timeline([("2025-01", G)]),
    "metrics_with_bounds": lambda G: metrics_with_bounds(G, clearable_share),
    "debt_rank": lambda G: debt_rank(G, {n: 1.0 for n in G}, ["a"], exposure="amount"),
}


def triangle(ab, bc=2.0, ca=3.0):
    """a -> b -> c -> a, the first leg's amount given: every metric reads it."""
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="ab", amount=ab)
    G.add_edge("b", "c", key="bc", amount=bc)
    G.add_edge("c", "a", key="ca", amount=ca)
    return G


# --- types ----------------------------------------------------------------------------------


NOT_NUMBERS = ["12", "ten", b"12", True, 1 + 2j, object(), [1.0], Decimal("sNaN")]


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("bad", NOT_NUMBERS, ids=repr)
def test_a_non_number_is_a_type_error_naming_the_edge(metric, bad):
    # A string amount was read as the number it spells ("12" -> 12.0): data typed as text
    # upstream passed unnoticed.
    with pytest.raises(TypeError, match=r"edge 'a' -> 'b' \(deal 'ab'\): amount="):
        METRICS[metric](triangle(bad))


# Decimal is the seeds' money type (dealgraph.models.Amount) and is exact: a number, read as
# the float flows.py would make of it. So are Fractions and numpy's numbers.
NUMBERS = [4, 4.0, Decimal("4"), Decimal("4.000"), Fraction(4), np.float32(4), np.int64(4), np.float64(4)]


def timeless(result):
    """A result as plain data without the loop search's ``elapsed`` seconds, to compare."""
    if dataclasses.is_dataclass(result):
        result = dataclasses.asdict(result)
    if isinstance(result, dict):
        return {k: timeless(v) for k, v in result.items() if k != "elapsed"}
    if isinstance(result, (list, tuple)):
        return [timeless(v) for v in result]
    return result


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("good", NUMBERS, ids=repr)
def test_real_numbers_of_any_type_give_the_float_result(metric, good):
    assert timeless(METRICS[metric](triangle(good))) == timeless(METRICS[metric](triangle(4.0)))


@pytest.mark.parametrize("unknown", [None, math.nan, Decimal("NaN"), np.float64("nan")], ids=repr)
def test_none_and_nan_of_any_type_are_unknown(unknown):
    r = cyclic_share(triangle(unknown))
    assert r.coverage["edges_with_amount"] == 2 and r.total_amount == 5.0


# --- range ----------------------------------------------------------------------------------


OUT_OF_RANGE = [
    (-1.0, "negative"),
    (-0.0 - 1e-300, "negative"),
    (math.inf, "infinite"),
    (Decimal("Infinity"), "infinite"),
    (Decimal("1e400"), "infinite"),  # finite, but beyond every float
    (10**400, "infinite"),
    (1e308, "outside the range"),
    (1.5e150, "outside the range"),
    (9e-151, "outside the range"),
    (1e-300, "outside the range"),
    (5e-324, "outside the range"),  # the smallest subnormal
]


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("bad, says", OUT_OF_RANGE, ids=lambda x: repr(x)[:20])
def test_out_of_range_is_a_value_error_naming_the_edge(metric, bad, says):
    with pytest.raises(ValueError, match=rf"edge 'a' -> 'b' \(deal 'ab'\): amount.*{says}"):
        METRICS[metric](triangle(bad))


def test_the_message_says_what_to_do():
    with pytest.raises(ValueError, match=r"0, or 1e-150 to 1e\+150\); express the amounts in another unit"):
        cyclic_share(triangle(1e200))


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("edge", [0.0, AMOUNT_MIN, AMOUNT_MAX])
def test_the_bounds_themselves_and_zero_are_accepted(metric, edge):
    METRICS[metric](triangle(edge, AMOUNT_MAX, AMOUNT_MIN))


@pytest.mark.parametrize("method", ["network_simplex", "highs"])
@pytest.mark.parametrize(
    "amounts",
    [
        (1e-150, 1e-150, 1e-150),  # was OverflowError: 10.0 ** 159 as the network simplex's scale
        (1e-150, 1e150, 1e150),  # was OverflowError: 1e150 * 10**159 is no float
        (1e150, 1e150, 1e150),  # was an fsum overflow at 1e308
        (1e-150, 1e-150, 1e150),
    ],
)
def test_a_ring_clears_its_bottleneck_on_each_leg_at_the_extremes(amounts, method):
    # The only circulation on a simple cycle is its bottleneck on every leg.
    r = clearable_share(triangle(*amounts), method=method)
    total = math.fsum(amounts)
    assert r.total_amount == total
    if method == "network_simplex":
        assert r.cleared_amount == pytest.approx(3 * min(amounts), rel=1e-9)
        assert r.share == pytest.approx(3 * min(amounts) / total, rel=1e-9)
    else:  # HiGHS' tolerances are absolute on a unit scale: within 1e-7 of the largest leg
        assert abs(r.cleared_amount - 3 * min(amounts)) <= 1e-7 * max(amounts)
    assert 0.0 <= r.share <= 1.0


@pytest.mark.parametrize("amounts", [(1e150,) * 3, (1e-150,) * 3, (1e-150, 1e150, 1.0)])
def test_every_share_is_a_number_at_the_extremes(amounts):
    # 1e308 gave cyclic share NaN (inf / inf) and Finn a LinAlgError; the range keeps every
    # sum finite and every ratio a normal float.
    G = triangle(*amounts)
    assert cyclic_share(G).share == 1.0
    assert reciprocity(G).amount_share is not None or reciprocity(G).total_amount > 0
    r = finn_cycling_index(G, inputs={"a": amounts[0]})
    assert r.fci is not None and 0.0 <= r.fci <= 1.0 and math.isfinite(r.total_throughflow)
    c = circulation_bound(G)
    assert math.isfinite(c.high) and 0.0 <= c.share_high <= 1.0


# --- scale: the unit does not change a share --------------------------------------------------


@st.composite
def money_graphs(draw, max_nodes=7, max_edges=16, lo=-5, hi=5):
    """Small multigraphs with amounts of 10^lo to 10^hi, some unknown, some parallel."""
    n = draw(st.integers(2, max_nodes))
    edges = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.one_of(st.none(), st.floats(lo, hi)),
            ),
            min_size=1,
            max_size=max_edges,
        )
    )
    G = nx.MultiDiGraph()
    G.add_nodes_from(range(n))
    for i, (u, v, e) in enumerate(edges):
        G.add_edge(u, v, key=f"d{i}", amount=None if e is None else 10.0**e)
    return G


def rescaled(G, factor):
    H = G.copy()
    for *_, d in H.edges(data=True):
        if d["amount"] is not None:
            d["amount"] *= factor
    return H


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(G=money_graphs(), k=st.sampled_from([-440, -200, 200, 440]))
def test_shares_do_not_depend_on_the_unit(G, k):
    # A power of two rescales exactly: amounts of 1e-5..1e5 times 2^+-440 (1e+-132) are the
    # same money in another unit. Every share must be the same, every amount scale with it.
    factor = 2.0**k
    H = rescaled(G, factor)
    a, b = cyclic_share(G), cyclic_share(H)
    assert b.share == a.share and b.total_amount == a.total_amount * factor
    a, b = clearable_share(G), clearable_share(H)
    assert (a.share is None) == (b.share is None)
    if a.share is not None:
        # rounding to 1e9 units per smallest amount: 5e-10 relative, whatever the unit
        assert b.share == pytest.approx(a.share, rel=1e-9, abs=1e-12)
        assert b.cleared_amount == pytest.approx(a.cleared_amount * factor, rel=1e-9, abs=1e-12 * b.total_amount)
    a, b = finn_cycling_index(G, inputs={0: 1.0}), finn_cycling_index(H, inputs={0: factor})
    assert b.fci == pytest.approx(a.fci, rel=1e-12, abs=1e-14)
    a, b = circulation_bound(G), circulation_bound(H)
    assert a.unbounded == b.unbounded
    if a.share_high is not None:
        assert b.share_high == pytest.approx(a.share_high, rel=1e-9, abs=1e-12)


# --- hostile amounts: the right value or a clear error, for every metric ---------------------


HOSTILE = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e160, 1e160),
    st.integers(-(10**400), 10**400),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.text(max_size=4),
    st.booleans(),
    st.sampled_from([AMOUNT_MIN, AMOUNT_MAX, 0.0, -0.0, 5e-324, 1e308]),
)


def acceptable(x):
    """Whether the documented rule accepts x as an amount (None and NaN: unknown)."""
    if x is None:
        return True
    if isinstance(x, bool) or not isinstance(x, (int, float, Decimal, Fraction)):
        return False
    if isinstance(x, Decimal) and x.is_snan():
        return False
    try:
        f = float(x)
    except OverflowError:
        return False
    return math.isnan(f) or f == 0 or AMOUNT_MIN <= f <= AMOUNT_MAX


def numbers_in(result):
    """Every float inside a metric's result (dataclasses, dicts, tuples, lists)."""
    if isinstance(result, float):
        yield result
    elif isinstance(result, dict):
        for v in result.values():
            yield from numbers_in(v)
    elif isinstance(result, (list, tuple)):
        for v in result:
            yield from numbers_in(v)
    elif hasattr(result, "__dataclass_fields__"):
        for name in result.__dataclass_fields__:
            yield from numbers_in(getattr(result, name))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 5),
    edges=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), HOSTILE), min_size=1, max_size=10),
    metric=st.sampled_from(sorted(METRICS)),
)
def test_hostile_amounts_give_a_number_or_a_clear_error(n, edges, metric):
    G = nx.MultiDiGraph()
    G.add_nodes_from(["a", *range(n)])
    for i, (u, v, x) in enumerate(edges):
        G.add_edge(u % n, v % n, key=f"d{i}", amount=x)
    bad = [(u % n, v % n, f"d{i}") for i, (u, v, x) in enumerate(edges) if not acceptable(x)]
    try:
        result = METRICS[metric](G)
    except (TypeError, ValueError) as exc:
        # Refused: only for a bad amount, and the message names an edge that holds one.
        assert bad, f"{metric} refused acceptable amounts: {exc}"
        assert any(f"edge {u!r} -> {v!r} (deal {k!r})" in str(exc) for u, v, k in bad), str(exc)
        return
    assert not bad, f"{metric} accepted {bad}"
    for x in numbers_in(result):
        # inf is the documented "no bound" of circulation_bound; nothing is ever NaN
        assert not math.isnan(x), f"{metric} gave NaN"


# --- revenue shares of one supplier summing above 1 -----------------------------------------


def shares(*values, rounding=None):
    G = nx.MultiDiGraph()
    for i, s in enumerate(values):
        G.add_edge(f"c{i}", "s", key=f"r{i}", kind="revenue_share", share=s)
    kwargs = {} if rounding is None else {"rounding": rounding}
    return revenue_concentration(G, **kwargs)


@pytest.mark.parametrize(
    "values, rounding",
    [
        ((0.62, 0.6), None),  # 1.22: was an HHI of 7444, "highly concentrated"
        ((0.5, 0.3, 0.2, 0.9), None),
        ((0.62, 0.39 + 0.011), None),  # 1.021 > 1 + 2 * 0.005
        ((0.5, 0.5, 0.0001), 0.0),  # no rounding allowed
        ((1.0, 1.0), None),
    ],
)
def test_shares_above_all_the_revenue_are_refused(values, rounding):
    with pytest.raises(ValueError, match=r"supplier 's'.*sum to .*'c0' "):
        shares(*values, rounding=rounding)


@pytest.mark.parametrize(
    "values, rounding",
    [
        ((0.62, 0.39), None),  # 1.01: two whole percents, each off by up to half a point
        ((0.34, 0.33, 0.34), None),  # 1.01, three thirds rounded
        ((0.5, 0.5), 0.0),
        ((0.62, 0.6), 0.2),  # a caller who knows the shares are rough
    ],
)
def test_sums_within_rounding_are_read(values, rounding):
    c = shares(*values, rounding=rounding)["s"]
    assert c.hhi == pytest.approx(math.fsum(s * s for s in values) * 10_000)
    assert c.hhi_high == c.hhi  # nothing is left for unknown customers


@pytest.mark.parametrize("rounding", [-0.01, math.nan, math.inf, "0.01"])
def test_bad_rounding(rounding):
    with pytest.raises(ValueError, match="rounding"):
        shares(0.5, rounding=rounding)


@pytest.mark.parametrize("bad, error", [("0.5", TypeError), (Decimal("sNaN"), TypeError), (1.2, ValueError), (-0.1, ValueError)])
def test_a_share_that_is_not_a_fraction(bad, error):
    with pytest.raises(error, match="'c0' -> 's'"):
        shares(bad)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=1, max_size=8), st.floats(0, 1))
def test_shares_that_fit_are_read_and_bounded(raw, budget):
    # Shares scaled to sum to at most 1 are never refused, and their HHI lies in [0, 10 000].
    known = [s for s in raw if s is not None]
    total = sum(known)
    values = [None if s is None else (s * budget / total if total > 1 else s * budget) for s in raw]
    c = shares(*values)["s"]
    assert 0.0 <= c.hhi <= c.hhi_high <= 10_000 * (1 + 1e-9)
    assert c.known_share <= 1 + 1e-9


# --- DebtRank --------------------------------------------------------------------------------


def exposures():
    W = nx.DiGraph()
    W.add_edge("a", "b", exposure=5.0)
    W.add_edge("b", "c", exposure=20.0)
    return W


BUFFERS = {"a": 10.0, "b": 10.0, "c": 10.0}


@pytest.mark.parametrize(
    "buffer, error, says",
    [
        (math.nan, ValueError, r"buffer of 'b' is NaN"),  # was: read as a full hit (or "no buffer")
        (np.float64("nan"), ValueError, r"buffer of 'b' is NaN"),
        (-1.0, ValueError, r"buffer of 'b': negative .*shocked"),  # was: silently a full hit
        (math.inf, ValueError, r"buffer of 'b': infinite"),
        (1e200, ValueError, r"buffer of 'b': .*outside the range"),
        ("10", TypeError, r"buffer of 'b'='10' is not a number"),  # was: read as 10
        (None, ValueError, r"'b' has an exposure to 'a' but no buffer"),
    ],
)
def test_debt_rank_refuses_a_bad_buffer(buffer, error, says):
    with pytest.raises(error, match=says):
        debt_rank(exposures(), {**BUFFERS, "b": buffer}, ["a"])


@pytest.mark.parametrize(
    "value, error, says",
    [
        (-1.0, ValueError, r"value of 'a': negative"),  # was: v = (-1, 2), R = 1
        (math.nan, ValueError, r"value of 'a' is NaN"),  # was: every v silently 0
        (math.inf, ValueError, r"value of 'a': infinite"),
        ("1", TypeError, r"value of 'a'='1' is not a number"),
    ],
)
def test_debt_rank_refuses_a_bad_value(value, error, says):
    with pytest.raises(error, match=says):
        debt_rank(exposures(), BUFFERS, ["a"], values={"a": value, "b": 2.0})


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"psi": "0.5"}, TypeError),
        ({"psi": math.nan}, ValueError),
        ({"psi": 1.5}, ValueError),
        ({"max_iter": -1}, ValueError),
        ({"max_iter": 2.5}, ValueError),
        ({"values": [1.0, 2.0]}, TypeError),
    ],
)
def test_debt_rank_bad_arguments(kwargs, error):
    with pytest.raises(error):
        debt_rank(exposures(), BUFFERS, ["a"], **kwargs)


def test_debt_rank_buffers_must_be_a_mapping():
    with pytest.raises(TypeError, match="buffers must be a mapping"):
        debt_rank(exposures(), [10.0, 10.0, 10.0], ["a"])


def test_a_zero_buffer_is_a_full_hit():
    r = debt_rank(exposures(), {**BUFFERS, "b": 0.0}, ["a"])
    assert r.distress["b"] == 1.0  # W_ab = 1 when b has nothing to absorb the loss


@settings(max_examples=80, deadline=None)
@given(
    edges=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.floats(1e-3, 1e3)), min_size=1, max_size=15
    ),
    buffers=st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 1e3)), min_size=6, max_size=6),
    psi=st.floats(1e-6, 1.0),
)
def test_debt_rank_stays_in_its_range(edges, buffers, psi):
    W = nx.MultiDiGraph()
    W.add_nodes_from(range(6))
    for u, v, a in edges:
        W.add_edge(u, v, exposure=a)
    r = debt_rank(W, dict(enumerate(buffers)), [0], psi=psi)
    assert all(0.0 <= h <= 1.0 for h in r.distress.values())
    assert -1e-12 <= r.debtrank <= 1.0 + 1e-12
    assert sum(r.values.values()) == pytest.approx(1.0) or not any(r.values.values())


# --- Finn's boundary inputs: totals, not deals -------------------------------------------------


@pytest.mark.parametrize(
    "z, error, says",
    [
        (math.nan, ValueError, "input to 'a'"),
        (-1.0, ValueError, "input to 'a': negative"),
        (1e301, ValueError, r"input to 'a': .*outside the range the analyses accept \(0 to 1e\+300\)"),
        ("1", TypeError, "input to 'a'='1' is not a number"),
        (Decimal("1e400"), ValueError, "input to 'a': infinite"),
    ],
)
def test_finn_inputs_follow_the_rule_for_totals(z, error, says):
    with pytest.raises(error, match=says):
        finn_cycling_index(triangle(1.0), inputs={"a": z})


@pytest.mark.parametrize(
    "amounts, net",
    [
        # A difference of two amounts near the lower bound is below it: 1.5e-150 - 1e-150.
        ({("a", "b"): 1.5e-150, ("b", "a"): 1e-150}, {"a": 5e-151}),
        # A sum of amounts at the upper bound is above it: a pays 3 x 1e150 and gets 1e150.
        ({("a", "b"): 1e150, ("a", "c"): 1e150, ("a", "d"): 1e150, ("b", "a"): 1e150}, {"a": 2e150}),
    ],
)
def test_balancing_inputs_beyond_the_amount_range_are_read(amounts, net):
    # balancing_inputs makes totals; Finn must read what it makes.
    G = nx.DiGraph()
    for (u, v), a in amounts.items():
        G.add_edge(u, v, amount=a)
    z = balancing_inputs(G)
    assert z == pytest.approx(net, rel=1e-12)
    r = finn_cycling_index(G, inputs=z)
    assert r.fci is not None and 0.0 <= r.fci <= 1.0 and not r.closed_components


def test_a_tiny_input_is_a_nearly_closed_loop():
    # 1e-300 into a loop of 1e150: every unit returns, to double precision; no error.
    G = nx.DiGraph([("a", "b"), ("b", "a")])
    nx.set_edge_attributes(G, 1e150, "amount")
    r = finn_cycling_index(G, inputs={"a": 1e-300})
    assert r.fci == 1.0 and r.closed_components == ()


@pytest.mark.parametrize("z", [Decimal("2"), Fraction(2), 2, np.float32(2)], ids=repr)
def test_finn_inputs_of_any_real_type(z):
    expected = finn_cycling_index(triangle(1.0), inputs={"a": 2.0})
    assert finn_cycling_index(triangle(1.0), inputs={"a": z}) == expected
