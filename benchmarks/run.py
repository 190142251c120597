"""sigderiv's benchmarks: every figure a ratio against a SymPy baseline measured in the same run.

Run with ``python benchmarks/run.py`` (``--quick`` for fewer repeats). Baselines and
sigderiv are measured interleaved, SymPy's cache cleared before each run on both sides, and
the median of the repeats is reported. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import sympy as sp
from sympy.core.cache import clear_cache

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from sigderiv import derive  # noqa: E402
from sigderiv.input.parse import parse  # noqa: E402
from sigderiv.sandbox.bound import dumps, loads  # noqa: E402

X = sp.Symbol("x")
SIGMOID = 1 / (1 + sp.exp(-X))


def _run_child(argv: list[str]) -> tuple[float, int]:
    """Run ``argv``; return (wall seconds, peak resident memory in KiB)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} failed")
    return elapsed, usage.ru_maxrss


def _timed(work: Callable[..., object], *expressions: sp.Expr) -> float:
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


def _interleaved(
    ours: Callable[[], float], theirs: Callable[[], float], repeats: int
) -> tuple[float, float]:
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeats):
        b.append(theirs())
        a.append(ours())
    return statistics.median(a), statistics.median(b)


def _line(name: str, ours: float, theirs: float, unit: str, target: float | None) -> str:
    ratio = ours / theirs if theirs else float("inf")
    goal = (
        ""
        if target is None
        else f"  target ≤ {target:g}×  {'met' if ratio <= target else 'MISSED'}"
    )
    return f"{name:<44} {ours:10.4g} {unit} vs {theirs:10.4g} {unit}   ratio {ratio:6.2f}×{goal}"


def cli_cold_start(repeats: int) -> list[str]:
    """`sigderiv derive` (sigmoid, full terminal output) against `python -c "import sympy"`."""
    env_python = sys.executable
    ours = [env_python, "-m", "sigderiv", "derive"]
    theirs = [env_python, "-c", "import sympy"]
    times: tuple[list[float], list[float]] = ([], [])
    memory: tuple[list[int], list[int]] = ([], [])
    for _ in range(repeats):
        t, m = _run_child(theirs)
        times[1].append(t)
        memory[1].append(m)
        t, m = _run_child(ours)
        times[0].append(t)
        memory[0].append(m)
    med = [statistics.median(t) for t in times]
    mem = [statistics.median(m) for m in memory]
    return [
        _line("CLI cold start (time)", med[0], med[1], "s", 1.25),
        _line("CLI cold start (peak memory)", mem[0] / 1024, mem[1] / 1024, "MiB", 1.2),
    ]


def one_derivation(repeats: int) -> list[str]:
    """derive("sigmoid"), every step checked, against simplify(diff(f))."""
    ours, theirs = _interleaved(
        lambda: _timed(lambda: derive("sigmoid")),
        lambda: _timed(lambda f: sp.simplify(sp.diff(f, X)), SIGMOID),
        repeats,
    )
    return [_line("one sigmoid derivation, all checks", ours, theirs, "s", 1.0)]


#: Curves for the implicit benchmark: (text, F with F = 0 the curve) in x and y.
CURVES = (
    ("x^2 + y^2 = 1", X**2 + sp.Symbol("y") ** 2 - 1),
    ("x^3 + y^3 = 6*x*y", X**3 + sp.Symbol("y") ** 3 - 6 * X * sp.Symbol("y")),
    ("sin(x + y) = y", sp.sin(X + sp.Symbol("y")) - sp.Symbol("y")),
)


def implicit_curves(repeats: int) -> list[str]:
    """derive() of three implicit curves, every step checked, against sympy.idiff."""
    y = sp.Symbol("y")
    ours, theirs = _interleaved(
        lambda: sum(_timed(partial(derive, text, "x")) for text, _ in CURVES),
        lambda: sum(_timed(lambda f: sp.idiff(f, y, X), f) for _, f in CURVES),
        repeats,
    )
    return [_line("three implicit curves, all checks", ours, theirs, "s", None)]


def corpus() -> list[sp.Expr]:
    """The benchmark corpus: one expression per line of corpus.txt."""
    lines = (HERE / "corpus.txt").read_text(encoding="utf-8").splitlines()
    return [parse(line) for line in lines if line.strip() and not line.startswith("#")]


def corpus_total(repeats: int) -> list[str]:
    """Total time to derive and check the corpus against the total of simplify(diff(f))."""
    expressions = corpus()

    def ours() -> float:
        return sum(_timed(derive, e) for e in expressions)

    def theirs() -> float:
        return sum(_timed(lambda f: sp.simplify(sp.diff(f, X)), e) for e in expressions)

    a, b = _interleaved(ours, theirs, repeats)
    return [_line(f"corpus of {len(expressions)} expressions", a, b, "s", 1.5)]


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

    Under each family: how the derivative itself grows (its nodes as a tree), and how
    SymPy's own ``diff`` (no steps, no proofs) grows from 16 to 64 on the same input.
    """
    lines = []
    for name, build in (
        ("nested sin", _nested),
        ("long sum", _long_sum),
        ("long product", _long_product),
    ):
        times: dict[int, float] = {}
        sizes: dict[int, int] = {}
        for n in (8, 16, 32, 64):
            expr = build(n)
            times[n] = statistics.median(_timed(derive, expr) for _ in range(repeats))
            sizes[n] = _nodes(derive(expr).result)
        theirs = {
            n: statistics.median(_timed(lambda f: sp.diff(f, X), build(n)) for _ in range(repeats))
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
        from sigderiv import check  # type: ignore[attr-defined]
    except ImportError:
        return ["check on ten lines: sigderiv.check is not available in this version"]
    from sigderiv.expr.functions import write_out

    lines = TEN_LINES.splitlines()
    exprs = [write_out(parse(line)) for line in lines]
    derivative = sp.diff(exprs[0], X)

    def theirs() -> float:
        return _timed(lambda d, *es: [sp.simplify(e - d) for e in es], derivative, *exprs[1:])

    ours, base = _interleaved(lambda: _timed(lambda: check(lines)), theirs, repeats)
    return [_line("check of a ten-line derivation", ours, base, "s", 2.0)]


#: The same expression with the shorthands of docs/input.md, and written out in full.
_SHORTHAND = "x^2 sin x + e^x sin 2x cos x - sin^2 x + ln ln x + 3xy + y sin²x"
_BRACKETED = "x^2*sin(x) + e^x*sin(2*x)*cos(x) - sin(x)^2 + ln(ln(x)) + 3*x*y + y*sin(x)^2"


def shorthand_parse(repeats: int) -> list[str]:
    """The parser's shorthand passes (split words, bracketless functions) against none."""

    def timed(text: str) -> Callable[[], float]:
        def run() -> float:
            started = time.perf_counter()
            for _ in range(200):
                parse(text, ("x",))
            return (time.perf_counter() - started) / 200 * 1e3

        return run

    assert parse(_SHORTHAND, ("x",)) == parse(_BRACKETED, ("x",)), "the two must read alike"
    ours, theirs = _interleaved(timed(_SHORTHAND), timed(_BRACKETED), repeats)
    return [_line("parse: shorthands vs written out", ours, theirs, "ms", 1.5)]


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
    # growth compares two small timings: it gets every repeat, like the first two
    for section in (cli_cold_start, one_derivation, growth, shorthand_parse, implicit_curves):
        for line in section(repeats):
            print(line, flush=True)
    for section in (corpus_total, check_ten_lines):
        for line in section(max(1, repeats // 3)):
            print(line, flush=True)
    print(f"total benchmark time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
