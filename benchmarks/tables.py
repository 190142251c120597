"""The sections that derive many entries, each against its own simplify(diff(f))."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from functools import partial

import sympy as sp

from benchmarks.common import HERE, ROOT, figure, interleaved, simplified_derivative, timed
from sigderiv import derive
from sigderiv.engine.verify import explicit
from sigderiv.input.parse import parse


def corpus() -> list[sp.Expr]:
    """The benchmark corpus: one expression per line of corpus.txt."""
    lines = (HERE / "corpus.txt").read_text(encoding="utf-8").splitlines()
    return [parse(line) for line in lines if line.strip() and not line.startswith("#")]


def corpus_total(repeats: int) -> list[str]:
    """Deriving and checking the corpus against Σ simplify(diff(f)), entry by entry."""
    entries = [
        (str(e), partial(timed, derive, e), partial(timed, simplified_derivative, e))
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
                partial(timed, partial(derive, text)),
                partial(timed, simplified_derivative, function),
            )
        )
    return _table_lines(f"textbook table of {len(entries)} rows", entries, repeats)


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
    name: str, entries: Sequence[tuple[str, Callable[[], float], Callable[[], float]]], repeats: int
) -> list[str]:
    """The total against the baseline (≤ 1×), the worst entry (≤ 2×) and the worst five.

    Each entry is timed interleaved with its own baseline, the median of ``repeats`` each,
    after one derivation that starts the kept worker (the cold start is timed on its own).
    """
    derive("x")
    rows = []
    for label, ours, theirs in entries:
        a, b = interleaved(ours, theirs, repeats)
        rows.append((a / b if b else float("inf"), label, a, b))
    rows.sort(reverse=True)
    total_ours, total_theirs = sum(r[2] for r in rows), sum(r[3] for r in rows)
    worst = rows[0][0]
    lines = [
        figure(f"{name}, all checks", total_ours, total_theirs, "s", 1.0),
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
        theirs = partial(timed, simplified_derivative, f)
        for label, work in (("", derive), (", in process", partial(derive, bounded=False))):
            ours, base = interleaved(partial(timed, work, f), theirs, max(5, 3 * repeats))
            lines.append(
                figure(f"fixed cost: derive({text}){label}", ours * 1e3, base * 1e3, "ms", None)
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
        ours, base = interleaved(
            partial(timed, derive, f), partial(timed, simplified_derivative, f), n
        )
        lines.append(
            figure(f"fixed cost, bounded: derive({text})", ours * 1e3, base * 1e3, "ms", 2)
        )
    empty = partial(timed, partial(run_bounded, partial(int, 7), 10.0, memory=MEMORY))
    trip, here = interleaved(empty, partial(timed, partial(derive, bounded=False), parse("7")), n)
    name = "fixed cost: an empty call's round trip vs derive(7) here"
    return [*lines, figure(name, trip * 1e3, here * 1e3, "ms", None)]


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
        ours, theirs = interleaved(
            partial(timed, partial(derive, text)),
            partial(timed, simplified_derivative, function),
            repeats,
        )
        total_ours, total_theirs = total_ours + ours, total_theirs + theirs
        lines.append(figure(f"big entry: {text}", ours * 1e3, theirs * 1e3, "ms", 2.0))
    lines.append(figure("big entries together", total_ours, total_theirs, "s", 1.0))
    return lines
