"""Values of a built expression at many points at once: numpy arrays, and no generated code.

``lambdify`` would be as fast, but it prints the expression as Python source and ``exec``s
it; here a walk over the expression (each distinct subtree once) applies numpy's complex
ufuncs to the whole array of points. A value past a float overflows to infinity at once
(``6^(6^(6^6))``, which ``evalf`` works out exactly for a minute, is ``inf`` in a
microsecond), and :func:`real_values` turns every value that is not a finite real number
into ``None``, a gap in the plot. Functions numpy does not have (erf, gamma, polygamma, ...)
are evaluated point by point by SymPy on their already numeric arguments, and anything else
the walk does not know, by ``evalf`` with the point substituted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.relational import Relational
from sympy.functions.elementary.piecewise import ExprCondPair
from sympy.logic.boolalg import BooleanAtom

from sigderiv.expr.build import Paren
from sigderiv.expr.points import PRECISION, TOLERANCE

__all__ = ["branches", "real_values", "values"]

Array = Any  # a numpy array of complex128, or of bool for conditions

_UFUNCS: dict[type[sp.Basic], Callable[[Array], Array]] = {
    sp.exp: np.exp,
    sp.log: np.log,
    sp.sin: np.sin,
    sp.cos: np.cos,
    sp.tan: np.tan,
    sp.cot: lambda z: 1 / np.tan(z),
    sp.sec: lambda z: 1 / np.cos(z),
    sp.csc: lambda z: 1 / np.sin(z),
    sp.asin: np.arcsin,
    sp.acos: np.arccos,
    sp.atan: np.arctan,
    sp.acot: lambda z: np.arctan(1 / z),
    sp.asec: lambda z: np.arccos(1 / z),
    sp.acsc: lambda z: np.arcsin(1 / z),
    sp.sinh: np.sinh,
    sp.cosh: np.cosh,
    sp.tanh: np.tanh,
    sp.coth: lambda z: 1 / np.tanh(z),
    sp.sech: lambda z: 1 / np.cosh(z),
    sp.csch: lambda z: 1 / np.sinh(z),
    sp.asinh: np.arcsinh,
    sp.acosh: np.arccosh,
    sp.atanh: np.arctanh,
    sp.acoth: lambda z: np.arctanh(1 / z),
    sp.asech: lambda z: np.arccosh(1 / z),
    sp.acsch: lambda z: np.arcsinh(1 / z),
    sp.Abs: lambda z: np.abs(z).astype(complex),
    sp.re: lambda z: np.real(z).astype(complex),
    sp.im: lambda z: np.imag(z).astype(complex),
    sp.conjugate: np.conj,
    sp.sign: lambda z: np.where(z == 0, 0, z / np.where(z == 0, 1, np.abs(z))),
    sp.floor: lambda z: np.where(z.imag == 0, np.floor(z.real), np.nan).astype(complex),
    sp.ceiling: lambda z: np.where(z.imag == 0, np.ceil(z.real), np.nan).astype(complex),
}

#: Functions numpy lacks that Python's math module has for real arguments.
_REAL_FUNCTIONS: dict[type[sp.Basic], Callable[[float], float]] = {
    sp.erf: math.erf,
    sp.erfc: math.erfc,
    sp.gamma: math.gamma,
}

_COMPARE: dict[str, Callable[[Array, Array], Array]] = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


#: Nodes computed here from their arguments' values; any other node (a Derivative, a Subs, a
#: named function still carrying its definition) is evaluated by evalf at each point.
_STRUCTURAL: tuple[type[sp.Basic], ...] = (
    sp.Add,
    sp.Mul,
    sp.Pow,
    sp.UnevaluatedExpr,
    Paren,
    Relational,
    sp.And,
    sp.Or,
    sp.Not,
    sp.Piecewise,
    ExprCondPair,
    sp.Max,
    sp.Min,
)


def _number(node: sp.Basic, shape: tuple[int, ...]) -> Array:
    """Return a numeric constant (3, π, 1/7, i, 10^5000) as an array; inf or nan past floats."""
    try:
        number = complex(node)
    except (OverflowError, TypeError, ValueError):
        try:
            number = complex(node.evalf(17))
        except (OverflowError, TypeError, ValueError, ArithmeticError):
            number = complex(np.inf) if node.is_extended_positive else complex(np.nan)
    return np.full(shape, number, dtype=complex)


def _real_only(z: Array) -> Array:
    """Return the real parts, nan where a value is not real (a condition on it is false)."""
    return np.where(np.abs(z.imag) <= TOLERANCE * (1 + np.abs(z.real)), z.real, np.nan)


def _real_function(function: Callable[[float], float], reals: Array) -> Array:
    """Return ``function`` at each real number, nan where it has no value or overflows."""
    out = np.full(reals.shape, np.nan, dtype=complex)
    for i, x in enumerate(reals.tolist()):
        try:
            out[i] = function(x)
        except (ValueError, OverflowError):
            continue
    return out


def _sympy_number(z: complex) -> sp.Expr:
    """Return a complex number as a SymPy number: a Float when it is real."""
    real = sp.Float(z.real, 17)
    return real if z.imag == 0 else real + sp.I * sp.Float(z.imag, 17)


def _pointwise(node: sp.Basic, var: sp.Symbol, xs: Array, args: Sequence[Array]) -> Array:
    """Return ``node`` point by point: its function on numeric arguments, or evalf at x."""
    out = np.full(xs.shape, np.nan, dtype=complex)
    for i, x in enumerate(xs):
        try:
            if isinstance(node, sp.Function) and args:
                numbers = [_sympy_number(arg[i]) for arg in args]
                value = node.func(*numbers).evalf(PRECISION)
            else:
                value = node.evalf(PRECISION, subs={var: sp.Float(x.real, PRECISION)})
            if value.is_number:
                out[i] = complex(value)
        except (ArithmeticError, ValueError, TypeError, OverflowError, AttributeError):
            continue
    return out


def _apply(node: sp.Basic, var: sp.Symbol, xs: Array, args: list[Array]) -> Array:
    """Return the values of ``node`` from the values of its arguments."""
    if isinstance(node, (sp.Add, sp.Mul)):
        total = args[0].copy()
        for arg in args[1:]:
            total = total + arg if isinstance(node, sp.Add) else total * arg
        return total
    if isinstance(node, sp.Pow):
        return np.power(args[0], args[1])
    if isinstance(node, (sp.UnevaluatedExpr, Paren)):
        return args[0]
    if type(node) in _UFUNCS and len(args) == 1:
        return _UFUNCS[type(node)](args[0])
    if type(node) in _REAL_FUNCTIONS and len(args) == 1 and not np.any(args[0].imag):
        return _real_function(_REAL_FUNCTIONS[type(node)], args[0].real)
    if isinstance(node, (sp.Max, sp.Min)):
        pick = np.fmax if isinstance(node, sp.Max) else np.fmin
        reals = [_real_only(a) for a in args]
        best = reals[0]
        for other in reals[1:]:
            best = pick(best, other)
        bad = np.any([np.isnan(r) for r in reals], axis=0)
        return np.where(bad, np.nan, best).astype(complex)
    if isinstance(node, Relational):
        return _COMPARE[node.rel_op](_real_only(args[0]), _real_only(args[1]))
    if isinstance(node, (sp.And, sp.Or)):
        return (
            np.logical_and.reduce(args) if isinstance(node, sp.And) else np.logical_or.reduce(args)
        )
    if isinstance(node, sp.Not):
        return np.logical_not(args[0])
    if isinstance(node, sp.Piecewise):
        out = np.full(xs.shape, np.nan, dtype=complex)
        taken = np.zeros(xs.shape, dtype=bool)
        for pair in args:
            value, condition = pair
            use = condition & ~taken
            out = np.where(use, value, out)
            taken |= condition
        return out
    return _pointwise(node, var, xs, args)


def _leaf(node: sp.Basic, var: sp.Symbol, xs: Array) -> Array | None:
    """Return the values of a node computed without its arguments' values, else None."""
    if isinstance(node, sp.Symbol):
        return xs if node.name == var.name else np.full(xs.shape, np.nan, dtype=complex)
    if isinstance(node, BooleanAtom):
        return np.full(xs.shape, bool(node), dtype=bool)
    if isinstance(node, (sp.Number, sp.NumberSymbol, sp.core.numbers.ImaginaryUnit)):
        return _number(node, xs.shape)
    if isinstance(node, _STRUCTURAL):
        return None
    if isinstance(node, sp.Function) and all(_is_term(arg) for arg in node.args):
        return None  # a function of terms: numpy's, or SymPy's on numeric arguments
    return _pointwise(node, var, xs, ())


