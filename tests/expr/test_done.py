"""done(): the value of doit(), first derivatives taken by SymPy's rules without its zero test."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv.expr.done import done

x, y, k = sp.symbols("x y k")
V0, V1 = sp.Function("V0")(x), sp.Function("V1")(x)
REAL = sp.Dummy("x", real=True)

CASES = [
    sp.Derivative(sp.tanh(V0), x),
    sp.Derivative(sp.sin(V0), x),
    sp.Derivative(V0 / V1, x),
    sp.Derivative(V0 * V1 * x, x),
    sp.Derivative(-k * x, x),
    sp.Derivative(sp.Integer(7), x),
    sp.Derivative(x, x),
    sp.Derivative(y, x),
    sp.Derivative(V0, x),
    sp.Derivative(sp.Abs(sp.Function("V0")(REAL)), REAL),
    sp.Derivative(sp.atan(x**2), x) + sp.Derivative(sp.exp(-x), x),
    sp.cos(V0) * sp.Derivative(V0, x) - sp.Derivative(sp.sin(V0), x),
    sp.Derivative(sp.Derivative(sp.sin(x) * V0, x), x),
    sp.Derivative(sp.sin(x * y), x, y),  # several variables: doit itself
    sp.Derivative(x**3, (x, 2)),  # a second derivative: doit itself
    sp.Derivative(sp.UnevaluatedExpr(x**2) * x, x),
    sp.Mul(sp.Integer(2), sp.Derivative(x**2, x), evaluate=False),
    sp.Subs(sp.Derivative(sp.Function("f")(y), y), y, x**2),
    sp.Pow(sp.Derivative(sp.log(x), x), 2, evaluate=False),
    sp.Piecewise((sp.Derivative(x**2, x), x > 0), (0, True)),
]


@pytest.mark.parametrize("expr", CASES, ids=[sp.srepr(c)[:60] for c in CASES])
def test_done_is_the_value_of_doit(expr: sp.Expr) -> None:
    ours, theirs = done(expr), expr.doit()
    assert not ours.has(sp.Derivative) or theirs.has(sp.Derivative)
    assert sp.simplify(ours - theirs) == 0


@pytest.mark.parametrize("expr", CASES[:13], ids=[sp.srepr(c)[:60] for c in CASES[:13]])
def test_done_is_doit_itself_on_first_derivatives(expr: sp.Expr) -> None:
    """The same expression as doit gives, not only the same value: proofs compare them."""
    assert done(expr) == expr.doit()


def test_an_expression_without_derivatives_is_only_evaluated() -> None:
    unevaluated = sp.Add(x, x, evaluate=False)
    assert done(unevaluated) == 2 * x
    assert done(x) is x


A, B = sp.symbols("A B", commutative=False)

#: Sums and products whose terms and factors done() differentiates by the sum and product
#: rules itself: the very expression SymPy's diff gives (srepr), not only an equal one.
SUMS_AND_PRODUCTS = [
    3 * x + 2,
    x**2 + 3 * x,
    x * sp.sin(x),
    sp.exp(x) * sp.sin(x) * sp.cos(x),
    2 * V0 + 3,
    V0 * sp.sin(x) * V1,
    (x + 1) * (x + 2) * (x + 3),
    k * x * y + sp.log(x) / x,
    sp.sqrt(x) * sp.atan(x) - x * sp.exp(-x),
    A * x * B + x**2 * A,  # the order of non-commuting factors kept
    sp.oo * x + sp.pi * x**2,
    x * sp.Abs(REAL),
]


@pytest.mark.parametrize("expr", SUMS_AND_PRODUCTS, ids=str)
def test_a_sum_or_product_is_differentiated_as_sympy_does(expr: sp.Expr) -> None:
    assert sp.srepr(done(sp.Derivative(expr, x, evaluate=False))) == sp.srepr(sp.diff(expr, x))
