"""Real symbols: sigderiv differentiates real functions of real variables, unless told otherwise."""

from __future__ import annotations

import sympy as sp


def unassumed(symbol: sp.Basic) -> bool:
    """True for a symbol the user gave no assumptions (Symbol("x")): it is taken as real.

    A symbol declared ``imaginary=True``, ``complex=True``, ``positive=True`` and so on keeps
    what it was declared to be.
    """
    return isinstance(symbol, sp.Symbol) and set(symbol.assumptions0) <= {"commutative"}


def real_symbols(expr: sp.Basic) -> dict[sp.Symbol, sp.Symbol]:
    """Return each unassumed symbol of ``expr`` mapped to the real symbol of its name."""
    return {s: sp.Symbol(s.name, real=True) for s in expr.free_symbols if unassumed(s)}
