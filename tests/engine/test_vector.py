"""The vectorised sampler agrees with evalf, point by point, and turns overflow into gaps."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from sigderiv import Derivation, explicit
from sigderiv.engine.sample import grid, value
from sigderiv.engine.vector import real_values
from sigderiv.expr.functions import CATALOGUE
from sigderiv.input.parse import parse

X = sp.Symbol("x")
POINTS = grid(-6, 6, 49)
TEXTS = [
    "abs(x)", "sqrt(x)", "log(x)", "x^(1/3)", "asin(x)", "acosh(x)", "atan(1/x)", "sign(x)*x",
    "1/x", "tan(x)", "x^x", "exp(x^2)", "acot(x)", "sech(x) + csch(x) + coth(x)", "erf(x)",
]  # fmt: skip


def _agree(expr: sp.Expr) -> None:
    shown = explicit(expr)
    got = real_values(shown, X, POINTS)
    for at, fast in zip(POINTS, got, strict=True):
        slow = value(shown, X, at)
        assert (fast is None) == (slow is None), (expr, at, fast, slow)
        if slow is not None:
            assert fast == pytest.approx(slow, rel=1e-7, abs=1e-9), (expr, at)


@pytest.mark.parametrize("text", TEXTS)
def test_values_agree_with_evalf(text: str) -> None:
    _agree(parse(text))


@pytest.mark.parametrize(
    "name", [n for n, e in CATALOGUE.items() if not e.parameters or n == "swish"]
)
def test_catalogue_and_its_derivatives_agree_with_evalf(
    name: str, catalogue_derivations: dict[str, Derivation]
) -> None:
    d = catalogue_derivations[name]
    defaults = dict(CATALOGUE[name].parameters)  # a parameter is plotted at its default
    for expr in (d.function, d.result, d.start):
        _agree(expr.xreplace(defaults))


def test_overflow_is_a_gap_at_once() -> None:
    started = time.monotonic()
    tower = X ** (X ** (X**X))
    ys = real_values(tower, X, [2.0, 6.0])
    assert ys[0] == pytest.approx(2.0**16) and ys[1] is None
    assert real_values(sp.exp(sp.exp(X)), X, [10.0]) == (None,)
    assert real_values(sp.Integer(10) ** 5000 * X, X, [1.0]) == (None,)
    assert time.monotonic() - started < 1


def test_piecewise_and_max() -> None:
    relu = sp.Piecewise((X, X > 0), (0, True))
    assert real_values(relu, X, [-1.0, 2.0]) == (0.0, 2.0)
    assert real_values(sp.Max(X, 0), X, [-1.0, 2.0]) == (0.0, 2.0)
    assert real_values(sp.Function("f")(X), X, [1.0]) == (None,)


@pytest.mark.parametrize(
    ("expr", "points", "rows"),
    [
        (sp.Piecewise((X, X > 0), (0, True)), [-1.0, 0.0, 1.0], [[1, 1, 0]]),
        (sp.Piecewise((1, X < -1), (2, X < 1), (3, True)), [-2.0, 0.0, 2.0], [[0, 1, 2]]),
        (sp.sign(X), [-1.0, 0.0, 1.0], [[-1, 0, 1]]),
        (sp.floor(X / 2), [-1.0, 1.0, 3.0], [[-1, 0, 1]]),
        (X**2 + sp.sin(X), [-1.0, 1.0], []),  # nothing to break at
    ],
)
def test_branches_name_the_piece_each_point_is_on(
    expr: sp.Expr, points: list[float], rows: list[list[int]]
) -> None:
    from sigderiv.engine.vector import branches

    assert branches(expr, X, points).tolist() == rows
