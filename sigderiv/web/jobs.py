"""What each endpoint computes, run whole in a bounded worker: derive, render, sample, check.

Every function here is module-level and takes plain arguments, so ``functools.partial`` of it
pickles and goes to the kept worker (:mod:`sigderiv.sandbox.kept`). Each one parses,
derives and renders inside the worker, so the request's time and memory bound covers all of
it, reading the user's text included (building some expressions takes SymPy minutes).
"""

from __future__ import annotations

from typing import Any

from sigderiv.engine.deriver import derive
from sigderiv.formats.base import Format, title
from sigderiv.model.plot import Line, y_window
from sigderiv.model.steps import Derivation

#: The primes of the first three derivatives; higher orders get a bracketed superscript.
_PRIMES = {1: "′", 2: "″", 3: "‴"}


def _derived(expr: str, var: str, order: int, name: str | None, check_timeout: float) -> Derivation:
    """derive() inside the worker: the worker's own bound is the derivation's."""
    return derive(
        expr,
        var,
        name=name or None,
        order=order,
        timeout=None,
        check_timeout=check_timeout,
        bounded=False,
    )


def derivation_json(expr: str, var: str, order: int, name: str | None, check_timeout: float) -> str:
    """The ``sigderiv derive -f json`` document of the derivation."""
    from sigderiv.formats.output import formatted

    return formatted(_derived(expr, var, order, name, check_timeout), Format.JSON, {})


def steps_fragment(
    expr: str, var: str, order: int, name: str | None, check_timeout: float
) -> dict[str, Any]:
    """The HTML renderer's steps as a fragment for the page, with the title and the tally."""
    from sigderiv.formats.html import HtmlFormatter

    derivation = _derived(expr, var, order, name, check_timeout)
    chosen = HtmlFormatter(fragment=True, plot=False, collapsible=True, styled=False)
    return {
        "html": chosen.render(derivation),
        "title": str(title(derivation)),
        "verified": derivation.verified,
    }


def _primed(order: int) -> str:
    """f′, f″, f‴, f⁽⁴⁾ ...: the name of the order-th derivative."""
    from sigderiv.printing.inline import superscript

    return "f" + _PRIMES.get(order, f"⁽{superscript(order)}⁾")


def _table(lines: list[Line]) -> tuple[list[float], list[list[float | None]]]:
    """The lines on one x grid: the union of their points, a line valued where it lacks one.

    The lines share their grid and differ only at jumps, where a line adds points a hair
    either side of its breakpoint and a gap at it. Another line takes such a point by linear
    interpolation between its own neighbours (a gap if either is one): it is continuous
    there, or it would have a breakpoint of its own.
    """
    xs = sorted({x for line in lines for x in line.samples.xs})
    columns: list[list[float | None]] = []
    for line in lines:
        own = dict(zip(line.samples.xs, line.samples.ys, strict=True))
        known = line.samples.xs
        column: list[float | None] = []
        at = 0
        for x in xs:
            if x in own:
                column.append(own[x])
                continue
            while at + 1 < len(known) and known[at + 1] < x:
                at += 1
            left, right = at, min(at + 1, len(known) - 1)
            a, b = line.samples.ys[left], line.samples.ys[right]
            if a is None or b is None or known[right] == known[left]:
                column.append(None)
                continue
            t = (x - known[left]) / (known[right] - known[left])
            column.append(a + t * (b - a))
        columns.append(column)
    return xs, columns


def plot_data(
    expr: str,
    var: str,
    order: int,
    name: str | None,
    check_timeout: float,
    lo: float,
    hi: float,
) -> dict[str, Any]:
    """The samples the page's plot draws: f, its derivative and, if found, it from f's value."""
    from sigderiv.formats.data import figure_lines

    derivation = _derived(expr, var, order, name, check_timeout)
    lines = figure_lines(derivation, lo, hi)
    xs, columns = _table(lines)
    labels = ["f", _primed(order), f"{_primed(order)} from f's own value"]
    window = y_window([line.samples for line in lines])
    return {
        "x": xs,
        "series": [
            {"label": label, "text": line.label, "dashed": line.style != "-", "y": ys}
            for label, line, ys in zip(labels, lines, columns, strict=False)
        ],
        "dots": [
            {"x": dot.x, "y": dot.y, "filled": dot.closed, "series": i}
            for i, line in enumerate(lines)
            for dot in line.dots
        ],
        "xlabel": derivation.variable.name,
        "range": [lo, hi],
        "ylim": None if window is None else list(window),
    }


def check_report(lines: tuple[str, ...], var: str, timeout: float) -> str:
    """The ``sigderiv check -f json`` report of the learner's lines."""
    from sigderiv.formats.check_view import check_json
    from sigderiv.grading.check import check

    return check_json(check(list(lines), var, timeout=timeout, total_timeout=None, bounded=False))


def preview(expr: str) -> dict[str, str]:
    """The expression as typed, parsed only: MathML and LaTeX (a catalogue name as σ(x) ...)."""
    import sympy as sp

    from sigderiv.expr.functions import lookup
    from sigderiv.input.parse import parse
    from sigderiv.printing.latex import latex
    from sigderiv.printing.mathml import mathml

    entry = lookup(expr.strip())
    shown = entry.apply(sp.Symbol("x")) if entry is not None else parse(expr)
    return {"mathml": mathml(shown, block=True), "latex": latex(shown)}
