"""Named simplifications: the simplest transform that lowers the operation count, or none."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv.rules.simplify import TRANSFORMS, simplify_once

X = sp.Symbol("x")


@pytest.mark.parametrize(
    ("expr", "title", "after"),
    [
        pytest.param(
            X * sp.exp(X) + sp.exp(X), "Factor out the common factor", (X + 1) * sp.exp(X)
        ),
        pytest.param(sp.sin(X) ** 2 + sp.cos(X) ** 2, "Use sin² + cos² = 1", sp.Integer(1)),
        pytest.param(3 * X**2 + 3 * X, "Factor out the common factor", 3 * X * (X + 1)),
        pytest.param(
            sp.Mul(X**2 - 1, sp.Pow(X - 1, -1), evaluate=False), "Cancel common factors", X + 1
        ),
    ],
)
def test_the_simplest_transform_is_named(expr: sp.Expr, title: str, after: sp.Expr) -> None:
    rewrite = simplify_once(expr, X)
    assert rewrite is not None
    assert rewrite.title == title
    assert rewrite.after.doit() == after
    assert sp.simplify(rewrite.after.doit() - expr) == 0


@pytest.mark.parametrize("expr", [X + 1, sp.exp(3 * X), sp.sin(X)], ids=str)
def test_nothing_simpler_means_no_step(expr: sp.Expr) -> None:
    assert simplify_once(expr, X) is None


def test_an_expression_beyond_every_transform_is_not_even_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nested = X
    for _ in range(40):
        nested = sp.sin(nested)
    big = sp.Add(*(sp.cos(nested) * k for k in range(1, 12)), evaluate=False)
    assert max(t.max_ops for t in TRANSFORMS) < 11 * 41

    def no_counting(*args: object, **kwargs: object) -> int:
        raise AssertionError("count_ops should not be needed")

    monkeypatch.setattr(sp, "count_ops", no_counting)
    assert simplify_once(big, X) is None  # 11 × 41 applications: count_ops would say more
    product = sp.Mul(*(X + k for k in range(1, 30)))
    long = sp.Add(*(product / (X + k) for k in range(1, 30)))  # 29 terms of 28 sums
    assert simplify_once(long, X) is None
