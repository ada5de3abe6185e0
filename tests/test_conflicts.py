"""Claims that disagree (dealgraph.conflicts) on the bundled seeds, and the one conflict rule."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dealgraph.conflicts import classify_conflict, find_conflicts


@pytest.fixture(scope="module")
def conflicts(memory_graph):
    return {(c.deal, c.property): c for c in find_conflicts(memory_graph.select)}


def test_a_denial_names_who_denies(conflicts):
    # 001: "all our contractual relationships continue as planned – nothing has been canceled and
    # no one has gone away from their obligations." (CoreWeave): the withdrawal that 000-002 report
    # is denied by CoreWeave, and the report says so (issue 10)
    denial = conflicts["coreweave-capacity-option-2025", "event"]
    assert denial.kind == "denied"
    reported, denied = denial.values
    assert (reported.modality, reported.value) == ("reported", "withdrawn by Microsoft")
    assert (denied.modality, denied.value, denied.speakers) == ("denied", "withdrawn by Microsoft", ["CoreWeave"])
    assert denied.documents == ["001_b5cf80015326deb3", "002_3b40e35e9b637772"]


def value(v, qualifier="exact", modality="reported", doubtful=False):
    return SimpleNamespace(value=v, qualifier=qualifier, modality=modality, doubtful=doubtful)


@pytest.mark.parametrize("prop, values, kind", [
    # 000-002 "nearly $12 billion" against 004's 11.9 bn: within 5 %, held the same way
    ("amount", [value(12e9, "nearly"), value(11.9e9)], "rounding"),
    # 003's 1.5 bn raised against 001's expected 2.5 bn: held differently, a real disagreement
    ("amount", [value(1.5e9), value(2.5e9, modality="expected")], "values differ"),
    ("amount", [value(1.5e9), value(1.5e9)], None),
    ("date", [value("2023", doubtful=True)], "doubtful"),
    ("event", [value("withdrawn by Microsoft"), value("withdrawn by Microsoft", modality="denied")], "denied"),
    ("event", [value("withdrawn by Microsoft")], None),
])
def test_the_conflict_rule(prop, values, kind):
    found = classify_conflict(prop, values)
    assert (found[0] if found else None) == kind


def test_a_value_only_an_inference_gives_is_marked(conflicts):
    # 004's 11.9 bn is the option's only by the curator's inference; 000-002's "nearly $12
    # billion" is stated
    amount = conflicts["coreweave-capacity-option-2025", "amount"]
    assert {(v.value, v.inferred) for v in amount.values} == {(12e9, False), (11.9e9, True)}
