"""sigderiv's benchmarks: every figure a ratio against a SymPy baseline measured in the same run.

Run with ``python benchmarks/run.py`` (``--quick`` for fewer repeats). Baselines and
sigderiv are measured interleaved, SymPy's cache cleared before each run on both sides, and
the median of the repeats is reported. See docs/performance.md. The sections that time whole
processes are in benchmarks/processes.py, those of many entries in benchmarks/tables.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import sympy as sp
from sympy.core.cache import clear_cache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import SIGMOID, X, figure, interleaved, timed
from benchmarks.processes import (
    batch_sheet,
    cli_cold_start,
    html_page,
    list_vs_derive,
    plots,
)
from benchmarks.tables import (
    corpus_total,
    fixed18c_tiny_entries,
    t18b_fixed_cost,
    t18c_big_entries,
    textbook_table,
)
from sigderiv import derive
from sigderiv.input.parse import parse
from sigderiv.sandbox.bound import dumps, loads


def one_derivation(repeats: int) -> list[str]:
    """derive("sigmoid"), every step checked, against simplify(diff(f))."""
    ours, theirs = interleaved(
        lambda: timed(lambda: derive("sigmoid")),
        lambda: timed(lambda f: sp.simplify(sp.diff(f, X)), SIGMOID),
        repeats,
    )
    return [figure("one sigmoid derivation, all checks", ours, theirs, "s", 1.0)]


#: Curves for the implicit benchmark: (text, F with F = 0 the curve) in x and y.
CURVES = (
    ("x^2 + y^2 = 1", X**2 + sp.Symbol("y") ** 2 - 1),
    ("x^3 + y^3 = 6*x*y", X**3 + sp.Symbol("y") ** 3 - 6 * X * sp.Symbol("y")),
    ("sin(x + y) = y", sp.sin(X + sp.Symbol("y")) - sp.Symbol("y")),
)


def implicit_curves(repeats: int) -> list[str]:
    """derive() of three implicit curves, every step checked, against sympy.idiff."""
    y = sp.Symbol("y")
    ours, theirs = interleaved(
        lambda: sum(timed(partial(derive, text, "x")) for text, _ in CURVES),
        lambda: sum(timed(lambda f: sp.idiff(f, y, X), f) for _, f in CURVES),
        repeats,
    )
    return [figure("three implicit curves, all checks", ours, theirs, "s", None)]


def _nested(n: int) -> sp.Expr:
    e: sp.Expr = X
    for _ in range(n):
        e = sp.sin(e)
    return e


def _long_sum(n: int) -> sp.Expr:
    return sp.Add(*(sp.sin((i + 1) * X) / (i + 1) for i in range(n)))


def _long_product(n: int) -> sp.Expr:
    return sp.Mul(*(X + i + 1 for i in range(n)))


def _nodes(expr: sp.Basic) -> int:
    """The number of nodes of ``expr`` as a tree (a repeated subtree counts each time)."""
    return sum(1 for _ in sp.preorder_traversal(expr))


def growth(repeats: int) -> list[str]:
    """Time per node at sizes 8, 16, 32, 64; the 16 → 64 growth in total time.

    The sizes are timed in rounds, one of each size per round (median of the rounds), so a
    machine that slows down for a while slows every size alike. Under each family: how the
    derivative itself grows (its nodes as a tree), and how SymPy's own ``diff`` (no steps,
    no proofs) grows from 16 to 64 on the same input.
    """
    lines = []
    sizes_n = (8, 16, 32, 64)
    for name, build in (
        ("nested sin", _nested),
        ("long sum", _long_sum),
        ("long product", _long_product),
    ):
        runs: dict[int, list[float]] = {n: [] for n in sizes_n}
        for _ in range(repeats):
            for n in sizes_n:
                runs[n].append(timed(derive, build(n)))
        times = {n: statistics.median(runs[n]) for n in sizes_n}
        sizes = {n: _nodes(derive(build(n)).result) for n in (16, 64)}
        theirs = {
            n: statistics.median(timed(lambda f: sp.diff(f, X), build(n)) for _ in range(repeats))
            for n in (16, 64)
        }
        per_node = "  ".join(f"n={n}: {times[n] / n * 1000:.2f} ms/node" for n in times)
        growth_ratio = times[64] / times[16]
        verdict = "met" if growth_ratio <= 4.5 else "MISSED"
        lines.append(
            f"growth, {name:<13} {per_node}   16→64: {growth_ratio:.2f}×  target ≤ 4.5×  {verdict}"
        )
        lines.append(
            f"    the derivative has {sizes[16]} → {sizes[64]} nodes from 16 to 64 "
            f"({sizes[64] / sizes[16]:.1f}×); SymPy's diff alone grows "
            f"{theirs[64] / theirs[16]:.2f}× on the same input"
        )
    return lines


def p18c_long_product(repeats: int) -> list[str]:
    """Issue 18: the long product Π (x + i) at n = 64 against n = 16, the two timed in pairs.

    The growth section times each size after the other; here each n = 64 derivation is
    timed next to an n = 16 one (median of the pairs), in the kept worker as a user's
    derive() runs, and in this process; then the worker's round trip of the n = 64
    Derivation (pickled there, unpickled here) against its derivation in process.
    """
    small, large = _long_product(16), _long_product(64)
    pairs = max(5, repeats)
    in_process = partial(derive, bounded=False)
    at_64, at_16 = interleaved(
        partial(timed, in_process, large), partial(timed, in_process, small), pairs
    )
    lines = [figure("    long product 64 vs 16, in process", at_64 * 1e3, at_16 * 1e3, "ms", None)]
    derived = derive(large, bounded=False)
    trip = statistics.median(_p18c_round_trip(derived) for _ in range(pairs))
    alone = statistics.median(timed(partial(derive, bounded=False), large) for _ in range(3))
    lines.append(
        figure("    n = 64: pickling the Derivation back", trip * 1e3, alone * 1e3, "ms", None)
    )
    return lines


def _p18c_round_trip(derived: object) -> float:
    """Seconds to pickle ``derived`` as the worker does and to unpickle it as the caller does."""
    clear_cache()
    started = time.perf_counter()
    loads(dumps(derived))
    return time.perf_counter() - started


TEN_LINES = """\
1/(1+e^(-x))
(0*(1+e^(-x)) - 1*(-e^(-x)))/(1+e^(-x))^2
e^(-x)/(1+e^(-x))^2
(1 + e^(-x) - 1)/(1+e^(-x))^2
(1+e^(-x))/(1+e^(-x))^2 - 1/(1+e^(-x))^2
1/(1+e^(-x)) - 1/(1+e^(-x))^2
1/(1+e^(-x)) * (1 - 1/(1+e^(-x)))
σ(x)(1 - σ(x))
σ(x) - σ(x)^2
σ(x) - σ(x)²
"""


def check_ten_lines(repeats: int) -> list[str]:
    """`sigderiv.check` on a ten-line derivation against simplify(line − f′) for each line."""
    try:
        from sigderiv import check
    except ImportError:
        return ["check on ten lines: sigderiv.check is not available in this version"]
    from sigderiv.expr.functions import write_out

    lines = TEN_LINES.splitlines()
    exprs = [write_out(parse(line)) for line in lines]
    derivative = sp.diff(exprs[0], X)

    def theirs() -> float:
        return timed(lambda d, *es: [sp.simplify(e - d) for e in es], derivative, *exprs[1:])

    ours, base = interleaved(lambda: timed(lambda: check(lines)), theirs, repeats)
    return [figure("check of a ten-line derivation", ours, base, "s", 2.0)]


#: The same expression with the shorthands of docs/input.md, and written out in full.
_SHORTHAND = "x^2 sin x + e^x sin 2x cos x - sin^2 x + ln ln x + 3xy + y sin²x"


_BRACKETED = "x^2*sin(x) + e^x*sin(2*x)*cos(x) - sin(x)^2 + ln(ln(x)) + 3*x*y + y*sin(x)^2"


def shorthand_parse(repeats: int) -> list[str]:
    """The parser's shorthand passes (split words, bracketless functions) against none."""

    def parsing(text: str) -> Callable[[], float]:
        def run() -> float:
            started = time.perf_counter()
            for _ in range(200):
                parse(text, ("x",))
            return (time.perf_counter() - started) / 200 * 1e3

        return run

    assert parse(_SHORTHAND, ("x",)) == parse(_BRACKETED, ("x",)), "the two must read alike"
    ours, theirs = interleaved(parsing(_SHORTHAND), parsing(_BRACKETED), repeats)
    return [figure("parse: shorthands vs written out", ours, theirs, "ms", 1.5)]


