"""How rules are combined: the pending derivatives of a pass, found and replaced."""

from __future__ import annotations

import sympy as sp

from sigderiv.engine.strategies import _Derivatives, derivative_passes
from sigderiv.expr.build import add, mul
from sigderiv.rules import first_rewrite

X, K = sp.symbols("x k")


def d(expr: sp.Expr) -> sp.Derivative:
    """d/dx(expr), left pending."""
    return sp.Derivative(expr, X, evaluate=False)


def test_first_is_the_first_pending_derivative_in_reading_order() -> None:
    found = _Derivatives(X)
    expr = add(mul(sp.cos(X), d(X**2)), d(sp.sin(X)))
    assert found.first(expr, set()) == d(X**2)
    assert found.first(expr, {d(X**2)}) == d(sp.sin(X))
    assert found.first(sp.sin(X) + 1, set()) is None


def test_a_derivative_in_another_variable_is_not_pending() -> None:
    assert _Derivatives(X).first(sp.Derivative(K**2, K, evaluate=False), set()) is None


def test_replace_changes_every_copy_and_keeps_the_form() -> None:
    found = _Derivatives(X)
    expr = add(mul(2, d(X**2)), mul(d(X**2), sp.Integer(-1)))
    after = found.replace(expr, d(X**2), 2 * X)
    assert after == add(mul(2, 2 * X), mul(2 * X, sp.Integer(-1)))


def test_subtrees_without_a_derivative_are_walked_once_in_a_pass() -> None:
    found = _Derivatives(X)
    inner = X
    for _ in range(20):
        inner = sp.sin(inner)
    expr = mul(sp.cos(inner), d(inner))
    found.first(expr, set())
    known = dict(found._inside)
    assert not known[sp.cos(inner)] and known[expr] == {d(inner)}
    again = found.replace(expr, d(inner), sp.cos(inner))
    assert found._inside == known  # nothing new to find out: no subtree walked again
    assert again == mul(sp.cos(inner), sp.cos(inner))


def test_passes_take_the_inner_functions_after_the_outer_ones() -> None:
    passes = list(derivative_passes(d(sp.sin(X**2) + X), X, first_rewrite))
    assert [len(p) for p in passes] == [3, 1]  # sum, sin, x; then x² in the second pass
    last = passes[-1][-1].after
    assert not last.has(sp.Derivative)
    assert sp.simplify(last.doit() - sp.diff(sp.sin(X**2) + X, X)) == 0
