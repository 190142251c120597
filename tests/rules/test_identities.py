"""The ratio identities: each outermost k·lhs replaced by k·rhs, and nothing else touched."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv.rules.identities import RATIOS, _replace_multiples, apply_ratio

x, k = sp.symbols("x k")
s, c, t = sp.sin(x), sp.cos(x), sp.tan(x)
g, h = sp.Dummy("g"), sp.Dummy("h")


@pytest.mark.parametrize(
    ("title", "given", "expected"),
    [
        ("Use sin/cos = tan", -s / c, -t),
        ("Use sin/cos = tan", x * s / c + s**2, x * t + s**2),
        ("Use sin/cos = tan", c**2 + x * s * c, c**2 + x * s * c),  # a polynomial in cos
        ("Use cos/sin = cot", 3 * c / s, 3 * sp.cot(x)),
        ("Use cos/sin = cot", s**2 * c + s, s**2 * c + s),  # a polynomial in sin
        ("Use 2·sin(u)·cos(u) = sin(2u)", -2 * s * c, -sp.sin(2 * x)),
        (
            "Use (1 − tan²(u))/(1 + tan²(u)) = cos(2u)",
            k * (1 - t**2) / (1 + t**2),
            k * sp.cos(2 * x),
        ),
        (
            "Use (1 − tan²(u))/(1 + tan²(u)) = cos(2u)",
            x * t * sp.sec(x) + t**2 + 1,  # a polynomial in tan
            x * t * sp.sec(x) + t**2 + 1,
        ),
        ("Use 2·tan(u)/(1 − tan²(u)) = tan(2u)", 4 * t / (1 - t**2), 2 * sp.tan(2 * x)),
        (
            "Use 2·tanh(u)/(1 + tanh²(u)) = tanh(2u)",
            2 * sp.tanh(x) / (sp.tanh(x) ** 2 + 1) + x,
            sp.tanh(2 * x) + x,
        ),
    ],
)
def test_a_ratio_identity_replaces_its_multiples(
    title: str, given: sp.Expr, expected: sp.Expr
) -> None:
    assert apply_ratio(given, RATIOS[title]) == expected


@pytest.mark.parametrize(
    "node",
    [
        h**2 + x * g * h,
        g * h**3 - 2,
        (g + 1) ** 2 * h,
        x * g + h**2 * g,
    ],
    ids=str,
)
def test_a_polynomial_in_the_denominators_generator_is_no_multiple(node: sp.Expr) -> None:
    # what cancel would find: node·h/g keeps h, so node is no k·g/h with k free of g and h
    assert sp.cancel(node / (g / h)).has(h)
    assert _replace_multiples(node, g / h, lambda: sp.Symbol("T"), [g, h]) is node


def test_a_multiple_that_is_not_a_polynomial_in_it_is_replaced() -> None:
    node = x * g / h + 1
    assert _replace_multiples(node, g / h, lambda: sp.Symbol("T"), [g, h]) == x * sp.Symbol("T") + 1
