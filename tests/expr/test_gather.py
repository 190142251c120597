"""Gathering a product's base into its power: u^n·u -> u^(n+1) for u a product."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import derive
from sigderiv.expr.gather import (
    _nothing_to_combine,
    _powers_apart,
    combine_powers,
    gather_bases,
    has_product_powers,
)

a, b, c, d, k, n, w, x, z = sp.symbols("a b c d k n w x z")
U = c * (a + b * x) ** d


@pytest.mark.parametrize(
    ("given", "gathered"),
    [
        (k * U ** (k - 1) * c * (a + b * x) ** d, k * U**k),
        ((x * sp.exp(x)) ** n * x * sp.exp(x), (x * sp.exp(x)) ** (n + 1)),
        ((x * sp.sin(x)) ** n / (x * sp.sin(x)), (x * sp.sin(x)) ** (n - 1)),
        (sp.sqrt(x * sp.sin(x)) * x * sp.sin(x), (x * sp.sin(x)) ** sp.Rational(3, 2)),
        (z * (c * w) ** n * c * w, z * (c * w) ** (n + 1)),
        (sp.cos(U**k * U), sp.cos(U ** (k + 1))),  # inside a function too
    ],
)
def test_a_power_takes_in_its_base_written_out(given: sp.Expr, gathered: sp.Expr) -> None:
    assert gather_bases(given) == gathered


@pytest.mark.parametrize(
    "given",
    [
        c * z * (c * w) ** n,  # w is not there: c alone does not make the base
        x * (x * sp.sin(x)) ** n,  # only one factor of the base
        x**n * x,  # a lone base: powsimp's work, already x^(n+1)
        (x + 1) ** n * (x + 1),
        sp.sin(x) * sp.cos(x),
    ],
)
def test_a_power_without_its_whole_base_beside_it_is_left(given: sp.Expr) -> None:
    assert gather_bases(given) == given


def test_product_powers_are_found_only_where_sympy_keeps_them_whole() -> None:
    assert has_product_powers(U**k)
    assert not has_product_powers((x * sp.sin(x)) ** 2)  # SymPy writes x²·sin²(x)
    assert not has_product_powers(x**k * sp.sin(x))


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("(c*(a+b*x)^d)^k*(a/b+x)/(d*k+1)", U**k),  # an antiderivative from SymPy's tests
        ("(x*e^x)^n / n", sp.exp(x) * (x + 1) * (x * sp.exp(x)) ** (n - 1)),
    ],
)
def test_derivations_reach_the_gathered_form_with_every_step_proven(
    text: str, result: sp.Expr
) -> None:
    derivation = derive(text)
    assert derivation.verified
    assert sp.simplify(derivation.result - result) == 0
    assert sp.count_ops(derivation.result) <= sp.count_ops(result)


r = sp.Symbol("r", real=True)
p = sp.Symbol("p", positive=True)
y = sp.Symbol("y")

NOTHING_TO_COMBINE = [
    (x**2 - 2 * x - 1) / (x - 1) ** 2,
    -4 * r / (r**2 + 1) ** 2,
    2 * x * sp.cosh(x**2),
    (2 * x + 1) * (x**2 - 3) * 2 + 2 * x * (2 * x + 1),
    x**2 * y**2,
    p**3 * (p + 1) ** -2 * sp.sin(p) ** 2,
    -(sp.sin(x) ** 2) + sp.cos(x) ** 2,
    sp.Rational(3, 2) * (x + 1) ** 5 / (x - 2) ** 3,
    (x - 1) ** 2 * (x + 1) ** 2,
    # an exp alone in its product: no power of e to add its exponent to
    sp.exp(x) / x - sp.exp(x) / x**2,
    x * sp.exp(-x) / (1 + sp.exp(-x)) ** 2,
    (x + sp.exp(x) + 1) * sp.exp(x) / (sp.exp(x) + 1) ** 2,
    4 / (sp.exp(2 * x) + 2 + sp.exp(-2 * x)),
    -((sp.exp(x) - sp.exp(-x)) ** 2) + (sp.exp(x) + sp.exp(-x)) ** 2,
]

SOMETHING_TO_COMBINE = [
    (x - 1) ** 2 * (1 - x) ** 3,  # a base beside its negation
    x * (-x - 2) * (x + 2) ** 2,
    sp.exp(x) * sp.exp(2 * x**2),
    sp.sqrt(x) * sp.sqrt(x + 1),
    x**a * k**a,
    2**x * 3**x,
    sp.sqrt(2) * sp.sqrt(x),
    -r / (r**2 + 1) ** sp.Rational(3, 2) + 1 / sp.sqrt(r**2 + 1),
    (c * w) ** n * c * w,
    sp.exp(x) * sp.exp(k) / (1 + x),  # two powers of e
    sp.Mul(
        -1, 1 + sp.exp(-x), 1 / x
    ),  # powsimp multiplies the number into the sum: (−1 − e^(−x))/x
    sp.exp(2) * x / (x + 1),  # e² is a number: its exponent is like an integer power's
]


@pytest.mark.parametrize("expr", NOTHING_TO_COMBINE, ids=str)
def test_powsimp_gives_back_what_has_nothing_to_combine(expr: sp.Expr) -> None:
    assert _nothing_to_combine(expr)
    assert combine_powers(expr) == sp.powsimp(gather_bases(expr)) == expr


@pytest.mark.parametrize("expr", SOMETHING_TO_COMBINE, ids=str)
def test_powers_that_may_combine_go_to_powsimp(expr: sp.Expr) -> None:
    assert not _nothing_to_combine(expr)
    assert combine_powers(expr) == sp.powsimp(gather_bases(expr))


def test_a_base_beside_its_negation_is_combined() -> None:
    assert combine_powers((x - 1) ** 2 * (1 - x) ** 3) == -((x - 1) ** 5)


_R = sp.Symbol("r", real=True)
_P = sp.Symbol("p", positive=True)


@pytest.mark.parametrize(
    ("expr", "apart"),
    [
        pytest.param((x**2 + 1) ** sp.Rational(-3, 2), True, id="a lone root of a sum"),
        pytest.param(
            (-(x**2) / sp.sqrt(x**2 + 1) + sp.sqrt(x**2 + 1)) / (x**2 + 1),
            True,
            id="the quotient rule's reduced form",
        ),
        pytest.param(
            (x / sp.sqrt(x**2 + 1) + 1) / (x + sp.sqrt(x**2 + 1)), True, id="roots over a sum"
        ),
        pytest.param(sp.sin(x) * sp.sqrt(x + 1), True, id="a function beside a root"),
        pytest.param(sp.sqrt(x) * sp.sqrt(x + 1), False, id="two roots of one exponent"),
        pytest.param(sp.sqrt(_P) * x, False, id="a root of a positive base"),
        pytest.param(sp.sqrt(x - 1) * (1 - x) ** 3, False, id="a base beside its negation"),
        pytest.param(sp.exp(x) * sp.sqrt(x), False, id="an exponential"),
        pytest.param(sp.sqrt(x * sp.Symbol("y")), False, id="a root of a product"),
        pytest.param(
            sp.Mul(-1, _R ** sp.Rational(3, 2), x + 1), False, id="a number beside one sum"
        ),
        pytest.param(sp.Float(2.5) * sp.sqrt(x + 1), False, id="a float"),
    ],
)
def test_powers_apart_only_where_powsimp_gives_them_back(expr: sp.Expr, apart: bool) -> None:
    assert _powers_apart(expr) is apart
    if apart:
        assert sp.powsimp(expr) == expr
        assert combine_powers(expr) is expr
