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
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from sigderiv.engine.vector import real_values
from sigderiv.engine.verify import explicit
from sigderiv.errors import UnsupportedError
from sigderiv.expr.points import PRECISION, UNDEFINED, is_real

#: Points sampled across the range, by default.
DEFAULT_POINTS = 200


@dataclass(frozen=True)
class Samples:
    """Values of one expression at evenly spaced points; ``None`` where not finite and real."""

    xs: tuple[float, ...]
    ys: tuple[float | None, ...]

    @property
    def finite(self) -> list[tuple[float, float]]:
        """Return the (x, y) pairs that have a value."""
        return [(x, y) for x, y in zip(self.xs, self.ys, strict=True) if y is not None]

    def clipped(self, lo: float, hi: float) -> Samples:
        """Return these samples with values far outside [lo, hi] dropped.

        A curve is drawn up to the edge and a little beyond (the plot clips it), but a jump
        across a pole, from far below to far above, becomes a gap instead of a vertical line.
        """
        margin = hi - lo
        kept = tuple(
            None if y is None or not lo - margin <= y <= hi + margin else y for y in self.ys
        )
        return Samples(self.xs, kept)


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
) -> Samples:
    """Return ``expr`` sampled over [lo, hi]; named functions and derivatives written out.

    Raises UnsupportedError when the expression has names other than ``var`` (they have no
    value to plot with).
    """
    shown = explicit(expr)
    others = sorted({getattr(s, "name", str(s)) for s in shown.free_symbols} - {var.name})
    if others:
        raise UnsupportedError(
            f"cannot plot: {', '.join(others)} {'has' if len(others) == 1 else 'have'} no value"
        )
    xs = grid(lo, hi, points)
    return Samples(xs, real_values(shown, var, xs))


def y_window(curves: Sequence[Samples]) -> tuple[float, float] | None:
    """Return the y-range to show: all values, unless a pole would flatten the rest."""
    ys = sorted(y for samples in curves for _, y in samples.finite)
    if not ys:
        return None
    lo, hi = ys[0], ys[-1]
    # Near a pole a few values dwarf the others: keep the middle 90% instead.
    q_lo, q_hi = ys[len(ys) // 20], ys[-1 - len(ys) // 20]
    if hi - lo > 20 * max(q_hi - q_lo, 1e-12):
        lo, hi = q_lo, q_hi
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    pad = 0.06 * (hi - lo)
    return lo - pad, hi + pad
