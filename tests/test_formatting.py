"""The one formatter (dealgraph.formatting): how money, shares and kinds read wherever shown."""

from __future__ import annotations

import pytest

from dealgraph.formatting import kind_label, money, share


@pytest.mark.parametrize("args, kwargs, text", [
    ((11.9e9, "USD", "about"), {}, "about 11.9 bn USD"),
    ((100e9, "USD", "up_to"), {"short": True}, "≤100 bn USD"),
    ((250e6, "EUR"), {}, "250 m EUR"),
    ((1.2e12, "CNY"), {}, "1.2 tn CNY"),
    ((None, "USD"), {"low": 10e9, "high": 15e9}, "10 bn–15 bn USD"),
    ((None,), {}, "amount unknown"),
    ((None,), {"short": True, "unknown": ""}, ""),
    ((float("nan"), "USD"), {}, "amount unknown"),
])
def test_money(args, kwargs, text):
    assert money(*args, **kwargs) == text


@pytest.mark.parametrize("short, text", [(False, "nearly 11.9 bn USD"), (True, "≲11.9 bn USD")])
def test_nearly_keeps_its_marker(short, text):
    assert money(11.9e9, "USD", "nearly", short=short) == text


def test_share_and_kind_label():
    assert share(0.07, "nearly", "ownership") == "nearly 7 % of ownership"
    assert share(None, unknown="") == ""
    assert kind_label("capacity_backstop") == "Capacity backstop"
    assert kind_label("mystery_kind") == "mystery kind"
