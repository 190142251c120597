"""The one point evaluator: sample points, precision, tolerance and "the same value".

Every numeric look at an expression goes through here: the spot check of a step
(:mod:`sigderiv.engine.verify`), the probe that compares a learner's lines
(:mod:`sigderiv.engine.numeric`), the own-value search (:mod:`sigderiv.rules.own_value`) and
the plot samples (:mod:`sigderiv.engine.sample`, whose numpy fast path
:mod:`sigderiv.engine.vector` uses the same tolerance). Numbers are cheap evidence, never a
proof.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import sympy as sp

__all__ = [
    "POINTS",
    "PRECISION",
    "TOLERANCE",
    "UNDEFINED",
    "at",
    "close",
    "is_real",
    "parameter",
    "point",
    "spread",
]

#: Values of the variable: inside (−1, 1) for √(1 − x²) and arcsin, mostly positive for ln x,
#: away from 0, ±1 and small integers where rational functions tend to have poles.
POINTS: tuple[float, ...] = (0.3141, 0.5772, -0.4142, 0.7071, 0.8660)
#: Decimal digits every evaluation by ``evalf`` works with.
PRECISION = 30
#: Two values are the same when they differ by at most this, relative to 1 + |a| + |b| (the
#: strictest of the four tolerances this replaces: at 30 digits a true identity is off by
#: about 1e-28, so 1e-12 rejects wrong steps without doubting right ones); a
#: value is real when its imaginary part is at most this, relative to 1 + |real part|.
TOLERANCE = 1e-12
#: Values that are no number: a pole, an undefined form, an infinity.
UNDEFINED = (sp.zoo, sp.nan, sp.oo, -sp.oo)


def parameter(index: int) -> float:
    """Return the value held by the ``index``-th other symbol (a constant such as k or α)."""
    return 1.37 + 0.11 * index


def point(expr: sp.Expr, variable: sp.Symbol, value: float) -> dict[sp.Symbol, sp.Float]:
    """Return the substitution for one point: the variable at ``value``, each parameter fixed."""
    others = sorted(expr.free_symbols - {variable}, key=lambda s: s.name)
    subs = {s: sp.Float(parameter(i), PRECISION) for i, s in enumerate(others)}
    subs[variable] = sp.Float(value, PRECISION)
    return subs


def spread(symbols: Iterable[sp.Symbol], row: int) -> dict[sp.Symbol, sp.Expr]:
    """Return point ``row`` for symbols of equal standing: each takes its own one of POINTS.

    A value fits what its symbol was declared: positive, negative or imaginary.
    """
    ordered = sorted(symbols, key=lambda s: s.name)
    n = len(POINTS)
    return {
        s: _fitting(s, sp.Float(POINTS[(row + i) % n] + 0.01 * i, PRECISION))
        for i, s in enumerate(ordered)
    }


def _fitting(symbol: sp.Symbol, value: sp.Float) -> sp.Expr:
    """Return ``value`` made to fit ``symbol``'s assumptions: |v|, −|v| or i·|v|."""
    if symbol.is_imaginary:
        return sp.I * abs(value)
    if symbol.is_nonnegative:
        return abs(value)
    if symbol.is_nonpositive:
        return -abs(value)
    return value


def at(expr: sp.Expr, subs: Mapping[sp.Basic, sp.Expr]) -> complex | None:
    """Return ``expr`` at ``subs`` as a complex number, or None where it has no finite value."""
    try:
        number = expr.evalf(PRECISION, subs=dict(subs))
        if not number.is_number or number.has(*UNDEFINED):
            return None
        return complex(number)
    except (TypeError, ValueError, ArithmeticError, RecursionError, OverflowError):
        return None


def close(a: complex, b: complex, tolerance: float = TOLERANCE) -> bool:
    """True when ``a`` and ``b`` are the same value, within ``tolerance`` (TOLERANCE).

    |a − b| ≤ tolerance·(1 + |a| + |b|), both sides divided by the largest part first so
    that values near the largest float neither overflow nor compare as inf ≤ inf.
    """
    scale = max(1.0, abs(a.real), abs(a.imag), abs(b.real), abs(b.imag))
    if not math.isfinite(scale):
        return a == b
    a, b = a / scale, b / scale
    return abs(a - b) <= tolerance * (1 / scale + abs(a) + abs(b))


def is_real(value: complex) -> bool:
    """True when ``value``'s imaginary part is negligible, within TOLERANCE."""
    return abs(value.imag) <= TOLERANCE * (1 + abs(value.real))
