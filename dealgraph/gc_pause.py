"""Python's cyclic garbage collector paused for a stage that makes millions of objects which all
outlive it: loading the seeds, mapping them to RDF, reading the records, projecting and
analysing them.

Why: the collector runs a full collection each time the objects that survived the last one have
grown by a quarter, and a full collection walks every object alive. A stage that builds a large
structure therefore walks it again and again as it grows: at 10 000 synthetic deals that was a
third of the load and RDF time of a build, and at 100 000 deals 7.6 s of the 26 s `dealgraph
loops` took (benchmarks/RESULTS.md). These stages make no reference cycles worth collecting
before they end; objects no longer referenced are still freed at once by reference counting,
and the collector resumes, with one collection, when the stage ends.

Kept free of every other dealgraph module: the read commands import it without pydantic.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import TypeVar

__all__ = ["collector_paused", "gc_paused"]

F = TypeVar("F", bound=Callable)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the ``with`` block (nested pauses: the outermost resumes)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def gc_paused(stage: F) -> F:
    """Run ``stage`` with the cyclic collector paused (a decorator)."""

    @functools.wraps(stage)
    def run(*args, **kwargs):
        with collector_paused():
            return stage(*args, **kwargs)

    return run  # type: ignore[return-value]
