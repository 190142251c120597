"""The identities of σ: ratios of exponentials as σ, σ(u) + σ(−u) = 1, solving for tanh."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import explicit, sigma
from sigderiv.engine.verify import check_identity
from sigderiv.model.steps import CheckStatus, Rule
from sigderiv.rules.logistic import exp_ratio, sigma_complement
from sigderiv.rules.substitute import solve_for_named

A, B, C, K, W, X, Y, Z = sp.symbols("a b c k w x y z")
E = sp.exp
S = sigma


def holds(before: sp.Expr, after: sp.Expr) -> bool:
    """True when the step ``before = after`` is proven by the engine's own check."""
    return check_identity(before, after).status is CheckStatus.VERIFIED


def same(before: sp.Expr, after: sp.Expr) -> bool:
    return sp.simplify(explicit(before) - explicit(after)) == 0


@pytest.mark.parametrize(
    ("before", "after", "title"),
    [
        (E(A) / (E(A) + E(B)), S(A - B), "Use e^u/(e^u + e^v) = σ(u − v)"),
        (E(B) / (E(A) + E(B)), S(B - A), "Use e^u/(e^u + e^v) = σ(u − v)"),
        (K * E(2 * X) / (E(2 * X) + E(Y)), K * S(2 * X - Y), "Use e^u/(e^u + e^v) = σ(u − v)"),
        (
            E(W * X + B) / (E(W * X + B) + E(C)),
            S(W * X + B - C),
            "Use e^u/(e^u + e^v) = σ(u − v)",
        ),
        (E(A + B) / (E(A) + E(B)) ** 2, S(A - B) * S(B - A), "Use e^u/(e^u + e^v) = σ(u − v)"),
        (E(2 * A) / (E(A) + E(B)) ** 2, S(A - B) ** 2, "Use e^u/(e^u + e^v) = σ(u − v)"),
        (
            E(-Z) / (1 + E(-Z)) ** 2,
            S(-Z) * S(Z),
            "Use e^u/(1 + e^u) = σ(u) and 1/(1 + e^u) = σ(−u)",
        ),
        (
            Y * E(X) / (1 + E(X)) ** 3,
            Y * S(X) * S(-X) ** 2,
            "Use e^u/(1 + e^u) = σ(u) and 1/(1 + e^u) = σ(−u)",
        ),
        (
            E(K * X) / (1 + E(K * X)) ** 2 + X,
            X + S(K * X) * S(-K * X),
            "Use e^u/(1 + e^u) = σ(u) and 1/(1 + e^u) = σ(−u)",
        ),
        (
            sp.log(E(A) / (E(A) + E(B))),
            sp.log(S(A - B)),
            "Use e^u/(e^u + e^v) = σ(u − v)",
        ),
    ],
    ids=str,
)
def test_a_ratio_of_exponentials_is_a_sigmoid(before: sp.Expr, after: sp.Expr, title: str) -> None:
    rewrite = exp_ratio(before)
    assert rewrite is not None
    assert rewrite.rule is Rule.EXP_RATIO
    assert rewrite.after.doit() == after
    assert str(rewrite.title) == title
    assert same(before, rewrite.after)
    assert holds(before, rewrite.after)


@pytest.mark.parametrize(
    "before",
    [
        E(A) / (E(A) + E(B) + E(C)),  # three exponentials: no two-term sum
        E(A) / (2 * E(A) + E(B)),  # a coefficient in the denominator
        E(C) / (E(A) + E(B)),  # e^c pairs with neither
        X * E(X) * (X + E(X) + 1) / (1 + E(X)) ** 2,  # an e^x would be left: solved instead
        1 / (1 + E(-X)),  # the definition itself: the substitution's work
        E(X) + X,
        sp.sin(X) / (1 + X),
    ],
    ids=str,
)
def test_no_ratio_no_step(before: sp.Expr) -> None:
    assert exp_ratio(before) is None


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (S(Z) - Y * S(Z) - Y * S(-Z), S(Z) - Y),
        (S(Z) * S(-Z), S(Z) * (1 - S(Z))),
        (S(Z) * S(-Z) * (S(Z) - Y), S(Z) * (1 - S(Z)) * (S(Z) - Y)),
        (S(A - B) * S(B - A), S(A - B) * (1 - S(A - B))),
        (S(X) + S(-X), sp.Integer(1)),
        (S(X) - S(-X), 2 * S(X) - 1),
        (X * (S(W * X + B) - Y * S(-W * X - B) - Y * S(W * X + B)), X * (S(W * X + B) - Y)),
        (sp.log(S(-K * X)) + S(K * X), sp.log(1 - S(K * X)) + S(K * X)),
    ],
    ids=str,
)
def test_one_sigmoid_for_each_argument(before: sp.Expr, after: sp.Expr) -> None:
    rewrite = sigma_complement(before)
    assert rewrite is not None
    assert rewrite.rule is Rule.SIGMA_COMPLEMENT
    assert str(rewrite.title) == "Use σ(u) + σ(−u) = 1"
    assert sp.expand(rewrite.after.doit() - after) == 0
    assert same(before, rewrite.after)
    assert holds(before, rewrite.after)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (1 - S(-Z), S(Z)),
        (S(-Z) - 1, -S(Z)),
        (Y * (1 - S(-K * X)), Y * S(K * X)),
        (X + (S(-X) - 1) * Y, X - Y * S(X)),
    ],
    ids=str,
)
def test_the_complement_read_back(before: sp.Expr, after: sp.Expr) -> None:
    rewrite = sigma_complement(before)
    assert rewrite is not None
    assert rewrite.after.doit() == after
    assert holds(before, rewrite.after)


@pytest.mark.parametrize(
    "before",
    [
        S(Z) * (1 - S(Z)),  # the textbook form, one argument already
        -S(B - A) * (1 - S(B - A)),  # σ(b − a) alone: no σ(a − b) to read it in
        1 - S(Z),  # σ(−z) is no shorter
        S(-Z),
        S(X) + S(-Y),  # different arguments
        X + 1,
    ],
    ids=str,
)
def test_nothing_to_complement_no_step(before: sp.Expr) -> None:
    assert sigma_complement(before) is None


@pytest.mark.parametrize(
    ("before", "after", "named"),
    [
        (4 / (2 + E(2 * X) + E(-2 * X)), 1 - sp.tanh(X) ** 2, sp.tanh(X)),
        (4 * E(2 * Z) / (1 + E(2 * Z)) ** 2, 1 - sp.tanh(Z) ** 2, sp.tanh(Z)),
        (4 * K / (2 + E(2 * K * X) + E(-2 * K * X)), K * (1 - sp.tanh(K * X) ** 2), None),
        (E(X) / (1 + E(X)) ** 2, S(X) * (1 - S(X)), S(X)),
    ],
    ids=str,
)
def test_solving_for_the_exponential_takes_the_shorter_name(
    before: sp.Expr, after: sp.Expr, named: sp.Expr | None
) -> None:
    rewrite = solve_for_named(before)
    assert rewrite is not None
    assert rewrite.rule is Rule.SOLVE_SUBSTITUTE
    assert sp.expand(rewrite.after.doit() - after) == 0
    if named is not None:
        assert rewrite.after.has(named)
    assert holds(before, rewrite.after)
