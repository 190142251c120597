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

import sympy as sp

from sigderiv.engine.vector import real_values
from sigderiv.engine.verify import explicit
from sigderiv.errors import SigderivError, UnsupportedError
from sigderiv.expr.functions import lookup
from sigderiv.expr.points import PRECISION, UNDEFINED, is_real
from sigderiv.model.plot import DEFAULT_POINTS, Curve, Line, Samples, y_window
from sigderiv.model.steps import Derivation
from sigderiv.printing.inline import inline

__all__ = [
    "DEFAULT_POINTS",
    "Curve",
    "Samples",
    "grid",
    "plot_curves",
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


def plot_curves(
    derivation: Derivation, lo: float = -6.0, hi: float = 6.0, points: int = DEFAULT_POINTS
) -> tuple[Curve, ...]:
    """Return f and f′ (the derivation's result) sampled over [lo, hi]; () if not plottable."""
    x = derivation.variable
    try:
        f = Curve("f(x)", sample(derivation.function, x, lo, hi, points))
        df = Curve("f′(x)", sample(derivation.result, x, lo, hi, points))
    except (SigderivError, ValueError, TypeError, ArithmeticError):
        return ()
    return (f, df)


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
        Line(
            f"f({x}) = {inline(derivation.function)}",
            sample(derivation.function, x, lo, hi, PLOT_POINTS, values),
        ),
        Line(f"f′({x}), by SymPy", sample(derivation.start, x, lo, hi, PLOT_POINTS, values)),
    ]
    final = derivation.steps[-1].after  # the result in the form the derivation wrote it
    if _uses_own_value(final):
        own = sample(final, x, lo, hi, PLOT_POINTS, values)
        drawn.append(Line(f"f′({x}) = {inline(final)}, from f's own value", own, "--"))
    return drawn
