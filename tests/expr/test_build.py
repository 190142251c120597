"""The expression builders of sigderiv.expr.build: undefined functions made once."""

from __future__ import annotations

import pytest
import sympy as sp
from sympy.core.cache import clear_cache

from sigderiv.expr.build import function

x = sp.Symbol("x")


@pytest.mark.parametrize(
    ("name", "assumptions"),
    [("g", {}), ("u′", {}), ("V3", {}), ("f", {"real": True}), ("h", {"positive": True})],
)
def test_a_function_is_the_class_sympy_makes_and_is_made_once(
    name: str, assumptions: dict[str, bool]
) -> None:
    made = function(name, **assumptions)
    clear_cache()  # every derivation starts from a cleared cache: the class is still the same
    assert function(name, **assumptions) is made
    assert made == sp.Function(name, **assumptions)
    assert made(x) == sp.Function(name, **assumptions)(x)
    assert sp.srepr(made(x)) == sp.srepr(sp.Function(name, **assumptions)(x))


def test_different_assumptions_are_different_functions() -> None:
    plain, real = function("k"), function("k", real=True)
    assert plain is not real
    assert plain(x).is_real is None
    assert real(x).is_real is True
