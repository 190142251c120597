"""Higher derivatives, ``derive(..., order=n)``, and a function given a name, ``name=``."""

from __future__ import annotations

import pytest
import sympy as sp
from joins import assert_joined

from sigderiv import derive, explicit, sigma
from sigderiv.errors import LimitError
from sigderiv.expr.functions import CATALOGUE, Defined, masked, write_out
from sigderiv.input.parse import parse
from sigderiv.model.steps import Derivation, Rule
from sigderiv.printing.inline import inline

X = sp.Symbol("x")
S = sigma(X)
T = sp.tanh(X)


def assert_orders(d: Derivation, function: sp.Expr, n: int) -> None:
    """One order step per order, each chain joined from d^k f to its result, all verified."""
    assert d.order == n
    assert [s.rule for s in d.steps] == [Rule.ORDER] * n
    for k, step in enumerate(d.steps, start=1):
        start = sp.Derivative(function, (X, k), evaluate=False)
        assert step.before == start
        assert_joined(step.substeps, start, step.after)
        if k > 1:
            assert step.substeps[0].rule is Rule.HIGHER_ORDER
    assert d.result == d.steps[-1].after.doit()
    assert d.verified, [(s.rule, s.check) for s in d.walk() if not s.verified]


def equals_sympy(d: Derivation, function: sp.Expr, n: int) -> bool:
    theirs = explicit(sp.diff(write_out(function), (X, n)), real=True)
    return sp.simplify(explicit(d.result, real=True) - theirs) == 0


@pytest.fixture(scope="module")
def orders() -> dict[tuple[str, int], Derivation]:
    cases = [
        ("sigmoid", 2),
        ("sigmoid", 3),
        ("tanh", 2),
        ("tanh", 3),
        ("exp", 3),
        ("elu", 2),
        ("softplus", 2),
    ]
    return {(name, n): derive(name, order=n) for name, n in cases}


@pytest.mark.parametrize(
    ("name", "n"),
    [("sigmoid", 2), ("sigmoid", 3), ("tanh", 2), ("tanh", 3), ("exp", 3), ("elu", 2)],
)
def test_orders_join_up_and_hold(
    orders: dict[tuple[str, int], Derivation], name: str, n: int
) -> None:
    d = orders[(name, n)]
    function = CATALOGUE[name].definition(X)
    assert_orders(d, function, n)
    assert equals_sympy(d, function, n)


def test_sigmoid_second_derivative_is_a_product_in_sigma(
    orders: dict[tuple[str, int], Derivation],
) -> None:
    result = orders[("sigmoid", 2)].result
    assert isinstance(result, sp.Mul)
    assert result == S * (1 - S) * (1 - 2 * S)
    assert result.atoms(sp.Function) == {S}


def test_sigmoid_third_derivative_is_a_polynomial_in_sigma(
    orders: dict[tuple[str, int], Derivation],
) -> None:
    result = orders[("sigmoid", 3)].result
    assert result.atoms(sp.Function) == {S}
    assert sp.expand(result - S * (1 - S) * (1 - 6 * S + 6 * S**2)) == 0


@pytest.mark.parametrize("n", [2, 3])
def test_tanh_derivatives_are_polynomials_in_tanh(
    orders: dict[tuple[str, int], Derivation], n: int
) -> None:
    result = orders[("tanh", n)].result
    t = sp.Symbol("t")
    polynomial = result.xreplace({T: t})
    assert polynomial.free_symbols == {t}
    assert polynomial.is_polynomial(t)
    reference = sp.diff(sp.tanh(X), (X, n)).xreplace({T: t})
    assert sp.expand(polynomial - reference) == 0


def test_tanh_second_derivative(orders: dict[tuple[str, int], Derivation]) -> None:
    assert sp.expand(orders[("tanh", 2)].result - (-2 * T * (1 - T**2))) == 0


def test_exp_third_derivative_is_exp(orders: dict[tuple[str, int], Derivation]) -> None:
    assert orders[("exp", 3)].result == sp.exp(X)


def test_softplus_second_derivative_is_the_sigmoid_derivative(
    orders: dict[tuple[str, int], Derivation],
) -> None:
    assert orders[("softplus", 2)].result == S * (1 - S)


