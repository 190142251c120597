"""Expressions as rational functions of their atoms: the field, and the value at one point."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv.expr.build import mul, power
from sigderiv.rules.rational import as_rational_function, nonzero_somewhere

X, Y = sp.symbols("x y")
E = sp.exp


@pytest.mark.parametrize(
    ("expr", "nonzero"),
    [
        pytest.param(X - Y, True, id="two symbols"),
        pytest.param(sp.sin(X) - sp.cos(X), True, id="two atoms"),
        pytest.param((sp.sqrt(X) + 1) ** 2 - X - 2 * sp.sqrt(X) - 1, True, id="a root, an atom"),
        pytest.param(mul(E(X), E(-X)) - 1, True, id="e^x and e^(-x), two atoms"),
        pytest.param(sp.sin(X) ** 2 + sp.cos(X) ** 2 - 1, True, id="pythagoras, two atoms"),
        pytest.param(sp.sin(X) / (1 + sp.cos(X)) - sp.sin(X) / (1 + sp.cos(X)), False, id="zero"),
        pytest.param(
            sp.Add((X + 1) ** 2, -(X**2) - 2 * X - 1, evaluate=False), False, id="zero, expanded"
        ),
        pytest.param(
            power(E(X) + 1, 40) - mul(power(E(X) + 1, 39), E(X) + 1), True, id="a high power atom"
        ),
        pytest.param(sp.Float(0.1) * X + sp.Float(0.2) * X, False, id="floats: nothing learnt"),
        pytest.param(X**5000 - X, False, id="a huge power: nothing learnt"),
        pytest.param(
            sp.Pow(sp.Add(X, -X, evaluate=False), -1, evaluate=False) + 1,
            False,
            id="a pole at every point: nothing learnt",
        ),
    ],
)
def test_nonzero_at_a_point(expr: sp.Expr, nonzero: bool) -> None:
    assert nonzero_somewhere(expr) is nonzero


@pytest.mark.parametrize(
    "expr",
    [
        X - Y,
        (sp.sqrt(X) + 1) ** 2 - X - 2 * sp.sqrt(X) - 1,
        sp.sin(X) ** 2 + sp.cos(X) ** 2 - 1,
        1 / (X + 1) - 1 / (X + 2),
        sp.Add((X + 1) ** 3, -(X**3), evaluate=False),
    ],
)
def test_nonzero_at_a_point_only_where_the_field_says_nonzero(expr: sp.Expr) -> None:
    """A value not 0 at the point means a nonzero rational function of the atoms."""
    value = as_rational_function(expr)
    assert nonzero_somewhere(expr)
    assert value is not None and value.numer
