"""The letters of a rule's template math (u, v, g, n), kept apart from the user's own names."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

import sympy as sp
from sympy.core.function import AppliedUndef, UndefinedFunction

from sigderiv.expr.walk import names_in

#: Letters tried, in order, when the one a rule wants is taken.
_ALTERNATES = "uwtsvpqrhkabc"

#: The mark of a derivative written with a prime, as in u′ and g′(y).
PRIME = "′"


#: The names of the whole problem being derived: a rule looking at one part of it must not
#: use them either (the chain rule's g(y) inside a loss that has a label y).
_PROBLEM: ContextVar[frozenset[str]] = ContextVar("sigderiv_problem_names", default=frozenset())


def taken(expr: sp.Basic, *, functions: bool = False) -> frozenset[str]:
    """The names ``expr`` uses (its unknown functions' too with ``functions``) and the problem's."""
    found = names_in(expr) | _PROBLEM.get()
    if functions:
        found |= {f.func.__name__ for f in expr.atoms(AppliedUndef)}
    return found


@contextmanager
def problem(expr: sp.Basic) -> Iterator[None]:
    """Within this block, template letters also avoid every name of ``expr``."""
    token = _PROBLEM.set(taken(expr, functions=True))
    try:
        yield
    finally:
        _PROBLEM.reset(token)


def letters(expr: sp.Basic, *wanted: str) -> tuple[sp.Symbol, ...]:
    """Return a symbol for each wanted letter, the next unused one where ``expr`` has it.

    The quotient rule speaks of u and v, the chain rule of g and y; a user who wrote
    ``g(g(x))`` must not read their own g in the rule's template.
    """
    used = set(taken(expr))
    chosen: list[sp.Symbol] = []
    for letter in wanted:
        candidates = [letter, *_ALTERNATES, *(f"{letter}{i}" for i in range(1, 99))]
        name = next(c for c in candidates if c not in used and c + PRIME not in used)
        used.add(name)
        chosen.append(sp.Symbol(name))
    return tuple(chosen)


def primed(letter: sp.Symbol) -> sp.Symbol:
    """Return u′ for the letter u: the derivative of a template letter, written with a prime."""
    return sp.Symbol(letter.name + PRIME, **letter.assumptions0)


def function_named(letter: sp.Symbol, *args: sp.Expr, prime: bool = False) -> AppliedUndef:
    """Return g(y) (or g′(y) with ``prime``) for the letter g: a template function applied."""
    name = letter.name + (PRIME if prime else "")
    applied: AppliedUndef = _template(name)(*args)
    return applied


@lru_cache(maxsize=512)
def _template(name: str) -> UndefinedFunction:
    """The template function called ``name``, made once: SymPy makes a class for each one
    (a tenth of a millisecond), equal to any other of that name."""
    return UndefinedFunction(name)


def equation(lhs: sp.Basic, rhs: sp.Basic) -> sp.Basic:
    """Return ``lhs = rhs`` as written, never evaluated to True or False."""
    return sp.Eq(lhs, rhs, evaluate=False)
