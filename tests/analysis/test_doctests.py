"""Every docstring example in dealgraph.analysis runs."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "dealgraph.analysis",
    "dealgraph.analysis.loops",
    "dealgraph.analysis.circularity",
    "dealgraph.analysis.finn",
    "dealgraph.analysis.concentration",
    "dealgraph.analysis.stress",
    "dealgraph.analysis.timeline",
    "dealgraph.analysis.circulation",
    "dealgraph.analysis._graph",  # GraphReading's example
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES[1:])
def test_every_public_function_has_an_example(name):
    module = importlib.import_module(name)
    for attr in module.__all__:
        obj = getattr(module, attr)
        if callable(obj) and not isinstance(obj, type):
            assert ">>>" in (obj.__doc__ or ""), f"{name}.{attr} has no example"
