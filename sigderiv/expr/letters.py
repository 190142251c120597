"""The letters of a rule's template math (u, v, g, n), kept apart from the user's own names."""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef, UndefinedFunction

from sigderiv.expr.walk import names_in

#: Letters tried, in order, when the one a rule wants is taken.
_ALTERNATES = "uwtsvpqrhkabc"

#: The mark of a derivative written with a prime, as in u′ and g′(y).
PRIME = "′"


def letters(expr: sp.Basic, *wanted: str) -> tuple[sp.Symbol, ...]:
    """Return a symbol for each wanted letter, the next unused one where ``expr`` has it.

    The quotient rule speaks of u and v, the chain rule of g and y; a user who wrote
    ``g(g(x))`` must not read their own g in the rule's template.
    """
    taken = set(names_in(expr))
    chosen: list[sp.Symbol] = []
    for letter in wanted:
        candidates = [letter, *_ALTERNATES, *(f"{letter}{i}" for i in range(1, 99))]
        name = next(c for c in candidates if c not in taken and c + PRIME not in taken)
        taken.add(name)
        chosen.append(sp.Symbol(name))
    return tuple(chosen)


def primed(letter: sp.Symbol) -> sp.Symbol:
    """Return u′ for the letter u: the derivative of a template letter, written with a prime."""
    return sp.Symbol(letter.name + PRIME, **letter.assumptions0)


def function_named(letter: sp.Symbol, *args: sp.Expr, prime: bool = False) -> AppliedUndef:
    """Return g(y) (or g′(y) with ``prime``) for the letter g: a template function applied."""
    name = letter.name + (PRIME if prime else "")
    applied: AppliedUndef = UndefinedFunction(name)(*args)
    return applied


def equation(lhs: sp.Basic, rhs: sp.Basic) -> sp.Basic:
    """Return ``lhs = rhs`` as written, never evaluated to True or False."""
    return sp.Eq(lhs, rhs, evaluate=False)
