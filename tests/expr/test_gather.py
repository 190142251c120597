"""Gathering a product's base into its power: u^n·u -> u^(n+1) for u a product."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import derive
from sigderiv.expr.gather import gather_bases, has_product_powers

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
