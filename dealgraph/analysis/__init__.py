"""Analyses of money-flow graphs: loops, circularity, cycling, concentration, stress, timeline.

Pure networkx: every function takes a money-flow graph (a ``networkx.MultiDiGraph`` with one
edge per deal, payer -> payee, or any ``networkx.DiGraph``), the name of the numeric edge
attribute to read, and returns plain data (frozen dataclasses and dicts). Unknown amounts are
left out of money sums and reported as coverage.

Amounts the analyses accept: a real number (int, float, Decimal, Fraction, numpy number; a
string such as "12" is refused with a TypeError naming the edge), missing, None or NaN for
unknown, and otherwise 0 or between :data:`AMOUNT_MIN` (1e-150) and :data:`AMOUNT_MAX`
(1e150) in whatever unit the graph uses; a negative, infinite or out-of-range amount is a
ValueError naming the edge (or the node, for boundary inputs and DebtRank buffers). In that
range every metric gives the right value: ratios of amounts and sums of them stay normal
floats, and each solver works where rounding cannot hurt it (exact integers for the network
simplex, a unit scale for HiGHS, no subtraction in Finn's index). See
:mod:`dealgraph.analysis._graph` for why the bounds are where they are.

- :mod:`~dealgraph.analysis.loops`: loop inventory (:func:`find_loops`).
- :mod:`~dealgraph.analysis.circularity`: :func:`cyclic_share`, :func:`clearable_share`,
  :func:`reciprocity`, :func:`metrics_with_bounds`.
- :mod:`~dealgraph.analysis.circulation`: what the record bounds when some legs have no amount:
  :func:`loop_circulation` (one loop), :func:`circulation_bound` (the graph).
- :mod:`~dealgraph.analysis.finn`: :func:`finn_cycling_index` (as enaR computes it).
- :mod:`~dealgraph.analysis.concentration`: :func:`revenue_concentration` (HHI).
- :mod:`~dealgraph.analysis.stress`: :func:`stress_test`, :func:`debt_rank`.
- :mod:`~dealgraph.analysis.timeline`: :func:`timeline` (month by month).

:mod:`~dealgraph.analysis._graph` holds the private helpers they share (reading amounts,
collapsing parallel edges, coverage, components, node order), and :class:`GraphReading`: one
reading of a graph that the metrics run on it share (``reading=``), so that a report running
twenty of them reads each graph once.
"""

from dealgraph.analysis._graph import AMOUNT_MAX, AMOUNT_MIN, GraphReading
from dealgraph.analysis.circularity import (
    Bounded,
    ClearableShare,
    CyclicShare,
    ReciprocalPair,
    Reciprocity,
    clearable_share,
    cyclic_share,
    metrics_with_bounds,
    reciprocity,
)
from dealgraph.analysis.circulation import (
    CirculationBound,
    LoopCirculation,
    circulation_bound,
    loop_circulation,
)
from dealgraph.analysis.concentration import (
    SupplierConcentration,
    classify_hhi,
    revenue_concentration,
)
from dealgraph.analysis.finn import (
    FinnCycling,
    balancing_inputs,
    finn_cycling_index,
    flow_intensities,
)
from dealgraph.analysis.loops import Loop, LoopSearch, find_loops
from dealgraph.analysis.stress import (
    CompanyLoss,
    DealNotFound,
    DebtRankResult,
    Exposure,
    StressResult,
    debt_rank,
    stress_test,
)
from dealgraph.analysis.timeline import timeline

__all__ = [
    # the range of amounts
    "AMOUNT_MIN",
    "AMOUNT_MAX",
    # one reading of a graph for all its metrics
    "GraphReading",
    # loops
    "find_loops",
    "Loop",
    "LoopSearch",
    # circularity
    "cyclic_share",
    "clearable_share",
    "reciprocity",
    "metrics_with_bounds",
    "CyclicShare",
    "ClearableShare",
    "Reciprocity",
    "ReciprocalPair",
    "Bounded",
    # circulation
    "loop_circulation",
    "circulation_bound",
    "LoopCirculation",
    "CirculationBound",
    # finn
    "finn_cycling_index",
    "flow_intensities",
    "balancing_inputs",
    "FinnCycling",
    # concentration
    "revenue_concentration",
    "classify_hhi",
    "SupplierConcentration",
    # stress
    "stress_test",
    "debt_rank",
    "StressResult",
    "CompanyLoss",
    "Exposure",
    "DebtRankResult",
    "DealNotFound",
    # timeline
    "timeline",
]
