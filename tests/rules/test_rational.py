"""Expressions as rational functions of their atoms: built in the field, valued at a point."""

from __future__ import annotations

import pytest
import sympy as sp
from sympy.polys.fields import sfield

from sigderiv.expr.build import mul, power
from sigderiv.rules.rational import (
    as_rational_function,
    as_rational_functions,
    atoms_as_symbols,
    nonzero_somewhere,
)

X, K, Y = sp.symbols("x k y")
E = sp.exp

FIELD_ELEMENTS = [
    (-1 + 1 + E(-X)) / (1 + E(-X)) ** 2 - (-1 / (1 + E(-X)) ** 2 + (1 + E(-X)) / (1 + E(-X)) ** 2),
    (X + 1) ** 12 - sp.expand((X + 1) ** 12),
    sum(1 / (X + k) for k in range(6)),
    X / 2 + sp.Rational(1, 3) * K**2 - sp.sin(X) / (K - 1),
    sp.sqrt(X) * (1 + sp.sqrt(X)) ** -3 + X,  # one atom each: printed alike on both sides
    sp.Integer(0),
    sp.Rational(-7, 4),
]


@pytest.mark.parametrize("expr", FIELD_ELEMENTS, ids=str)
def test_the_element_is_the_one_sfield_makes(expr: sp.Expr) -> None:
    value = as_rational_function(expr)
    field, (expected,) = sfield([atoms_as_symbols(expr, {})])
    assert value is not None
    assert value.field.domain == field.domain
    # each atom a fresh symbol on either side: compared as printed. The generators are the
    # symbols there (sfield's are those left once it has multiplied out: x in (x + 1)¹² − …)
    ours = [str(g) for g in value.field.gens]
    assert [g for g in ours if g in {str(s) for s in field.gens}] == [str(g) for g in field.gens]
    assert str(value) == str(expected)


@pytest.mark.parametrize(
    ("expr", "zero"),
    [(FIELD_ELEMENTS[0], True), (FIELD_ELEMENTS[1], True), (FIELD_ELEMENTS[3], False)],
    ids=["split fraction", "a power multiplied out", "not zero"],
)
def test_a_zero_rational_function_has_a_zero_numerator(expr: sp.Expr, zero: bool) -> None:
    value = as_rational_function(expr)
    assert value is not None and (not value.numer) is zero


@pytest.mark.parametrize("expr", [X + sp.Float(0.5), X * sp.oo])
def test_a_float_or_an_infinity_gives_no_field_element(expr: sp.Expr) -> None:
    assert as_rational_function(expr) is None


def test_several_expressions_share_one_field_and_their_atoms() -> None:
    one, other = as_rational_functions(E(X) + 1, 1 / (E(X) + 1))  # type: ignore[misc]
    assert one.field == other.field and one * other == 1


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
