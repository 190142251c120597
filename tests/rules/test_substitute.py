"""Substitution of named functions: 1/(1 + e^(−u)) becomes σ(u) wherever it appears."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import explicit, sigma
from sigderiv.expr.build import add, product
from sigderiv.expr.functions import CATALOGUE, Defined
from sigderiv.model.steps import Rule
from sigderiv.printing import inline as inline_printing
from sigderiv.printing import pretty as pretty_printing
from sigderiv.rules.substitute import solve_for_named, substitute_named

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
    assert str(rewrite.title) == f"Substitute {inline_printing.inline(sigma(u))}"
    assert (
        f"{inline_printing.inline(sigma(u))} = {inline_printing.inline(before)}"
        in rewrite.explanation
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
    assert str(rewrite.title) == "Substitute σ(x), σ(2x)"


@pytest.mark.parametrize(
    ("u", "shown"),
    [(X, "σ(x)(1 - σ(x))"), (K * X, "σ(kx)(1 - σ(kx))"), (-T, "σ(-t)(1 - σ(-t))")],
)
def test_substitution_into_the_factored_form(u: sp.Expr, shown: str) -> None:
    den = 1 + E(-u)
    before = product(1 / den, add(1, -1 / den))
    rewrite = substitute_named(before)
    assert rewrite is not None
    assert same(before, rewrite.after)
    # the display wrappers around the fractions are gone with the fractions
    assert not rewrite.after.has(sp.UnevaluatedExpr)
    assert pretty_printing.pretty(rewrite.after) == shown
    assert rewrite.after.doit() == sigma(u) * (1 - sigma(u))


def test_substitution_keeps_a_constant_factor_in_front() -> None:
    den = 1 + E(-2 * X)
    before = product(sp.Integer(2), 1 / den, add(1, -1 / den))
    rewrite = substitute_named(before)
    assert rewrite is not None
    assert pretty_printing.pretty(rewrite.after) == "2σ(2x)(1 - σ(2x))"


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


# ---- σ(u) or σ(−u): 1/(1 + e^x) is σ(−x) unless an e^x pairs with it into σ(x) ---------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(1 / (1 + E(X)), sigma(-X), id="alone"),
        pytest.param(X / (1 + E(X)), X * sigma(-X), id="times x"),
        pytest.param(E(X) / (1 + E(X)), sigma(X), id="paired in the product"),
        pytest.param(K * E(X) / (1 + E(X)), K * sigma(X), id="paired, a constant kept"),
        pytest.param(E(-X) / (1 + E(-X)), sigma(-X), id="paired, negative exponent"),
        pytest.param(E(2 * X) / (1 + E(X)), E(2 * X) * sigma(-X), id="e^2x does not pair"),
    ],
)
def test_positive_form_when_an_exponential_pairs(before: sp.Expr, after: sp.Expr) -> None:
    rewrite = substitute_named(before)
    assert rewrite is not None
    assert rewrite.after.doit() == after
    assert same(before, rewrite.after)


def test_a_lone_exponential_elsewhere_keeps_the_form_for_later() -> None:
    # e^x stands in another term: leave 1/(1 + e^x) for the later steps to pair into σ(x)
    assert substitute_named(E(X) + 1 / (1 + E(X))) is None


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            definition(X) * (1 - definition(X)) * (2 - definition(X)),
            sigma(X) * (1 - sigma(X)) * (2 - sigma(X)),
            id="three factors",
        ),
        pytest.param(
            X * definition(X) * sp.sin(definition(2 * X)),
            X * sigma(X) * sp.sin(sigma(2 * X)),
            id="inside a function",
        ),
        pytest.param(
            E(X) / (1 + E(X)) * (1 - 1 / (1 + E(-X))),
            sigma(X) * (1 - sigma(X)),
            id="paired, then inside the kept factor",
        ),
    ],
)
def test_every_occurrence_is_substituted(before: sp.Expr, after: sp.Expr) -> None:
    rewrite = substitute_named(before)
    assert rewrite is not None
    assert rewrite.after.doit() == after
    assert not rewrite.after.doit().has(sp.exp)
    assert same(before, rewrite.after)


# ---- a named function's own definition is never rewritten ---------------------------------------


def softplus(u: sp.Expr) -> sp.Expr:
    return CATALOGUE["softplus"].apply(u)


def test_substitution_leaves_a_definition_inside_a_named_function_alone() -> None:
    # softplus carries log(1 + e^y) inside; naming that softplus(y) would define it by itself
    before = X * sp.tanh(softplus(X)) + sp.log(1 + E(X))
    rewrite = substitute_named(before)
    assert rewrite is not None
    assert rewrite.after.doit() == X * sp.tanh(softplus(X)) + softplus(X)
    for applied in rewrite.after.atoms(Defined):
        assert applied.args[1] == softplus(X).args[1]
    assert str(rewrite.title) == "Substitute softplus(x)"
    assert same(before, rewrite.after)


def test_substitution_reaches_the_argument_of_a_named_function() -> None:
    rewrite = substitute_named(softplus(definition(X)))
    assert rewrite is not None
    assert rewrite.after == softplus(sigma(X))


def test_solving_for_sigma_leaves_a_named_function_alone() -> None:
    before = E(X) / (1 + E(X)) ** 2 * softplus(X)
    rewrite = solve_for_named(before)
    assert rewrite is not None
    assert str(rewrite.title) == "Write in terms of σ(x)"
    assert rewrite.after.doit() == sigma(X) * (1 - sigma(X)) * softplus(X)
    for applied in rewrite.after.atoms(Defined):
        assert applied.args[1] == softplus(X).args[1]
    assert same(before, rewrite.after)


def test_no_exponential_outside_a_named_function_means_nothing_to_solve() -> None:
    assert solve_for_named(X * sp.tanh(softplus(X))) is None


@pytest.mark.parametrize(
    "expr",
    [sp.sin(X) * sp.cos(X), X**2 + 1, sp.log(X) / X],
    ids=["trig", "polynomial", "log"],
)
def test_without_an_exponential_there_is_nothing_to_substitute(expr: sp.Expr) -> None:
    assert substitute_named(expr) is None
    assert solve_for_named(expr) is None