def _is_term(arg: sp.Basic) -> bool:
    return isinstance(arg, sp.Expr) and not isinstance(arg, sp.Lambda)


def values(expr: sp.Basic, var: sp.Symbol, points: Sequence[float]) -> Array:
    """Return ``expr`` at ``var`` = each of ``points``, as a complex array (inf, nan allowed).

    Every symbol named like ``var`` takes the value, whatever its assumptions.
    """
    xs = np.asarray(points, dtype=float).astype(complex)
    done: dict[sp.Basic, Array] = {}
    stack: list[tuple[sp.Basic, bool]] = [(expr, False)]
    with np.errstate(all="ignore"):
        while stack:
            node, ready = stack.pop()
            if node in done:
                continue
            if not ready:
                leaf = _leaf(node, var, xs)
                if leaf is not None:
                    done[node] = leaf
                    continue
                stack.append((node, True))
                stack.extend((arg, False) for arg in node.args if arg not in done)
                continue
            args = [done[arg] for arg in node.args]
            if isinstance(node, ExprCondPair):
                done[node] = args  # (value, condition)
            else:
                done[node] = _apply(node, var, xs, args)
    return done[expr]


def real_values(
    expr: sp.Basic, var: sp.Symbol, points: Sequence[float]
) -> tuple[float | None, ...]:
    """Return ``expr`` at each point as a float, or None where it is not a finite real number."""
    z = np.asarray(values(expr, var, points), dtype=complex)
    with np.errstate(all="ignore"):
        real = np.isfinite(z.real) & np.isfinite(z.imag)
        real &= np.abs(z.imag) <= TOLERANCE * (1 + np.abs(z.real))
    return tuple(
        float(v) if ok else None for v, ok in zip(z.real.tolist(), real.tolist(), strict=True)
    )


