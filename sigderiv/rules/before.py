"""Rewrites of the function before it is differentiated: max/min as pieces, 0ʷ and 1ʷ."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.letters import equation
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, listed, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Family, declaring

__all__ = ["base_power_rule", "min_max_rule", "unit_powers"]

_U, _V = sp.symbols("u v")


def _outermost(function: sp.Expr, kinds: tuple[type[sp.Basic], ...]) -> list[sp.Expr]:
    """The nodes of ``kinds`` in ``function`` that no other node of ``kinds`` holds, in order."""
    found: list[sp.Expr] = []
    stack: list[sp.Basic] = [function]
    while stack:
        node = stack.pop()
        if isinstance(node, kinds):
            if node not in found:
                found.append(node)
            continue
        stack.extend(reversed(node.args))
    return found


def _in_pieces(node: sp.Expr) -> sp.Expr:
    """max/min as SymPy's own Piecewise, with its arguments written in pieces too."""
    inner = node.func(*(_written(arg) for arg in node.args), evaluate=False)
    return inner.rewrite(sp.Piecewise)


def _written(function: sp.Expr) -> sp.Expr:
    """``function`` with every max and min written in pieces."""
    nodes = _outermost(function, (sp.Max, sp.Min))
    return function.xreplace({node: _in_pieces(node) for node in nodes}) if nodes else function


@declaring(
    "min_max_rule",
    "Write max and min in pieces",
    name="max and min in pieces",
    family=Family.ALGEBRA,
    rewrite="max(u, v) → {u if u ≥ v else v}, min(u, v) → {u if u ≤ v else v}",
    when="`max(x, 0)` → {0 if x ≤ 0 else x}, before the piecewise rule",
    example="max(x, 0)",
)
def min_max_rule(start: sp.Expr) -> Rewrite | None:
    """d/dx max(u, v) -> d/dx {u if u ≥ v else v}; min likewise, with u ≤ v."""
    if not isinstance(start, sp.Derivative):
        return None
    function = start.expr
    nodes = _outermost(function, (sp.Max, sp.Min))
    if not nodes:
        return None
    pieces = {node: _in_pieces(node) for node in nodes}
    said = listed([equation(node, piece) for node, piece in pieces.items()], "; ", "pieces")
    return Rewrite(
        Rule.MIN_MAX_RULE,
        Words.plain("Write max and min in pieces"),
        words(
            "The largest of several values is each value where it is at least every other one "
            "({max_rule}); the smallest, where it is at most every other one. Written in "
            "pieces: {said}. The pieces are differentiated one by one.",
            max_rule=equation(
                sp.Max(_U, _V, evaluate=False), sp.Piecewise((_U, _U >= _V), (_V, True))
            ),
            said=said,
        ),
        sp.Derivative(function.xreplace(pieces), *start.variable_count, evaluate=False),
    )


def unit_powers(function: sp.Expr) -> list[sp.Pow]:
    """The powers 0ʷ and 1ʷ in ``function`` whose exponent w is not a number."""
    return sorted(
        (
            node
            for node in function.atoms(sp.Pow)
            if node.base in (sp.S.Zero, sp.S.One) and not node.exp.is_number
        ),
        key=sp.default_sort_key,
    )


@declaring(
    "base_power_rule",
    "Powers of 0 and 1",
    name="the powers of 0 and 1",
    family=Family.ALGEBRA,
    rewrite="0ʷ → 0 for w > 0 (undefined for w < 0); 1ʷ → 1",
    when="`0^(2^x + x^3 + 2)` → 0 where 2ˣ + x³ + 2 > 0, before differentiating",
    example="0^(2^x + x^3 + 2)",
)
def base_power_rule(start: sp.Expr) -> Rewrite | None:
    """d/dx 0ʷ -> d/dx 0 where w > 0, and d/dx 1ʷ -> d/dx 1: the power is a constant."""
    if not isinstance(start, sp.Derivative):
        return None
    function = start.expr
    powers = [p for p in unit_powers(function) if not (p.base == 0 and p.exp.is_nonpositive)]
    if not powers:
        return None
    values = {p: p.base for p in powers}
    zeros = [p.exp for p in powers if p.base == 0]
    said = listed([equation(p, p.base) for p in powers], "; ", "power")
    explanation = words(
        "A power of 0 or 1 is a constant wherever it is defined: {said}.", said=said
    )
    if zeros:
        explanation += words(
            " This holds where {condition}: 0 to a positive power is 0, while 0 to a negative "
            "power is not defined (it would divide by 0).",
            condition=listed([sp.StrictGreaterThan(w, 0, evaluate=False) for w in zeros], " and "),
        )
    return Rewrite(
        Rule.BASE_POWER_RULE,
        Words.plain("Powers of 0 and 1"),
        explanation,
        sp.Derivative(function.xreplace(values), *start.variable_count, evaluate=False),
    )
