"""Substitution of named functions: 1/(1 + e^(−u)) becomes σ(u) wherever it appears."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import display, explicit, sigma
from sigderiv.display import add, product
from sigderiv.rules.substitute import substitute_named
from sigderiv.steps import Rule

X, K, T = sp.symbols("x k t")
E = sp.exp


def definition(u: sp.Expr) -> sp.Expr:
    """The sigmoid's definition at u, as a user would type it."""
    return 1 / (1 + E(-u))


def same(before: sp.Expr, after: sp.Expr) -> bool:
    """True when before and after are equal as functions."""
    return sp.simplify(explicit(before) - explicit(after)) == 0


@pytest.mark.parametrize(
    "u",
    [X, 2 * X, K * X, -X, T, X + 1, -K * T],
    ids=["x", "2x", "kx", "-x", "t", "x+1", "-kt"],
)
def test_definition_becomes_sigma(u: sp.Expr) -> None:
    before = definition(u)
    rewrite = substitute_named(before)
    assert rewrite is not None
    assert rewrite.rule is Rule.SUBSTITUTE
    assert rewrite.after == sigma(u)
    assert rewrite.title == f"Substitute {display.inline(sigma(u))}"
    assert f"{display.inline(sigma(u))} = {display.inline(before)} by definition" in (
        rewrite.explanation
    )
    assert same(before, rewrite.after)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (X * definition(X), X * sigma(X)),
        (2 / (1 + E(-X)), 2 * sigma(X)),
        (1 + definition(3 * X), 1 + sigma(3 * X)),
        (definition(X) + definition(2 * X), sigma(X) + sigma(2 * X)),
        (definition(X) * (1 - definition(X)), sigma(X) * (1 - sigma(X))),
        (K * E(X) * definition(K * X), K * E(X) * sigma(K * X)),
    ],
)
def test_substitution_inside_expressions(before: sp.Expr, after: sp.Expr) -> None:
    rewrite = substitute_named(before)
    assert rewrite is not None
    assert rewrite.rule is Rule.SUBSTITUTE
    assert rewrite.after.doit() == after
    assert same(before, rewrite.after)


def test_two_different_arguments_are_both_named() -> None:
    rewrite = substitute_named(definition(X) + definition(2 * X))
    assert rewrite is not None
    assert rewrite.title == "Substitute σ(x), σ(2·x)"


@pytest.mark.parametrize(
    ("u", "shown"),
    [(X, "σ(x)⋅(1 - σ(x))"), (K * X, "σ(k⋅x)⋅(1 - σ(k⋅x))"), (-T, "σ(-t)⋅(1 - σ(-t))")],
)
def test_substitution_into_the_factored_form(u: sp.Expr, shown: str) -> None:
    den = 1 + E(-u)
    before = product(1 / den, add(1, -1 / den))
    rewrite = substitute_named(before)
    assert rewrite is not None
    assert same(before, rewrite.after)
    # the display wrappers around the fractions are gone with the fractions
    assert not rewrite.after.has(sp.UnevaluatedExpr)
    assert display.pretty(rewrite.after) == shown
    assert rewrite.after.doit() == sigma(u) * (1 - sigma(u))


def test_substitution_keeps_a_constant_factor_in_front() -> None:
    den = 1 + E(-2 * X)
    before = product(sp.Integer(2), 1 / den, add(1, -1 / den))
    rewrite = substitute_named(before)
    assert rewrite is not None
    assert display.pretty(rewrite.after) == "2⋅σ(2⋅x)⋅(1 - σ(2⋅x))"


@pytest.mark.parametrize(
    "expr",
    [
        1 / (2 + E(-X)),  # not the definition: 2 instead of 1
        1 / (1 + 2 * E(-X)),
        E(-X) / (1 + E(-X)) ** 2,  # the base appears, but only squared
        1 / (1 + E(-X)) ** 2,
        X**2,
        E(X),
        sigma(X),  # already named
        sp.Rational(1, 2),  # σ(0), but a number is left alone
        sp.Integer(1),
    ],
)
def test_nothing_to_substitute(expr: sp.Expr) -> None:
    assert substitute_named(expr) is None


def test_no_named_functions_means_nothing_to_substitute() -> None:
    assert substitute_named(definition(X), functions=()) is None
