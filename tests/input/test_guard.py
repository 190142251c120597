"""Tests for sigderiv.input.guard (issue 17): undefined SymPy values, typo hints in warnings."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import derive
from sigderiv.errors import ParseError
from sigderiv.input import guard
from sigderiv.input.vocabulary import close_match

x, y, t = sp.symbols("x y t")


@pytest.mark.parametrize(
    ("expr", "fragment"),
    [
        (sp.zoo * x, "contains zoo, which is complex infinity, not a number"),
        (x + sp.nan, "contains nan, which is 'not a number'"),
        (x + sp.oo, "contains oo, which is infinity, not a number"),
        (x - sp.oo, "contains -oo, which is minus infinity, not a number"),
        (sp.exp(-sp.oo * x), "minus infinity"),
        (sp.sin(x + sp.zoo), "complex infinity"),
    ],
)
def test_derive_refuses_a_sympy_expression_with_an_undefined_value(
    expr: sp.Expr, fragment: str
) -> None:
    with pytest.raises(ParseError, match="it has no derivative") as info:
        derive(expr)
    assert fragment in info.value.message


@pytest.mark.parametrize("expr", [sp.sin(x), x**2 + y, sp.exp(-x) / (1 + sp.exp(-x))])
def test_check_defined_lets_numbers_through(expr: sp.Expr) -> None:
    guard.check_defined(expr)


@pytest.mark.parametrize(
    ("text", "var", "first"),
    [
        ("sigmoud", "x", "sigmoud is not in the catalogue: did you mean sigmoid?"),
        ("softpluss", "x", "softpluss is not in the catalogue: did you mean softplus?"),
        ("gelu_tan", "t", "gelu_tan is not in the catalogue: did you mean gelu_tanh?"),
        ("Relu", "x", "Relu is not in the catalogue: did you mean relu?"),
        ("mishh", "x", "mishh is not in the catalogue: did you mean mish?"),
    ],
)
def test_a_bare_misspelled_catalogue_name_is_named_first(text: str, var: str, first: str) -> None:
    derivation = derive(text, var)
    assert derivation.warnings[0] == first
    assert "did you mean var=" in derivation.warnings[1]  # the old hint stays, second


@pytest.mark.parametrize("text", ["y", "k", "beta", "theta", "weight", "y^2"])
def test_names_not_close_to_the_catalogue_get_no_catalogue_hint(text: str) -> None:
    assert not any("catalogue" in w for w in derive(text).warnings)


@pytest.mark.parametrize(
    ("text", "var", "hint"),
    [
        ("alpha*x", "alpah", "did you mean var='alpha'?"),  # the close name, not x
        ("theta^2 + t", "thetta", "did you mean var='theta'?"),
        ("t*e^t + k", "x", "did you mean var='t'?"),  # no close name: the likely letter
        ("y^2", "x", "did you mean var='y'?"),
    ],
)
def test_a_misspelled_variable_gets_the_close_name(text: str, var: str, hint: str) -> None:
    assert any(hint in w for w in derive(text, var).warnings)


@pytest.mark.parametrize(
    ("word", "names", "expected"),
    [
        ("sinn", ["sin", "cos"], "sin"),
        ("SIN", ["sin", "cos"], "sin"),
        ("ab", ["abs"], None),  # shorter than three letters
        ("sin", ["sin"], None),  # the name itself is no suggestion
        ("zzz", ["sin", "cos"], None),
    ],
)
def test_close_match(word: str, names: list[str], expected: str | None) -> None:
    assert close_match(word, names) == expected