def test_elu_second_derivative_is_piecewise(orders: dict[tuple[str, int], Derivation]) -> None:
    result = orders[("elu", 2)].result
    assert isinstance(result, sp.Piecewise)
    (positive, above), (negative, _) = result.args
    assert positive == 0 and above == (X > 0)
    named = [d for d in negative.atoms(Defined) if d.name == "ELU"]
    assert named, inline(result)  # in terms of ELU's own value
    assert not masked(negative)[0].has(sp.exp)


@pytest.mark.parametrize("name", ["elu", "selu"])
def test_a_derivative_found_above_is_the_named_function_rule(name: str) -> None:
    """d/dx ELU(x) at the second order uses ELU′ from the first, not SymPy's fallback."""
    rules = derive(name, order=2).rules()
    assert Rule.FALLBACK not in rules
    assert Rule.NAMED_FUNCTION_RULE in rules


@pytest.mark.parametrize(
    ("function", "n", "expected"),
    [
        (sp.sin(X), 4, sp.sin(X)),
        (X**3, 3, sp.Integer(6)),
        (X**3, 4, sp.Integer(0)),
        (X * sp.exp(X), 2, (X + 2) * sp.exp(X)),
        (sp.log(X), 3, 2 / X**3),
    ],
)
def test_orders_of_plain_expressions(function: sp.Expr, n: int, expected: sp.Expr) -> None:
    d = derive(function, order=n)
    assert_orders(d, function, n)
    assert sp.simplify(d.result - expected) == 0


@pytest.mark.parametrize("n", [0, -1, 9, 2.0])
def test_order_out_of_range(n: object) -> None:
    with pytest.raises(LimitError):
        derive("sigmoid", order=n)  # type: ignore[arg-type]


# ---- a function given a name ------------------------------------------------------------------


@pytest.fixture(scope="module")
def swish() -> Derivation:
    return derive("x/(1+exp(-x))", name="swish")


def test_named_swish_ends_in_terms_of_sigma(swish: Derivation) -> None:
    assert swish.name == "swish"
    assert swish.function == parse("x/(1+exp(-x))")
    assert swish.verified
    result = swish.result
    assert result.has(S)
    assert not masked(result)[0].has(sp.exp)
    assert sp.expand(result - S * (1 + X * (1 - S))) == 0
    assert equals_sympy(swish, X / (1 + sp.exp(-X)), 1)


def test_named_swish_second_order() -> None:
    d = derive("x/(1+exp(-x))", name="swish", order=2)
    function = X / (1 + sp.exp(-X))
    assert_orders(d, function, 2)
    assert d.result.has(S) and not masked(d.result)[0].has(sp.exp)
    assert equals_sympy(d, function, 2)


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("name, var", [("f", "x"), ("g", "t")])
def test_orders_two_and_more_of_a_bare_unknown_function(name: str, var: str, order: int) -> None:
    """d^n/dx^n f(x) stays d^n f/dx^n: each order is the unknown-function step, proven."""
    v = sp.Symbol(var)
    f = sp.Function(name)(v)
    d = derive(f, v, order=order)
    assert d.result == sp.Derivative(f, (v, order))
    assert d.verified
    last = d.steps[-1].substeps[-1] if order > 1 else d.steps[-1]
    assert last.rule is Rule.UNDEFINED_FUNCTION
    assert str(last.explanation).count("′") == order


@pytest.mark.parametrize(
    "expr, order",
    [
        (sp.Function("f")(X**2), 2),
        (sp.Function("f")(sp.sin(X)), 3),
        (sp.Function("f")(sp.exp(X)), 2),
        (sp.Function("f")(X) * sp.Function("f")(2 * X), 2),
        (sp.sin(sp.Function("g")(X)), 2),
    ],
)
def test_an_unknown_function_of_an_inner_function_at_higher_orders(
    expr: sp.Expr, order: int
) -> None:
    """f(w) at order n: the chain rule on f⁽ᵏ⁾(w) each time, every step proven."""
    d = derive(expr, X, order=order)
    assert d.verified
    assert sp.simplify(d.result - sp.diff(expr, X, order)) == 0
