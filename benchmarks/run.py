"""sigderiv's benchmarks: every figure a ratio against a SymPy baseline measured in the same run.

Run with ``python benchmarks/run.py`` (``--quick`` for fewer repeats). Baselines and
sigderiv are measured interleaved, SymPy's cache cleared before each run on both sides, and
the median of the repeats is reported. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
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
from sigderiv.engine.verify import explicit  # noqa: E402
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


def _p18_env() -> dict[str, str]:
    """The children's environment: this checkout's sigderiv, bytecode cached as users have it.

    PYTHONDONTWRITEBYTECODE (set on some machines) would make every cold start compile
    sigderiv from source; a user's install has its __pycache__ written once.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


#: Runs the command in its arguments and prints its wall seconds and peak resident KiB. A
#: child forked straight from this (large) process would start with this process's pages
#: resident, and its peak memory would read as at least ours: a small launcher forks it.
_P18_LAUNCHER = """\
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - started, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _p18_run(argv: list[str], cwd: Path = ROOT) -> tuple[float, int]:
    """Run ``argv`` in :func:`_p18_env`; return (wall seconds, peak resident memory in KiB)."""
    launched = subprocess.run(
        [sys.executable, "-S", "-c", _P18_LAUNCHER, *argv],
        cwd=cwd,
        env=_p18_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed, peak, code = launched.stdout.split()
    if int(code) != 0:
        raise RuntimeError(f"{argv} failed")
    return float(elapsed), int(peak)


def _p18_pairs(
    ours: list[str], theirs: list[str], repeats: int, cwd: Path = ROOT
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (time, peak KiB) of ``ours`` and of ``theirs``, run as interleaved pairs.

    One unmeasured run of each first writes the bytecode caches and warms the disk cache.
    """
    _p18_run(theirs, cwd)
    _p18_run(ours, cwd)
    times: tuple[list[float], list[float]] = ([], [])
    memory: tuple[list[int], list[int]] = ([], [])
    for _ in range(repeats):
        for side, argv in ((1, theirs), (0, ours)):
            t, m = _p18_run(argv, cwd)
            times[side].append(t)
            memory[side].append(m)
    return (
        (statistics.median(times[0]), statistics.median(memory[0]) / 1024),
        (statistics.median(times[1]), statistics.median(memory[1]) / 1024),
    )


def _p18_console_script() -> str | None:
    """The installed ``sigderiv`` console script of this Python's environment, if any."""
    beside = Path(sys.executable).parent / "sigderiv"
    if beside.is_file():
        return str(beside)
    return shutil.which("sigderiv")


def cli_cold_start(repeats: int) -> list[str]:
    """`sigderiv derive` (sigmoid, full terminal output) against `python -c "import sympy"`.

    Measured twice: through the installed console script (what users run) and through
    ``python -m sigderiv``.
    """
    theirs = [sys.executable, "-c", "import sympy"]
    runs = [("python -m sigderiv", [sys.executable, "-m", "sigderiv", "derive"])]
    script = _p18_console_script()
    if script is not None:
        runs.insert(0, ("console script", [script, "derive"]))
    lines = []
    for label, ours in runs:
        (t, m), (base_t, base_m) = _p18_pairs(ours, theirs, repeats)
        lines.append(_line(f"CLI cold start, {label} (time)", t, base_t, "s", 1.15))
        lines.append(_line(f"CLI cold start, {label} (peak memory)", m, base_m, "MiB", 1.1))
    if script is None:
        lines.append("CLI cold start, console script: no sigderiv script installed here")
    # the floor: what any command that derives and writes with rich must load and do
    floor = [sys.executable, "-c", _P18_FLOOR]
    (t, m), (base_t, base_m) = _p18_pairs(floor, theirs, repeats)
    lines.append(
        f"    the floor (import sympy and rich.console, one diff): {t / base_t:.2f}× the time, "
        f"{m / base_m:.2f}× the memory ({m:.1f} MiB) of import sympy"
    )
    return lines


