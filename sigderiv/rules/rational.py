"""Expressions as rational functions of their atoms: cheap exact tests before cancel."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import sympy as sp

from sigderiv.expr.walk import fold
from sigderiv.input.limits import MAX_EXPANDED_POWER


def atoms_as_symbols(expr: sp.Expr, memo: dict[sp.Basic, sp.Basic] | None = None) -> sp.Expr:
    """Return ``expr`` with every part that is not +, · or an integer power made a symbol.

    Equal parts become the same symbol: each distinct subtree is looked at once, and parts
    of several expressions folded with one ``memo`` get the same symbols.
    """

    def combine(node: sp.Basic, walk: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
        if node.is_Number or node.is_Symbol:
            return node
        if node.is_Add or node.is_Mul:
            return node.func(*(walk(a) for a in node.args))
        if (
            node.is_Pow
            and node.exp.is_Integer
            and (node.base.is_Symbol or abs(node.exp) <= MAX_EXPANDED_POWER)
        ):
            return walk(node.base) ** node.exp
        return sp.Dummy("a")

    return fold({} if memo is None else memo, expr, combine)


def as_rational_function(expr: sp.Expr) -> Any | None:
    """Return ``expr`` in lowest terms as an element of SymPy's field of its atoms, or None.

    None when it is not a rational function of its atoms over an exact domain: floats are
    not trusted to cancel.
    """
    values = as_rational_functions(expr)
    return None if values is None else values[0]


def as_rational_functions(*exprs: sp.Expr) -> list[Any] | None:
    """Return the ``exprs`` as elements of one field of their atoms (the same part, the same
    symbol), or None as :func:`as_rational_function` does.

    The field is the one SymPy's ``sfield`` makes of them (over ℤ, the generators in SymPy's
    order), but each expression is built in it here by the field's own +, · and powers, each
    distinct subtree once. ``sfield`` first puts the whole expression over one denominator
    and multiplies it out as SymPy expressions (``as_numer_denom``, ``expand``), which costs
    it more than the arithmetic (a tenth of σ(x)'s derivation, whose proofs are small).
    """
    from sympy.polys.domains import ZZ
    from sympy.polys.fields import field
    from sympy.polys.polyutils import _sort_gens

    memo: dict[sp.Basic, sp.Basic] = {}
    symbolized = [atoms_as_symbols(e, memo) for e in exprs]
    generators = _sort_gens(set().union(*(e.free_symbols for e in symbolized)))
    built, *named = field(generators, ZZ)
    in_field = dict(zip(generators, named, strict=True))

    def combine(node: sp.Basic, walk: Callable[[sp.Basic], Any]) -> Any:
        if node.is_Symbol:
            return in_field[node]
        if node.is_Rational:
            return built(int(node.p)) / int(node.q)
        if node.is_Add or node.is_Mul:
            values = [walk(a) for a in node.args]
            value = values[0]
            for other in values[1:]:
                value = value + other if node.is_Add else value * other
            return value
        if node.is_Pow:  # an integer power: atoms_as_symbols made every other part a symbol
            return walk(node.base) ** int(node.exp)
        raise ValueError(node)  # a float or an infinity: not trusted to cancel

    folded: dict[sp.Basic, Any] = {}
    try:
        return [fold(folded, e, combine) for e in symbolized]
    except (ValueError, ZeroDivisionError):
        return None


def involves_ratio(numerator: sp.Expr, denominator: sp.Expr, symbols: Iterable[sp.Symbol]) -> bool:
    """Whether numerator/denominator in lowest terms, a rational function of the atoms of
    both, has ``symbols``.

    A cheap test before ``cancel``, without building the quotient: were it free of them, its
    numerator and denominator in lowest terms would be too. False when the two are not such
    functions or the denominator is 0: nothing is learnt.
    """
    values = as_rational_functions(numerator, denominator)
    if values is None or not values[1]:
        return False
    ratio = values[0] / values[1]
    wanted = set(symbols)
    places = [i for i, s in enumerate(ratio.field.symbols) if s in wanted]
    return any(m[i] for part in (ratio.numer, ratio.denom) for m in part.monoms() for i in places)