def list18b_catalogue_in_process(repeats: int) -> list[str]:
    """The catalogue's own CPU: its entries derived one after another here, no workers.

    Against one sigmoid derivation the same way (both in process CPU seconds, every step
    checked); the worst entries are printed beside it, for the `list` target above.
    """
    from sigderiv.engine.deriver import _derive
    from sigderiv.expr.functions import CATALOGUE
    from sigderiv.model.bounds import CHECK_TIMEOUT

    x = sp.Symbol("x")

    def one(name: str) -> float:
        start = time.process_time()
        _derive(name, x, name=None, order=1, check_timeout=CHECK_TIMEOUT, layers=None)
        return time.process_time() - start

    one("sigmoid")  # the modules SymPy loads on first use, loaded once before timing
    entries: dict[str, list[float]] = {name: [] for name in CATALOGUE}

    def whole() -> float:
        for name in CATALOGUE:
            entries[name].append(one(name))
        return sum(entries[name][-1] for name in CATALOGUE)

    ours, theirs = interleaved(whole, lambda: one("sigmoid"), repeats)
    worst = sorted(entries, key=lambda n: -statistics.median(entries[n]))[:3]
    shown = ", ".join(f"{n} {statistics.median(entries[n]):.2f} s" for n in worst)
    return [
        figure("catalogue of 20 entries in one process (CPU)", ours, theirs, "s", None),
        f"    the largest: {shown}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    started = time.perf_counter()
    print(
        f"sigderiv benchmarks on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SymPy {sp.__version__}"
    )
    every, third = repeats, max(1, repeats // 3)
    sections: list[tuple[Callable[[int], list[str]], int]] = [
        (cli_cold_start, every),
        (one_derivation, every),
        (growth, every),  # sizes timed in rounds: every repeat
        (p18c_long_product, every),  # the long product in process, and its pickling
        (shorthand_parse, every),
        (implicit_curves, every),
        (html_page, every),  # cold processes, a second or more each
        (plots, every),
        (check_ten_lines, every),  # a third of a second: one run read 0.66× to 2.93×
        # entry by entry, each with its own baseline: three repeats in a full run, one in --quick
        (corpus_total, max(1, repeats // 2)),
        (textbook_table, max(1, repeats // 2)),
        (t18b_fixed_cost, every),  # what a constant or sin(x) pays
        (fixed18c_tiny_entries, every),  # the tiniest entries, bounded
        (t18c_big_entries, every),  # where the identity search dominates
        (list_vs_derive, third),
        (list18b_catalogue_in_process, third),
        (batch_sheet, third),
    ]
    for section, times in sections:
        for line in section(times):
            print(line, flush=True)
    print(f"total benchmark time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
