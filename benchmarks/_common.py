"""Shared by the benchmark scripts: run each measurement in a fresh Python process, so its
time and peak memory (RSS) are its own, and print figures with ratios against baselines."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRELUDE = """
import json, resource, sys, time
def _done(seconds, **extra):
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps({"seconds": seconds, "rss_mib": rss, **extra}))
"""


def child(code: str, *, timeout: float = 3600) -> dict:
    """Run ``code`` (which calls ``_done(seconds, **extra)``) in a fresh interpreter."""
    script = PRELUDE + textwrap.dedent(code)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout,
                         cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{out.stderr[-2000:]}")
    line = [l for l in out.stdout.splitlines() if l.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])


def wall(command: list[str], repeat: int = 5) -> tuple[float, float]:
    """Best and median wall time of a command, run ``repeat`` times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[0], times[len(times) // 2]


def machine() -> str:
    mem = ""
    try:
        kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def row(label: str, seconds: float, rss: float | None = None, baseline: float | None = None,
        note: str = "") -> str:
    ratio = f"{seconds / baseline:6.2f}x" if baseline else "       "
    mem = f"{rss:8.0f} MiB" if rss is not None else " " * 12
    return f"  {label:<44}{seconds:9.3f} s {ratio} {mem}  {note}"
