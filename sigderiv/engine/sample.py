"""Numbers for plots: an expression's values at evenly spaced points, without lambdify.

``lambdify`` compiles generated code with ``exec``; here the values come from
:mod:`sigderiv.engine.vector`, which walks the expression once and applies numpy to all the points
together, so no code is generated and a value past a float overflows to infinity instead of
being worked out exactly. Points where the value is not a finite real number (a pole, a
logarithm of a negative, an overflow) are ``None``: plots leave a gap. :func:`value` gives
one point by SymPy's own ``evalf``, as a reference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import sympy as sp

from sigderiv.engine.vector import branches, real_values
from sigderiv.engine.verify import explicit
from sigderiv.errors import SigderivError, UnsupportedError
from sigderiv.expr.functions import lookup
from sigderiv.expr.points import PRECISION, UNDEFINED, is_real
from sigderiv.model.plot import DEFAULT_POINTS, Curve, Dot, Line, Samples, y_window
from sigderiv.model.steps import Derivation
from sigderiv.printing.inline import inline

__all__ = [
    "DEFAULT_POINTS",
    "Curve",
    "Samples",
    "grid",
    "jumps",
    "plot_curves",
    "plot_lines",
    "sample",
    "value",
    "y_window",
]


def grid(lo: float, hi: float, points: int = DEFAULT_POINTS) -> tuple[float, ...]:
    """Return ``points`` evenly spaced numbers from ``lo`` to ``hi``, both included."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        raise ValueError(f"a range needs two finite numbers, low before high, not {lo}, {hi}")
    if points < 2:
        raise ValueError("a plot needs at least 2 points")
    step = (hi - lo) / (points - 1)
    return tuple(lo + i * step for i in range(points))


def value(expr: sp.Expr, var: sp.Symbol, at: float) -> float | None:
    """Return ``expr`` at ``var = at`` as a float, or None where it is not finite and real.

    Every symbol named like ``var`` takes the value, whatever its assumptions (``explicit``
    may have made it real).
    """
    point = sp.Float(at, PRECISION)
    subs = {s: point for s in expr.free_symbols if isinstance(s, sp.Symbol) and s.name == var.name}
    try:
        result = expr.evalf(PRECISION, subs=subs)
    except (ArithmeticError, ValueError, TypeError):  # mpmath divides by zero at a pole
        return None
    if not result.is_number or result.has(*UNDEFINED):
        return None
    try:
        number = complex(result)
    except (TypeError, ValueError, OverflowError):
        return None
    if not is_real(number) or not math.isfinite(number.real):
        return None
    return number.real


def sample(
    expr: sp.Expr,
    var: sp.Symbol,
    lo: float = -6.0,
    hi: float = 6.0,
    points: int = DEFAULT_POINTS,
    given: Mapping[str, float] | None = None,
) -> Samples:
    """Return ``expr`` sampled over [lo, hi]; named functions and derivatives written out.

    ``given`` gives the other names their values (``{"k": 2.0}``). Raises UnsupportedError
    when the expression has names other than ``var`` without one (nothing to plot with).
    """
    shown = valued(expr, var, given)
    xs = grid(lo, hi, points)
    return Samples(xs, real_values(shown, var, xs))


def valued(expr: sp.Expr, var: sp.Symbol, given: Mapping[str, float] | None = None) -> sp.Expr:
    """Return ``expr`` written out with the names in ``given`` replaced by their values.

    Raises UnsupportedError when a name other than ``var`` is left without a value.
    """
    shown = explicit(expr)
    values = given or {}
    swap = {
        s: sp.Float(values[s.name], PRECISION)
        for s in shown.free_symbols
        if isinstance(s, sp.Symbol) and s.name in values and s.name != var.name
    }
    shown = shown.xreplace(swap)
    others = sorted({getattr(s, "name", str(s)) for s in shown.free_symbols} - {var.name})
    if others:
        verb = "has" if len(others) == 1 else "have"
        hint = " ".join(f"--param {name}=…" for name in others)
        raise UnsupportedError(
            f"cannot plot: {', '.join(others)} {verb} no value; give a value with {hint}"
        )
    return shown


