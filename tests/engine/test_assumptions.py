"""The user's assumptions are kept: unassumed symbols are real, declared ones stay declared."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import derive
from sigderiv.errors import UnsupportedError
from sigderiv.expr.points import spread
from sigderiv.expr.real import real_symbols, unassumed

I_X = sp.Symbol("x", imaginary=True)
N_X = sp.Symbol("x", negative=True)
P_X = sp.Symbol("x", positive=True)
X = sp.Symbol("x")


@pytest.mark.parametrize(
    "expr, var",
    [
        (sp.Abs(I_X), I_X),
        (I_X * sp.Abs(I_X), I_X),
        (sp.sign(I_X), I_X),
        (sp.Abs(I_X**2 + 1), I_X),
        (sp.exp(I_X) * sp.sin(I_X), I_X),
        (sp.sqrt(N_X**2), N_X),
        (sp.Abs(N_X) * N_X, N_X),
        (sp.log(P_X) * sp.Abs(P_X), P_X),
    ],
)
def test_user_assumptions_are_respected_in_the_steps_and_the_check(
    expr: sp.Expr, var: sp.Symbol
) -> None:
    """|x| for an imaginary x is not proven to be x/|x|: the result is SymPy's, proven."""
    d = derive(expr, var)
    assert d.verified
    assert sp.simplify(d.result - sp.diff(expr, var)) == 0


def test_abs_of_an_imaginary_x_is_not_given_the_real_abs_rule() -> None:
    """d|x|/dx = sign(x) holds for real x; for x = i·t it is −sign(x)."""
    d = derive(sp.Abs(I_X), I_X)
    assert d.result != sp.sign(I_X)
    assert sp.simplify(d.result + sp.sign(I_X)) == 0


def test_a_complex_symbol_under_abs_is_refused_not_taken_as_real() -> None:
    """|z| has no derivative in a complex z: refused within the error family."""
    z = sp.Symbol("z", complex=True)
    with pytest.raises(UnsupportedError):
        derive(sp.Abs(z), z)


@pytest.mark.parametrize(
    "symbol, expected",
    [
        (X, True),
        (sp.Symbol("x", real=True), False),
        (sp.Symbol("x", positive=True), False),
        (I_X, False),
        (sp.Symbol("x", commutative=True), True),
    ],
)
def test_only_symbols_given_no_assumptions_are_made_real(symbol: sp.Symbol, expected: bool) -> None:
    assert unassumed(symbol) is expected
    assert (symbol in real_symbols(symbol + 1)) is expected


@pytest.mark.parametrize("row", range(5))
def test_sample_points_fit_the_declared_assumptions(row: int) -> None:
    point = spread([I_X.subs(I_X, sp.Symbol("a", imaginary=True)), N_X, P_X, X], row)
    for symbol, value in point.items():
        assert value.is_number
        if symbol.is_imaginary:
            assert value.is_imaginary
        if symbol.is_negative:
            assert value.is_negative
        if symbol.is_positive:
            assert value.is_positive
