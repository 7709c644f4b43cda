"""Measurements shared by the benchmark command and the ratio-guarding test: all in one process, so
ratios compare like with like on a noisy shared machine."""

from __future__ import annotations

import gc
import os
import statistics
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_APP = ROOT / "app.py"
NAIVE_APP = Path(__file__).resolve().parent / "naive_app.py"
MEAL_WIDGET_KEY = "f_meal"  # both apps name their meal filter this way


@dataclass(frozen=True)
class RerunResult:
    median_s: float
    runs: list[float]
    bytes_per_rerun: int
    peak_memory_bytes: int


@contextmanager
def registry_env(path: Path):
    previous = os.environ.get("SERVICEMAP_DATA")
    os.environ["SERVICEMAP_DATA"] = str(path)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SERVICEMAP_DATA", None)
        else:
            os.environ["SERVICEMAP_DATA"] = previous


def element_bytes(at: AppTest) -> int:
    """Serialized size of every element the run produced: what the server sends for one rerun."""
    total = 0

    def walk(node) -> None:  # noqa: ANN001 - AppTest nodes are untyped
        nonlocal total
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ByteSize"):
            total += proto.ByteSize()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return total


def time_filter_reruns(
    app: Path, registry: Path, repeats: int, timeout: float = 600, trace_memory: bool = True
) -> RerunResult:
    """Median wall time of a full script rerun after the meal filter changes (warm caches, as in use)."""
    with registry_env(registry):
        at = AppTest.from_file(str(app), default_timeout=timeout)
        at.run()
        choices = ["yes", "all"]
        runs: list[float] = []
        size = 0
        for i in range(repeats):
            at.radio(key=MEAL_WIDGET_KEY).set_value(choices[i % 2])
            gc.collect()
            start = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - start)
            if at.exception:
                raise RuntimeError(f"{app.name} failed: {at.exception[0].message}")
            size = max(size, element_bytes(at))
        # Memory is traced in separate runs: tracing slows Python down several times and would skew timing.
        peak = 0
        for choice in choices if trace_memory else ():
            at.radio(key=MEAL_WIDGET_KEY).set_value(choice)
            gc.collect()
            tracemalloc.start()
            at.run()
            peak = max(peak, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    return RerunResult(statistics.median(runs), runs, size, peak)


def median_time(action: Callable[[], object], repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)