def parameter_values(
    derivation: Derivation, given: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Return the values the plot uses: a catalogue function's defaults, then ``given``."""
    entry = lookup(derivation.name) if derivation.name else None
    defaults = {s.name: float(v) for s, v in entry.parameters} if entry is not None else {}
    return {**defaults, **(given or {})}


#: Halvings that narrow a change of piece down to the breakpoint (2^-50 of a sample's width).
_HALVINGS = 50


def _breakpoints(
    shown: sp.Expr, var: sp.Symbol, xs: tuple[float, ...]
) -> list[tuple[float, float, float, bool]]:
    """Return (left, at, right, exact) for each place between two samples where a piece changes.

    ``left`` and ``right`` are within a hair of the breakpoint ``at`` on either side; ``at`` is
    a fraction p/q with q ≤ 1000 when one is within that hair (0 or 1/3, not 1e-15), and then
    ``exact``; else (π/5) the float between them, on one side or the other of the true point.
    """
    keys = branches(shown, var, xs)
    if keys.size == 0:
        return []
    changed = np.nonzero(np.any(keys[:, 1:] != keys[:, :-1], axis=0))[0]
    if changed.size == 0:
        return []
    left = np.array([xs[i] for i in changed])
    right = np.array([xs[i + 1] for i in changed])
    first = keys[:, changed]
    for _ in range(_HALVINGS):
        middle = (left + right) / 2
        same = np.all(branches(shown, var, middle.tolist()) == first, axis=0)
        left, right = np.where(same, middle, left), np.where(same, right, middle)
    found: list[tuple[float, float, float, bool]] = []
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        hair = max(b - a, 1e-12 * (1 + abs(a)))
        snapped = float(Fraction((a + b) / 2).limit_denominator(1000)) + 0.0  # 0, not -0
        exact = a - hair <= snapped <= b + hair
        at = snapped if exact else (a + b) / 2
        found.append((min(a, at), at, max(b, at), exact))
    return found


def _differ(a: float | None, b: float | None) -> bool:
    """True when two values are not the same number (a value and a gap differ)."""
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > 1e-6 * (1 + max(abs(a), abs(b)))


def jumps(shown: sp.Expr, var: sp.Symbol, xs: tuple[float, ...]) -> tuple[Samples, tuple[Dot, ...]]:
    """Return ``shown`` sampled at ``xs`` and at its breakpoints, a gap at each jump, and dots.

    Where a piece of a Piecewise (or a sign) changes, the breakpoint is found by halving; if
    the value jumps there the line gets a gap at it (no vertical segment), a closed dot at the
    value taken (where the breakpoint is exact) and open dots at the one-sided limits that
    differ from it; else it gets the point.
    """
    found = _breakpoints(shown, var, xs)
    if not found:
        return Samples(xs, real_values(shown, var, xs)), ()
    near = [x for point in found for x in point[:3]]
    at_near = real_values(shown, var, near)
    extra: list[tuple[float, float | None]] = []
    dots: list[Dot] = []
    for i, (a, at, b, exact) in enumerate(found):
        left, value, right = at_near[3 * i : 3 * i + 3]
        if not _differ(left, right) and not _differ(left, value):
            extra.append((at, value))
            continue
        extra += [(a, left), (at, None), (b, right)]
        if not exact:  # the value at the true point is not known from floats: limits only
            value = None
        if value is not None:
            dots.append(Dot(at, value, closed=True))
        dots += [
            Dot(at, y, closed=False) for y in (left, right) if y is not None and _differ(y, value)
        ]
    merged = sorted(
        [*zip(xs, real_values(shown, var, xs), strict=True), *extra], key=lambda p: p[0]
    )
    unique = tuple(dict.fromkeys(dots))
    return Samples(tuple(x for x, _ in merged), tuple(y for _, y in merged)), unique


def masked(samples: Samples, f: sp.Expr, var: sp.Symbol) -> Samples:
    """Return ``samples`` with a gap wherever ``f`` (written out, valued) is not finite and real."""
    defined = real_values(f, var, samples.xs)
    ys = tuple(None if f_y is None else y for y, f_y in zip(samples.ys, defined, strict=True))
    return Samples(samples.xs, ys)


def _drawn(
    expr: sp.Expr,
    derivation: Derivation,
    xs: tuple[float, ...],
    values: Mapping[str, float],
) -> tuple[Samples, tuple[Dot, ...]]:
    """Return ``expr`` sampled for a plot: broken at jumps, and a gap where f has no value."""
    x = derivation.variable
    samples, dots = jumps(valued(expr, x, values), x, xs)
    if expr is not derivation.function:
        f = valued(derivation.function, x, values)
        samples = masked(samples, f, x)
        kept = {d.x for d in dots if real_values(f, x, [d.x])[0] is not None}
        dots = tuple(d for d in dots if d.x in kept)
    return samples, dots


def _line(
    label: str,
    expr: sp.Expr,
    derivation: Derivation,
    lo: float,
    hi: float,
    values: Mapping[str, float],
    style: str = "-",
) -> Line:
    """Return one line of the matplotlib plot (see :func:`_drawn`)."""
    samples, dots = _drawn(expr, derivation, grid(lo, hi, PLOT_POINTS), values)
    return Line(label, samples, style, dots)


def plot_curves(
    derivation: Derivation, lo: float = -6.0, hi: float = 6.0, points: int = DEFAULT_POINTS
) -> tuple[Curve, ...]:
    """Return f and f′ (the derivation's result) over [lo, hi] for the page's plot.

    Drawn as ``sigderiv plot`` draws them: broken at jumps with dots at the one-sided
    values, f′ only where f is defined, a catalogue function's parameters at their
    defaults; () if not plottable.
    """
    values = parameter_values(derivation)
    curves = []
    try:
        xs = grid(lo, hi, points)
        for label, expr in (("f(x)", derivation.function), ("f′(x)", derivation.result)):
            samples, dots = _drawn(expr, derivation, xs, values)
            curves.append(Curve(label, samples, dots=dots))
    except (SigderivError, ValueError, TypeError, ArithmeticError):
        return ()
    return tuple(curves)


#: Points the matplotlib plot samples across its range.
PLOT_POINTS = 400


def _uses_own_value(expr: sp.Expr) -> bool:
    """True when ``expr`` is written with named functions, such as σ(x)·(1 − σ(x))."""
    return any(hasattr(f, "expand_definition") for f in expr.atoms(sp.Function))


def plot_lines(
    derivation: Derivation,
    lo: float = -6.0,
    hi: float = 6.0,
    given: Mapping[str, float] | None = None,
) -> list[Line]:
    """Return the plot's lines: f, SymPy's f′ and, if found, f′ from f's own value.

    ``given`` values the other names (``{"k": 2.0}``); a catalogue function's parameters
    have their defaults unless given.
    """
    x = derivation.variable
    values = parameter_values(derivation, given)
    drawn = [
        _line(
            f"f({x}) = {inline(derivation.function)}",
            derivation.function,
            derivation,
            lo,
            hi,
            values,
        ),
        _line(f"f′({x}), by SymPy", derivation.start, derivation, lo, hi, values),
    ]
    final = derivation.steps[-1].after  # the result in the form the derivation wrote it
    if _uses_own_value(final):
        label = f"f′({x}) = {inline(final)}, from f's own value"
        drawn.append(_line(label, final, derivation, lo, hi, values, "--"))
    return drawn
