"""Expressions as elements of the field of their atoms, built by the field's own arithmetic."""

from __future__ import annotations

import pytest
import sympy as sp
from sympy.polys.fields import sfield

from sigderiv.rules.rational import as_rational_function, as_rational_functions, atoms_as_symbols

X, K = sp.symbols("x k")
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
