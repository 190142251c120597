"""Values of an expression in machine complex floats: a quick numeric look, never a proof."""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable, Sequence

import sympy as sp

__all__ = ["floats_at"]

_FUNCTIONS: dict[type[sp.Basic], Callable[[complex], complex]] = {
    sp.exp: cmath.exp,
    sp.log: cmath.log,
    sp.sin: cmath.sin,
    sp.cos: cmath.cos,
    sp.tan: cmath.tan,
    sp.asin: cmath.asin,
    sp.acos: cmath.acos,
    sp.atan: cmath.atan,
    sp.sinh: cmath.sinh,
    sp.cosh: cmath.cosh,
    sp.tanh: cmath.tanh,
    sp.asinh: cmath.asinh,
    sp.acosh: cmath.acosh,
    sp.atanh: cmath.atanh,
    sp.Abs: lambda z: complex(abs(z)),
}
#: Functions of a real argument only: math's, or None for a complex one.
_REAL_FUNCTIONS: dict[type[sp.Basic], Callable[[float], float]] = {
    sp.erf: math.erf,
    sp.erfc: math.erfc,
    sp.sign: lambda t: float((t > 0) - (t < 0)),
}


class _UnknownError(Exception):
    """A node the float walk does not evaluate."""


def _node(node: sp.Basic, args: list[complex]) -> complex:
    """The value of ``node`` given the values of its arguments."""
    if isinstance(node, sp.Add):
        return sum(args, 0j)
    if isinstance(node, sp.Mul):
        product = 1 + 0j
        for a in args:
            product *= a
        return product
    if isinstance(node, sp.Pow):
        base, power = args
        exponent = node.exp
        if exponent.is_Integer:
            return base ** int(exponent)
        return base**power
    kind = type(node)
    if kind in _FUNCTIONS and len(args) == 1:
        return _FUNCTIONS[kind](args[0])
    if kind in _REAL_FUNCTIONS and len(args) == 1 and args[0].imag == 0:
        return complex(_REAL_FUNCTIONS[kind](args[0].real))
    raise _UnknownError


def floats_at(expr: sp.Expr, var: sp.Symbol, points: Sequence[float]) -> list[complex | None]:
    """``expr`` at ``var`` = each point in machine floats; None where that gives no number.

    Numbers, +, ·, powers and the elementary functions only: any other node (another
    symbol, a Piecewise, a function cmath lacks) gives None at every point.
    """
    found: list[complex | None] = []
    for point in points:
        done: dict[sp.Basic, complex] = {}
        try:
            for node in sp.postorder_traversal(expr):
                if node in done:
                    continue
                if node == var:
                    done[node] = complex(point)
                elif node.is_Number or node.is_NumberSymbol:
                    done[node] = complex(node)
                elif node.is_Atom:
                    raise _UnknownError
                else:
                    done[node] = _node(node, [done[a] for a in node.args])
            found.append(done[expr])
        except _UnknownError:
            return [None] * len(points)
        except (ArithmeticError, ValueError, OverflowError):
            found.append(None)
    return found
