"""Sampling for plots: evalf at each point, gaps where there is no finite real value."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from sigderiv import UnsupportedError, sigma
from sigderiv.engine.sample import Samples, grid, sample, value, y_window

X, K = sp.symbols("x k")


def test_grid() -> None:
    assert grid(-1, 1, 5) == (-1.0, -0.5, 0.0, 0.5, 1.0)
    for bad in ((1, -1, 5), (0, math.inf, 5), (0, 1, 1)):
        with pytest.raises(ValueError):
            grid(*bad)


@pytest.mark.parametrize(
    ("expr", "at", "expected"),
    [
        (1 / (1 + sp.exp(-X)), 0.0, 0.5),
        (sigma(X) * (1 - sigma(X)), 0.0, 0.25),
        (sp.Derivative(X**3, X), 2.0, 12.0),
        (1 / X, 0.0, None),
        (sp.log(X), -1.0, None),
        (sp.sqrt(X), -4.0, None),
        (sp.exp(X), 1000.0, None),  # beyond a float
    ],
)
def test_value(expr: sp.Expr, at: float, expected: float | None) -> None:
    from sigderiv import explicit

    got = value(explicit(expr), X, at)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def test_sample_writes_out_named_functions() -> None:
    samples = sample(sigma(X), X, -6, 6, 13)
    assert samples.ys[6] == pytest.approx(0.5) and len(samples.finite) == 13


def test_sample_refuses_names_without_a_value() -> None:
    with pytest.raises(UnsupportedError, match="cannot plot: k has no value"):
        sample(K * X, X)


def test_y_window_ignores_a_pole() -> None:
    poles = sample(1 / X, X, -6, 6, 101)
    lo, hi = y_window([poles])  # type: ignore[misc]
    assert -20 < lo < 0 < hi < 20  # not ±50, the values next to the pole
    assert poles.ys[50] is None  # at the pole itself
    spike = Samples((0.0, 1.0, 2.0), (1.0, 1e6, -1e6)).clipped(0.0, 2.0)
    assert spike.ys == (1.0, None, None)
    assert y_window([Samples((0.0, 1.0), (None, None))]) is None
    flat = y_window([Samples((0.0, 1.0), (2.0, 2.0))])
    assert flat is not None and flat[0] < 2 < flat[1]