#: Functions whose value jumps where their argument's sign changes (or passes an integer).
_STEPS: dict[type[sp.Basic], Callable[[Array], Array]] = {
    sp.sign: np.sign,
    sp.Heaviside: np.sign,
    sp.floor: np.floor,
    sp.ceiling: np.ceil,
}


def branches(expr: sp.Basic, var: sp.Symbol, points: Sequence[float]) -> Array:
    """Return, for each point, which piece of each Piecewise (and step of each sign) it is on.

    A float array of shape (pieces, points): one row for each distinct Piecewise node (the
    index of the condition that holds, -1 for none) and each sign, Heaviside, floor or
    ceiling (its value); where a row changes between two points the expression may jump.
    """
    xs = np.asarray(points, dtype=float)
    rows: list[Array] = []
    for node in sorted(expr.atoms(sp.Piecewise, *_STEPS), key=sp.default_sort_key):
        if isinstance(node, sp.Piecewise):
            row = np.full(xs.shape, -1.0)
            for index, (_, condition) in reversed(list(enumerate(node.args))):
                holds = np.asarray(values(condition, var, points), dtype=bool)
                row = np.where(holds, float(index), row)
        else:
            with np.errstate(all="ignore"):
                row = np.nan_to_num(
                    _STEPS[type(node)](_real_only(values(node.args[0], var, points))), nan=-2.0
                )
        rows.append(np.broadcast_to(row, xs.shape))
    return np.array(rows, dtype=float).reshape(len(rows), len(xs))
