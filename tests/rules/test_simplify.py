"""Named simplifications: the simplest transform that lowers the operation count, or none."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv.expr.functions import sigma
from sigderiv.rules import simplify
from sigderiv.rules.simplify import TRANSFORMS, simplify_once

X = sp.Symbol("x")


@pytest.mark.parametrize(
    ("expr", "title", "after"),
    [
        pytest.param(
            X * sp.exp(X) + sp.exp(X), "Factor out the common factor", (X + 1) * sp.exp(X)
        ),
        pytest.param(sp.sin(X) ** 2 + sp.cos(X) ** 2, "Use cos²(u) + sin²(u) = 1", sp.Integer(1)),
        pytest.param(3 * X**2 + 3 * X, "Factor out the common factor", 3 * X * (X + 1)),
        pytest.param(
            sp.Mul(X**2 - 1, sp.Pow(X - 1, -1), evaluate=False), "Cancel common factors", X + 1
        ),
    ],
)
def test_the_simplest_transform_is_named(expr: sp.Expr, title: str, after: sp.Expr) -> None:
    rewrite = simplify_once(expr, X)
    assert rewrite is not None
    assert str(rewrite.title) == title
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


T, U = sp.tan(X), sp.tanh(3 * X)


@pytest.mark.parametrize(
    ("expr", "allowed", "title", "after"),
    [
        pytest.param(
            -sp.sin(X) / sp.cos(X), set(), "Use sin(u)/cos(u) = tan(u)", -sp.tan(X), id="tan"
        ),
        pytest.param(
            3 * X * sp.sin(2 * X) / sp.cos(2 * X),
            set(),
            "Use sin(u)/cos(u) = tan(u)",
            3 * X * sp.tan(2 * X),
            id="tan-scaled",
        ),
        pytest.param(
            sp.cos(X) / sp.sin(X),
            {sp.cot},
            "Use cos(u)/sin(u) = cot(u)",
            sp.cot(X),
            id="cot-when-typed",
        ),
        pytest.param(
            sp.sinh(X**2) / sp.cosh(X**2),
            set(),
            "Use sinh(u)/cosh(u) = tanh(u)",
            sp.tanh(X**2),
            id="tanh",
        ),
        pytest.param(
            -2 * sp.sin(3 * X) * sp.cos(3 * X),
            set(),
            "Use 2cos(u)·sin(u) = sin(2u)",
            -sp.sin(6 * X),
            id="double-sin",
        ),
        pytest.param(
            sp.cos(X) ** 2 - sp.sin(X) ** 2,
            set(),
            "Use cos²(u) − sin²(u) = cos(2u)",
            sp.cos(2 * X),
            id="double-cos",
        ),
        pytest.param(
            4 * sp.sinh(X) * sp.cosh(X),
            set(),
            "Use 2cosh(u)·sinh(u) = sinh(2u)",
            2 * sp.sinh(2 * X),
            id="double-sinh",
        ),
        pytest.param(
            (1 - sp.tanh(X) ** 2) / (1 + sp.tanh(X) ** 2),
            set(),
            "Use (1 − tanh²(u))/(1 + tanh²(u)) = 1/cosh(2u)",
            1 / sp.cosh(2 * X),
            id="gd-like",
        ),
        pytest.param(
            X * (1 - T**2) / (1 + T**2),
            set(),
            "Use (1 − tan²(u))/(1 + tan²(u)) = cos(2u)",
            X * sp.cos(2 * X),
            id="tan-half",
        ),
        pytest.param(
            2 * sp.tanh(X) / (1 + sp.tanh(X) ** 2),
            set(),
            "Use 2tanh(u)/(1 + tanh²(u)) = tanh(2u)",
            sp.tanh(2 * X),
            id="tanh-half",
        ),
        pytest.param(
            (T**2 + T * sp.sec(X) + 1) / (T + sp.sec(X)),
            {sp.sec},
            "Use 1 + tan²(u) = sec²(u)",
            (sp.sec(X) ** 2 + T * sp.sec(X)) / (T + sp.sec(X)),
            id="pythagoras-sec",
        ),
        pytest.param(
            sp.cosh(X) ** 2 - sp.sinh(X) ** 2 + X,
            set(),
            "Use cosh²(u) − sinh²(u) = 1",
            X + 1,
            id="pythagoras-cosh",
        ),
        pytest.param(
            X + 1 / sp.cos(X),
            {sp.sec},
            "Use 1/cos(u) = sec(u)",
            X + sp.sec(X),
            id="sec-when-typed",
        ),
        pytest.param(
            (X + 1) / sp.sqrt((X + 1) ** 2),
            set(),
            "Use √(u²) = |u|",
            (X + 1) / sp.Abs(X + 1),
            id="root-of-square",
        ),
    ],
)
def test_an_identity_step_names_its_identity(
    expr: sp.Expr, allowed: set[type], title: str, after: sp.Expr
) -> None:
    rewrite = simplify_once(expr, X, allowed)
    assert rewrite is not None
    assert (str(rewrite.title), sp.simplify(rewrite.after.doit() - after)) == (title, 0)
    assert rewrite.after.doit() == after


@pytest.mark.parametrize(
    "expr",
    [
        pytest.param(sp.tan(X) / sp.cos(X), id="no sec unless typed"),
        pytest.param(sp.cos(X) / sp.sin(X), id="no cot unless typed"),
        pytest.param(sp.sqrt(X**2) * sp.sqrt(X), id="sqrt of a square is not the question"),
    ],
)
def test_an_identity_brings_in_no_function_the_input_lacks(expr: sp.Expr) -> None:
    rewrite = simplify_once(expr, X)
    assert rewrite is None or not rewrite.after.has(sp.sec, sp.cot, sp.csc)


@pytest.mark.parametrize(
    ("expr", "title"),
    [
        pytest.param(2 * X**2 + 2 * X * (2 * X + 1) - 6, "Expand", id="sum of products"),
        pytest.param(
            (-(X**2) + 2 * X * (X - 1) - 1) / (X - 1) ** 2, "Expand the numerator", id="numerator"
        ),
        pytest.param(sp.exp(X) * (X**2 + 2 * X + 1), "Factor", id="a real factoring"),
    ],
)
def test_multiplying_out_is_called_expand(expr: sp.Expr, title: str) -> None:
    rewrite = simplify_once(expr, X)
    assert rewrite is not None and str(rewrite.title) == title


@pytest.mark.parametrize(
    "expr",
    [
        pytest.param(1 / (3 * X ** sp.Rational(2, 3)) + 1 / (5 * X ** sp.Rational(4, 5)), id="15"),
        pytest.param(2 * X - 2, id="2(x − 1) is no fewer operations"),
        pytest.param(3 - 3 * U**2, id="tanh′ in terms of tanh stays"),
    ],
)
def test_a_number_factored_out_of_a_sum_is_no_simpler(expr: sp.Expr) -> None:
    assert simplify_once(expr, X) is None


A = sp.Symbol("a")


@pytest.mark.parametrize(
    "function",
    [
        2 * sp.atan(sp.tanh(X / 2)),
        sp.log(sp.tanh(X / 2)),
        sp.log(sp.sqrt((A - X) / (A + X))),
        sp.log(sp.tan(X / 2)),
        sp.log(sp.tanh(2 * X)),
        sp.log(sp.tan(3 * X)),
        sp.log(sp.cot(X / 2)),
        sp.log(sp.coth(X / 2)),
        sp.log(sp.sec(X)),
    ],
    ids=str,
)
def test_results_are_no_more_complex_than_sympys_simplify(function: sp.Expr) -> None:
    from sigderiv import derive

    derived = derive(function, bounded=False)
    assert all(s.verified for step in derived.steps for s in step.walk())
    assert sp.count_ops(derived.result) <= sp.count_ops(sp.simplify(sp.diff(function, X)))


@pytest.mark.parametrize(
    ("expr", "after"),
    [
        ((1 - sp.tanh(X / 2) ** 2) / (2 * sp.tanh(X / 2)), 1 / sp.sinh(X)),
        ((sp.tan(X / 2) ** 2 + 1) / (2 * sp.tan(X / 2)), 1 / sp.sin(X)),
        ((-(sp.cot(X / 2) ** 2) - 1) / (2 * sp.cot(X / 2)), -1 / sp.sin(X)),
    ],
)
def test_trigsimp_may_trade_a_function_for_its_sibling(expr: sp.Expr, after: sp.Expr) -> None:
    rewrite = simplify_once(expr, X, {type(f) for f in expr.atoms(sp.Function)})
    assert rewrite is not None and rewrite.after == after


def test_a_sibling_is_not_brought_in_beside_the_function_it_would_replace() -> None:
    # 1 − tanh²(u) stays beside tanh(u): the form a backward pass reuses (mish, tanh²)
    expr = X * (1 - sp.tanh(X) ** 2) + sp.tanh(X)
    rewrite = simplify_once(expr, X, {sp.tanh})
    assert rewrite is None or not rewrite.after.has(sp.cosh, sp.sinh)


_Y = sp.Symbol("y")
_LINEAR = [
    1 - sigma(X),
    2 + 2 * sigma(X),
    -1 - sigma(X),
    sp.Rational(1, 2) - 3 * sp.tanh(X),
    4 * X + 6 * _Y - 2,
    -X - sp.exp(_Y),
    sp.sin(X) + sp.cos(X) + 1,
    X / 2 + _Y / 2 + sp.Symbol("z") / 2 + sp.Rational(1, 2),
    -X / 3 - sp.Rational(2, 3),
    6 * sp.sinh(X) - 9 * sp.cosh(X) + 3,
]


@pytest.mark.parametrize("expr", _LINEAR, ids=str)
def test_a_linear_sum_skips_only_transforms_that_cannot_win(
    expr: sp.Expr, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert simplify._linear_in_letters(expr)
    shortcut = simplify._candidates(expr, X, set())
    monkeypatch.setattr(simplify, "_linear_in_letters", lambda e: False)
    assert shortcut == simplify._candidates(expr, X, set())


@pytest.mark.parametrize(
    "expr",
    [X**2 + 1, 2 * sp.sin(2 * X) + 1, X * _Y + 1, sp.sqrt(X) + 1, 1 + 1 / X, sigma(X)],
    ids=str,
)
def test_what_is_not_a_linear_sum_is_searched_in_full(expr: sp.Expr) -> None:
    assert not simplify._linear_in_letters(expr)


_K = sp.Symbol("k")


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (X * sp.sign(X), sp.Abs(X)),  # u·sign(u) = |u| for real u
        (_K * X**2 * sp.sign(_K * X), X * sp.Abs(_K * X)),
        (sp.sin(X) * sp.sign(sp.sin(X)) + 1, sp.Abs(sp.sin(X)) + 1),
        # u complex for some real x: sign(u) = u/|u|, so u·sign(u) = u²/|u| is not |u|
        (_K * X ** sp.Rational(2, 3) * sp.sign(_K * X ** sp.Rational(1, 3)), None),
        (sp.sqrt(X) * sp.sign(sp.sqrt(X)), None),
        (sp.log(X) * sp.sign(sp.log(X)), None),
    ],
)
def test_u_sign_u_becomes_abs_u_only_for_real_u(expr: sp.Expr, expected: sp.Expr | None) -> None:
    assert simplify._sign_to_abs(expr) == (expr if expected is None else expected)


def test_the_abs_of_a_cube_root_derives_with_every_step_proven() -> None:
    from sigderiv.engine.deriver import derive

    expr = sp.Abs(_K * X ** sp.Rational(1, 3))  # hypothesis found u·sign(u) = |u| misused
    derived = derive(expr, bounded=False)
    at = derived.result.subs({_K: 2, X: 3})  # d/dx 2·x^(1/3) = 2/(3·x^(2/3)) for x > 0
    assert sp.N(at - sp.Rational(2, 3) * 3 ** sp.Rational(-2, 3)) == 0
    assert derived.steps and all(step.verified for step in derived.steps)