#: The floor of a cold command: SymPy and rich imported, one small derivative taken (SymPy
#: imports sympy.tensor and sympy.combinatorics on the first sum it builds).
_P18_FLOOR = (
    "import sympy, rich.console; x = sympy.Symbol('x'); sympy.diff(1/(1 + sympy.exp(-x)), x)"
)


def html_page(repeats: int) -> list[str]:
    """`sigderiv derive -o page.html` against `sigderiv derive` (both cold processes)."""
    with tempfile.TemporaryDirectory() as tmp:
        page = str(Path(tmp) / "page.html")
        ours = [sys.executable, "-m", "sigderiv", "derive", "-o", page]
        theirs = [sys.executable, "-m", "sigderiv", "derive"]
        (t, _), (base_t, _) = _p18_pairs(ours, theirs, repeats)
    return [_line("derive -o page.html vs derive", t, base_t, "s", 1.3)]


#: The baseline of a plot: importing SymPy and matplotlib's pyplot, then saving one line.
_P18_MATPLOTLIB = (
    "import sympy, matplotlib.pyplot as plt; plt.plot([0, 1], [0, 1]); plt.savefig('x.png')"
)


def plots(repeats: int) -> list[str]:
    """`sigderiv plot sigmoid` against pyplot saving a line; `plot gelu` against `plot sigmoid`."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return ["plots: matplotlib is not installed (the plot extra)"]
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)

        def plot(name: str) -> list[str]:
            return [sys.executable, "-m", "sigderiv", "plot", name, "-o", str(here / "f.png")]

        (t, _), (base_t, _) = _p18_pairs(
            plot("sigmoid"), [sys.executable, "-c", _P18_MATPLOTLIB], repeats, cwd=here
        )
        (gelu, _), (sigmoid, _) = _p18_pairs(plot("gelu"), plot("sigmoid"), repeats, cwd=here)
    return [
        _line("plot sigmoid vs pyplot saving a line", t, base_t, "s", 1.5),
        _line("plot gelu vs plot sigmoid", gelu, sigmoid, "s", 1.2),
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
    """Deriving and checking the corpus against Σ simplify(diff(f)), entry by entry."""
    entries = [
        (str(e), partial(_timed, derive, e), partial(_timed, _simplified_derivative, e))
        for e in corpus()
    ]
    return _table_lines(f"corpus of {len(entries)} expressions", entries, repeats)


def textbook_table(repeats: int) -> list[str]:
    """The held-out textbook table of tests/test_textbook.py against Σ simplify(diff(f))."""
    entries = []
    for text in _table_textbook():
        function = explicit(derive(text, bounded=False).function)
        entries.append(
            (
                text,
                partial(_timed, partial(derive, text)),
                partial(_timed, _simplified_derivative, function),
            )
        )
    return _table_lines(f"textbook table of {len(entries)} rows", entries, repeats)


def _simplified_derivative(f: sp.Expr) -> sp.Expr:
    return sp.simplify(sp.diff(f, X))


def _table_textbook() -> list[str]:
    """The inputs of the TEXTBOOK rows, read from tests/test_textbook.py itself."""
    spec = importlib.util.spec_from_file_location("_textbook", ROOT / "tests" / "test_textbook.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [given for given, _ in module.TEXTBOOK]


#: How many of the slowest entries, by ratio, a table prints.
_TABLE_WORST = 5


def _table_lines(
    name: str, entries: list[tuple[str, Callable[[], float], Callable[[], float]]], repeats: int
) -> list[str]:
    """The total against the baseline (≤ 1×), the worst entry (≤ 2×) and the worst five.

    Each entry is timed interleaved with its own baseline, the median of ``repeats`` each,
    after one derivation that starts the kept worker (the cold start is timed on its own).
    """
    derive("x")
    rows = []
    for label, ours, theirs in entries:
        a, b = _interleaved(ours, theirs, repeats)
        rows.append((a / b if b else float("inf"), label, a, b))
    rows.sort(reverse=True)
    total_ours, total_theirs = sum(r[2] for r in rows), sum(r[3] for r in rows)
    worst = rows[0][0]
    lines = [
        _line(f"{name}, all checks", total_ours, total_theirs, "s", 1.0),
        f"{name + ', the worst entry':<44} {rows[0][1]!r}   ratio {worst:6.2f}×"
        f"  target ≤ 2×  {'met' if worst <= 2 else 'MISSED'}",
    ]
    lines += [
        f"    {ratio:6.2f}×  {a * 1000:8.1f} ms vs {b * 1000:8.1f} ms  {label}"
        for ratio, label, a, b in rows[:_TABLE_WORST]
    ]
    return lines


def t18b_fixed_cost(repeats: int) -> list[str]:
    """What every derivation pays: the constant 7 and sin(x), bounded and in this process."""
    lines = []
    for text in ("7", "sin(x)"):
        f = parse(text)
        theirs = partial(_timed, _simplified_derivative, f)
        for label, work in (("", derive), (", in process", partial(derive, bounded=False))):
            ours, base = _interleaved(partial(_timed, work, f), theirs, max(5, 3 * repeats))
            lines.append(
                _line(f"fixed cost: derive({text}){label}", ours * 1e3, base * 1e3, "ms", None)
            )
    return lines


def fixed18c_tiny_entries(repeats: int) -> list[str]:
    """The tiniest inputs, bounded as the tables derive, against simplify(diff(f)) (≤ 2× each).

    Last, what the kept worker's round trip alone costs: an empty call, against derive(7)
    in this process.
    """
    from sigderiv.sandbox.bound import MEMORY, run_bounded

    derive("x")  # the kept worker is started (the cold start is timed on its own)
    lines, n = [], max(5, 3 * repeats)
    for text in ("7", "x", "3*x + 2", "sin(x)", "f(x)"):
        f = parse(text)
        ours, base = _interleaved(
            partial(_timed, derive, f), partial(_timed, _simplified_derivative, f), n
        )
        lines.append(_line(f"fixed cost, bounded: derive({text})", ours * 1e3, base * 1e3, "ms", 2))
    empty = partial(_timed, partial(run_bounded, partial(int, 7), 10.0, memory=MEMORY))
    trip, here = _interleaved(empty, partial(_timed, partial(derive, bounded=False), parse("7")), n)
    name = "fixed cost: an empty call's round trip vs derive(7) here"
    return [*lines, _line(name, trip * 1e3, here * 1e3, "ms", None)]


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


def p18c_long_product(repeats: int) -> list[str]:
    """Issue 18: the long product Π (x + i) at n = 64 against n = 16, the two timed in pairs.

    The growth section times each size after the other; here each n = 64 derivation is
    timed next to an n = 16 one (median of the pairs), in the kept worker as a user's
    derive() runs, and in this process; then the worker's round trip of the n = 64
    Derivation (pickled there, unpickled here) against its derivation in process.
    """
    small, large = _long_product(16), _long_product(64)
    pairs = max(5, repeats)
    lines = []
    for label, work in (("", derive), (", in process", partial(derive, bounded=False))):
        at_64, at_16 = _interleaved(
            partial(_timed, work, large), partial(_timed, work, small), pairs
        )
        lines.append(_line(f"long product 64 vs 16{label}", at_64 * 1e3, at_16 * 1e3, "ms", 4.5))
    derived = derive(large, bounded=False)
    trip = statistics.median(_p18c_round_trip(derived) for _ in range(pairs))
    alone = statistics.median(_timed(partial(derive, bounded=False), large) for _ in range(3))
    lines.append(
        _line("    n = 64: pickling the Derivation back", trip * 1e3, alone * 1e3, "ms", None)
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


def list_vs_derive(repeats: int) -> list[str]:
    """`sigderiv list` (the catalogue over the cores) against one `sigderiv derive`, both cold."""
    python = sys.executable
    ours, theirs = _interleaved(
        lambda: _run_child([python, "-m", "sigderiv", "list"])[0],
        lambda: _run_child([python, "-m", "sigderiv", "derive"])[0],
        repeats,
    )
    return [_line("sigderiv list vs one derive (cold CLI)", ours, theirs, "s", 3)]


def batch_sheet(repeats: int) -> list[str]:
    """`derive --input problems.txt --jobs 2` against `--jobs 1` (one after another), cold CLI."""
    import tempfile

    problems = HERE / "problems.txt"
    count = sum(
        1 for t in problems.read_text(encoding="utf-8").splitlines() if t.strip()[:1] not in "#"
    )

    def sheet(jobs: int) -> Callable[[], float]:
        def run() -> float:
            with tempfile.TemporaryDirectory() as tmp:
                out = str(Path(tmp) / "sheet.jsonl")
                argv = [sys.executable, "-m", "sigderiv", "derive", "--input", str(problems)]
                return _run_child([*argv, "-o", out, "--jobs", str(jobs)])[0]

        return run

    ours, theirs = _interleaved(sheet(2), sheet(1), repeats)
    return [_line(f"batch of {count} problems, --jobs 2 vs 1", ours, theirs, "s", 0.6)]


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

    ours, theirs = _interleaved(whole, lambda: one("sigmoid"), repeats)
    worst = sorted(entries, key=lambda n: -statistics.median(entries[n]))[:3]
    shown = ", ".join(f"{n} {statistics.median(entries[n]):.2f} s" for n in worst)
    return [
        _line("catalogue of 20 entries in one process (CPU)", ours, theirs, "s", None),
        f"    the largest: {shown}",
    ]


#: issue 18 (table18c): the big entries of the table and the corpus, where sigderiv's own
#: work (the identity search, its trigsimp, the proofs) outweighs a derivation's fixed cost.
T18C_BIG_ENTRIES = (
    "cos(x)^2",
    "sin(x)^2",
    "sin(x)*cos(x)",
    "(2*x + 1)*(x^2 - 3)",
    "x/sqrt(x^2 + 1)",
    "log(sec(x) + tan(x))",
    "log(x + sqrt(x^2 + 1))",
    "x*sec(x)",
)


def t18c_big_entries(repeats: int) -> list[str]:
    """Each big entry against its simplify(diff(f)), interleaved: ≤ 2× each, ≤ 1× together."""
    derive("x")  # the kept worker started: its cold start is timed on its own
    lines = []
    total_ours = total_theirs = 0.0
    for text in T18C_BIG_ENTRIES:
        function = explicit(derive(text, bounded=False).function)
        ours, theirs = _interleaved(
            partial(_timed, partial(derive, text)),
            partial(_timed, _simplified_derivative, function),
            repeats,
        )
        total_ours, total_theirs = total_ours + ours, total_theirs + theirs
        lines.append(_line(f"big entry: {text}", ours * 1e3, theirs * 1e3, "ms", 2.0))
    lines.append(_line("big entries together", total_ours, total_theirs, "s", 1.0))
    return lines


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
    for section in (p18c_long_product,):  # issue 18: a long product, 64 against 16 in pairs
        for line in section(repeats):
            print(line, flush=True)
    # cold processes, a second or more each: three pairs are plenty in --quick
    for section in (html_page, plots):
        for line in section(repeats):
            print(line, flush=True)
    # a third of a second each: a single run read 0.66× to 2.93× on a quiet machine
    for line in check_ten_lines(repeats):
        print(line, flush=True)
    # entry by entry, each with its own baseline: three repeats in a full run, one in --quick
    for section in (corpus_total, textbook_table):
        for line in section(max(1, repeats // 2)):
            print(line, flush=True)
    for line in t18b_fixed_cost(repeats):  # issue 18: what a constant or sin(x) pays
        print(line, flush=True)
    for line in fixed18c_tiny_entries(repeats):  # issue 18: the tiniest entries, bounded
        print(line, flush=True)
    for line in t18c_big_entries(repeats):  # issue 18: where the identity search dominates
        print(line, flush=True)
    for section in (list_vs_derive, list18b_catalogue_in_process, batch_sheet):  # issue 18
        for line in section(max(1, repeats // 3)):
            print(line, flush=True)
    print(f"total benchmark time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
