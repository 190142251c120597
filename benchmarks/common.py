"""What every benchmark section shares: timing with a cleared cache, interleaving, one line."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sympy as sp
from sympy.core.cache import clear_cache

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sigderiv.sandbox.bound import dumps, loads  # noqa: E402

X = sp.Symbol("x")


SIGMOID = 1 / (1 + sp.exp(-X))


def run_child(argv: list[str]) -> tuple[float, int]:
    """Run ``argv``; return (wall seconds, peak resident memory in KiB)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} failed")
    return elapsed, usage.ru_maxrss


def timed(work: Callable[..., object], *expressions: sp.Expr) -> float:
    """Seconds ``work(*copies)`` takes, with SymPy's cache cleared and fresh ``copies``.

    SymPy keeps what it learnt about an expression (is it positive? a number?) on the
    expression itself, where ``clear_cache`` does not reach: timing the same object again
    and again would time a warm expression. Each run gets a copy made after the cache is
    cleared, on both sides (a derivation's worker gets a copy anyway).
    """
    clear_cache()
    copies = [loads(dumps(e)) for e in expressions]
    started = time.perf_counter()
    work(*copies)
    return time.perf_counter() - started


def interleaved(
    ours: Callable[[], float], theirs: Callable[[], float], repeats: int
) -> tuple[float, float]:
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeats):
        b.append(theirs())
        a.append(ours())
    return statistics.median(a), statistics.median(b)


def figure(name: str, ours: float, theirs: float, unit: str, target: float | None) -> str:
    ratio = ours / theirs if theirs else float("inf")
    goal = (
        ""
        if target is None
        else f"  target ≤ {target:g}×  {'met' if ratio <= target else 'MISSED'}"
    )
    return f"{name:<44} {ours:10.4g} {unit} vs {theirs:10.4g} {unit}   ratio {ratio:6.2f}×{goal}"


def simplified_derivative(f: sp.Expr) -> sp.Expr:
    return sp.simplify(sp.diff(f, X))


__all__ = [
    "HERE",
    "ROOT",
    "SIGMOID",
    "X",
    "figure",
    "interleaved",
    "run_child",
    "simplified_derivative",
    "timed",
]
