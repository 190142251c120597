"""Machine-float values of an expression: what the quick numeric looks read."""

from __future__ import annotations

import cmath

import pytest
import sympy as sp

from sigderiv.expr.floats import floats_at

x, a = sp.symbols("x a")


@pytest.mark.parametrize(
    ("expr", "point"),
    [
        (x**2 + 3 * x - 1, 0.7),
        (sp.exp(-x) / (1 + sp.exp(-x)), -1.3),
        (sp.tanh(sp.log(sp.exp(x) + 1)) * x, 2.1),
        (sp.erf(sp.sqrt(2) * x / 2) * x / 2, 0.4),
        (x / (sp.Abs(x) + 1), -0.6),
        (sp.sign(x) ** 2 * sp.sqrt(x), 1.9),
        (sp.atan(x) + sp.asinh(x) - sp.cos(x) ** 3, 0.25),
        (sp.pi * x ** sp.Rational(1, 3), 5.0),
    ],
)
def test_values_agree_with_evalf(expr: sp.Expr, point: float) -> None:
    (value,) = floats_at(expr, x, [point])
    expected = complex(expr.evalf(30, subs={x: point}))
    assert value is not None
    assert cmath.isclose(value, expected, rel_tol=1e-12, abs_tol=1e-14)


def test_a_square_root_of_a_negative_is_complex() -> None:
    (value,) = floats_at(sp.sqrt(x), x, [-4.0])
    assert value is not None and cmath.isclose(value, 2j)


def test_a_pole_is_no_value_and_the_other_points_still_are() -> None:
    assert floats_at(1 / x, x, [0.0, 2.0]) == [None, 0.5]


@pytest.mark.parametrize(
    "expr",
    [a * x, sp.Piecewise((x, x > 0), (0, True)), sp.gamma(x), sp.Function("g")(x)],
)
def test_what_the_walk_does_not_know_gives_no_value_anywhere(expr: sp.Expr) -> None:
    assert floats_at(expr, x, [0.5, 1.5]) == [None, None]
