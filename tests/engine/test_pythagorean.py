"""The exact route in sines and cosines: sin² + cos² = 1, multiple angles, tan as sin/cos."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv.engine.pythagorean import (
    MAX_EXPONENTIAL_OPS,
    MAX_OPS,
    exponentials_zero,
    powers_of_one_exponential,
    powers_of_roots,
    pythagorean_zero,
    relates_exponentials,
)
from sigderiv.engine.verify import check_identity
from sigderiv.model.steps import CheckStatus

X = sp.Symbol("x", real=True)
K = sp.Symbol("k", real=True)
s, c, t = sp.sin(X), sp.cos(X), sp.tan(X)
sh, ch = sp.sinh(X), sp.cosh(X)

#: (left, right) that are equal: the route proves each.
IDENTITIES = [
    pytest.param(s**2 + c**2, sp.Integer(1), id="pythagoras"),
    pytest.param(c**2 - s**2, sp.cos(2 * X), id="double angle cos"),
    pytest.param(2 * s * c, sp.sin(2 * X), id="double angle sin"),
    pytest.param(-s / c, -t, id="tan as a ratio"),
    pytest.param(1 + t**2, sp.sec(X) ** 2, id="sec squared"),
    pytest.param(
        (t**2 + t * sp.sec(X) + 1) / (t + sp.sec(X)),
        (t * sp.sec(X) + sp.sec(X) ** 2) / (t + sp.sec(X)),
        id="sec and tan fraction",
    ),
    pytest.param(
        -X * s**2 + X * c**2 + s * c, X * sp.cos(2 * X) + sp.sin(2 * X) / 2, id="with x around"
    ),
    pytest.param(sp.cos(3 * X), 4 * c**3 - 3 * c, id="triple angle"),
    pytest.param(sp.sin(X + 1), s * sp.cos(1) + c * sp.sin(1), id="sum in the argument"),
    pytest.param(sp.cot(K * X) * sp.sin(K * X), sp.cos(K * X), id="another argument"),
    pytest.param(
        sp.sin(X) ** 2 + sp.cos(K) ** 2, 1 - sp.cos(X) ** 2 + 1 - sp.sin(K) ** 2, id="two arguments"
    ),
    pytest.param(ch**2 - sh**2, sp.Integer(1), id="hyperbolic pythagoras"),
    pytest.param(2 * sh * ch, sp.sinh(2 * X), id="double angle sinh"),
    pytest.param(1 - sp.tanh(X) ** 2, sp.sech(X) ** 2, id="sech squared"),
    pytest.param(sp.exp(X) * (c**2 + s**2), sp.exp(X), id="other atoms stay symbols"),
]

#: (left, right) that differ, or are equal only by a route this one does not take.
NOT_PROVEN = [
    pytest.param(s**2 - c**2, 1, id="false"),
    pytest.param(c**2 - s**2, sp.cos(X), id="false angle"),
    pytest.param(sh**2 + ch**2, 1, id="hyperbolic sign"),
    pytest.param(s, sp.sin(X / 2) * sp.cos(X / 2), id="false half angle"),
    pytest.param(sp.exp(X) * sp.exp(-X), 1, id="no trigonometric function"),
    pytest.param(sp.Float(0.5) * s**2 + sp.Float(0.5) * c**2, sp.Float(0.5), id="floats"),
]


@pytest.mark.parametrize(("left", "right"), IDENTITIES)
def test_the_route_proves_identities_in_sines_and_cosines(left: sp.Expr, right: sp.Expr) -> None:
    assert pythagorean_zero(left - right) == 0


@pytest.mark.parametrize(("left", "right"), NOT_PROVEN)
def test_the_route_proves_nothing_else(left: sp.Expr, right: sp.Expr) -> None:
    difference = left - right
    assert pythagorean_zero(difference) == difference


def test_a_long_difference_is_left_to_simplify() -> None:
    long = sp.Add(*(sp.sin(X) ** k * sp.cos(X) ** (k + 1) for k in range(MAX_OPS)))
    assert pythagorean_zero(long - long.rewrite(sp.tan)) != 0


@pytest.mark.parametrize(("left", "right"), IDENTITIES[:5])
def test_a_check_names_the_route(left: sp.Expr, right: sp.Expr) -> None:
    check = check_identity(left, right)
    assert check.status is CheckStatus.VERIFIED
    assert check.method in {"rational", "cancel", "expand", "together", "pythagorean"}


def test_a_false_step_still_fails_with_a_counterexample() -> None:
    check = check_identity(c**2 - s**2, sp.cos(X))
    assert check.status is CheckStatus.FAILED
    assert check.counterexample


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param(
            (1 - sp.tanh(X / 2) ** 2) / (sp.tanh(X / 2) ** 2 + 1), 1 / sp.cosh(X), id="tanh half"
        ),
        pytest.param(2 * sp.sin(X / 2) * sp.cos(X / 2), sp.sin(X), id="sin half"),
        pytest.param(sp.cos(X / 3) ** 3 * 4 - 3 * sp.cos(X / 3), sp.cos(X), id="cos third"),
        pytest.param(X * sp.sin(X / 2) ** 2, X * (1 - sp.cos(X)) / 2, id="x outside too"),
    ],
)
def test_angles_that_are_fractions_of_one_are_written_in_that_one(
    left: sp.Expr, right: sp.Expr
) -> None:
    assert pythagorean_zero(left - right) == 0


def test_angles_of_two_variables_are_left_alone() -> None:
    y = sp.Symbol("y", real=True)
    difference = 2 * sp.sin(X / 2) * sp.cos(y / 2) - sp.sin(X)
    assert pythagorean_zero(difference) == difference


@pytest.mark.parametrize(
    ("difference", "zero"),
    [
        pytest.param(
            (4 / (sp.exp(2 * X) + 2 + sp.exp(-2 * X)) - (1 - sp.tanh(X) ** 2)).rewrite(sp.exp),
            True,
            id="1 − tanh² in exponentials",
        ),
        pytest.param(sp.exp(X / 2) ** 2 - sp.exp(X), True, id="half exponent"),
        pytest.param(X * sp.exp(X) * (1 + sp.exp(-X)) - X * sp.exp(X) - X, True, id="x outside"),
        pytest.param(sp.exp(2 * X) - sp.exp(X) ** 2 + 1, False, id="false"),
        pytest.param(sp.exp(X) - sp.exp(K), False, id="two variables"),
        pytest.param(sp.exp(X**2) - sp.exp(X) ** 2, False, id="not a multiple"),
    ],
)
def test_powers_of_one_exponential(difference: sp.Expr, zero: bool) -> None:
    assert (powers_of_one_exponential(difference) == 0) is zero


_H = sp.Rational(1, 2)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (-(X**2) / (X**2 + 1) ** (3 * _H) + 1 / sp.sqrt(X**2 + 1), (X**2 + 1) ** (-3 * _H)),
        (X / sp.sqrt(X**2 + 1) * sp.sqrt(X**2 + 1) ** 3, X * (X**2 + 1)),
        ((X**2 + 1) ** sp.Rational(1, 3) * (X**2 + 1) ** _H, (X**2 + 1) ** sp.Rational(5, 6)),
        (sp.sqrt(X) / (1 + sp.sqrt(X)) + 1 / (1 + sp.sqrt(X)), sp.Integer(1)),
        ((1 - X) / sp.sqrt(1 - X**2), sp.sqrt(1 - X**2) / (1 + X)),
        (sp.sqrt(2 * X + 1) ** 3 - (2 * X + 1) * sp.sqrt(2 * X + 1), sp.Integer(0)),
    ],
    ids=str,
)
def test_powers_of_one_root_are_proven_modulo_its_power(left: sp.Expr, right: sp.Expr) -> None:
    assert powers_of_roots(left - right) == 0


@pytest.mark.parametrize(
    "difference",
    [
        sp.sqrt(X) * sp.sqrt(sp.Symbol("y")) - sp.sqrt(X * sp.Symbol("y")),  # false for x, y < 0
        sp.sqrt(X**2) - X,  # false for x < 0
        sp.sqrt(X + 1) - sp.sqrt(X) - 1,
        X**2 - 2 * X + 1 - (X - 1) ** 2,  # no root: another route's
    ],
    ids=str,
)
def test_what_the_roots_do_not_prove_is_given_back(difference: sp.Expr) -> None:
    assert powers_of_roots(difference) == difference


def test_the_roots_route_proves_a_quotient_rules_result() -> None:
    left = -(X**2) / (X**2 + 1) ** (3 * _H) + 1 / sp.sqrt(X**2 + 1)
    assert check_identity(left, (X**2 + 1) ** (-3 * _H), timeout=10).method == "roots"


@pytest.mark.parametrize(
    ("difference", "zero"),
    [
        pytest.param(
            4 / (sp.exp(2 * X) + 2 + sp.exp(-2 * X)) - (1 - sp.tanh(X) ** 2), True, id="1 − tanh²"
        ),
        pytest.param(
            sp.exp(-X) / (1 + sp.exp(-X)) ** 2 - sp.exp(X) / (sp.exp(X) + 1) ** 2, True, id="σ′"
        ),
        pytest.param(sp.sinh(X) - (sp.exp(X) - sp.exp(-X)) / 2, True, id="sinh"),
        pytest.param(sp.cosh(X) - sp.exp(X), False, id="false"),
        pytest.param(sp.sin(X) * sp.exp(X) - sp.exp(X), False, id="sin stays an atom"),
        pytest.param(sp.exp(X) - sp.exp(K), False, id="two variables"),
    ],
)
def test_exponentials_zero(difference: sp.Expr, zero: bool) -> None:
    assert (exponentials_zero(difference) == 0) is zero


def test_exponentials_zero_leaves_many_hyperbolic_operations_alone() -> None:
    big = sum(sp.tanh(k * X) ** 2 for k in range(1, MAX_EXPONENTIAL_OPS)) - sp.sinh(X)
    assert exponentials_zero(big - big.rewrite(sp.exp)) != 0


@pytest.mark.parametrize(
    ("difference", "relates"),
    [
        (sp.exp(X) - sp.exp(-X), True),
        (sp.exp(X) - sp.tanh(X), True),
        (sp.exp(X) * X - 1, False),
        (sp.tanh(X) ** 2 + sp.sech(X) ** 2 - 1, False),
    ],
    ids=str,
)
def test_relates_exponentials(difference: sp.Expr, relates: bool) -> None:
    assert relates_exponentials(difference) is relates
