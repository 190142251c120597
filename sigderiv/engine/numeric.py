"""Compare expressions by their values at a few fixed points: cheap evidence, never a proof."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from sigderiv.engine.verify import explicit
from sigderiv.expr.points import POINTS, close, is_real
from sigderiv.expr.points import at as value_at
from sigderiv.expr.points import point as point_of

__all__ = ["POINTS", "Probe", "Values", "format_number"]

Values = tuple[complex | None, ...]


def format_number(value: complex) -> str:
    """Return a value the way a calculator shows it: 0.235004, −1.5, 2+0.5i."""
    real, imag = value.real, value.imag
    if is_real(value):
        return f"{real:.6g}".replace("-", "−")
    sign = "+" if imag >= 0 else "−"
    return f"{real:.6g} {sign} {abs(imag):.6g}i".replace("-", "−")


@dataclass(frozen=True)
class Probe:
    """Evaluates expressions in ``variable`` (other symbols held at fixed values)."""

    variable: sp.Symbol
    points: tuple[float, ...] = POINTS

    def point(self, expr: sp.Expr, value: float) -> dict[sp.Symbol, sp.Float]:
        """Return the substitution for one point: the variable and every parameter."""
        return point_of(expr, self.variable, value)

    def at(self, expr: sp.Expr, value: float) -> complex | None:
        """Return ``expr`` at the variable = ``value``, or None where it is undefined."""
        return self._at(self._explicit(expr), value)

    def values(self, expr: sp.Expr) -> Values:
        """Return ``expr`` at every point."""
        done = self._explicit(expr)
        return tuple(self._at(done, v) for v in self.points)

    @staticmethod
    def _explicit(expr: sp.Expr) -> sp.Expr | None:
        try:
            return explicit(expr)
        except (TypeError, ValueError, ArithmeticError, RecursionError, NotImplementedError):
            return None

    def _at(self, done: sp.Expr | None, value: float) -> complex | None:
        return None if done is None else value_at(done, self.point(done, value))

    @staticmethod
    def same(a: Values, b: Values, at_least: int = 3) -> bool:
        """True when ``a`` and ``b`` agree wherever both are defined, at ``at_least`` points."""
        compared = 0
        for u, v in zip(a, b, strict=True):
            if u is None or v is None:
                continue
            if not close(u, v):
                return False
            compared += 1
        return compared >= at_least

    @staticmethod
    def ratio(a: Values, b: Values) -> complex | None:
        """Return c when a = c·b at every point where both are defined (c ≠ 0), else None."""
        found: complex | None = None
        compared = 0
        for u, v in zip(a, b, strict=True):
            if u is None or v is None:
                continue
            if close(v, 0):
                if close(u, 0):
                    continue
                return None  # u = c·0 for no c
            c = u / v
            if found is not None and not close(c, found):
                return None
            found = c if found is None else found
            compared += 1
        if compared < 3 or found is None or close(found, 0) or close(found, 1):
            return None
        return found

    @staticmethod
    def combine(parts: Sequence[Values], weights: Sequence[complex]) -> Values:
        """Return the pointwise sum of ``parts`` times ``weights`` (None where any is None)."""
        out: list[complex | None] = []
        for column in zip(*parts, strict=True):
            if any(v is None for v in column):
                out.append(None)
            else:
                out.append(sum(w * v for w, v in zip(weights, column, strict=True)))
        return tuple(out)
