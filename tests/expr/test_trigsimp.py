"""trigsimp(): SymPy's own result, the nodes futrig provably keeps not put through its tree."""

from __future__ import annotations

import importlib
import itertools

import pytest
import sympy as sp

from sigderiv.expr import memory
from sigderiv.expr.trigsimp import _kept, futrig_step, trigsimp

_FUTRIG = importlib.import_module("sympy.simplify.trigsimp")._futrig

x, y = sp.symbols("x y")
r = sp.Symbol("r", real=True)
d = sp.Dummy("d")  # hyper_as_trig writes sinh(u) as a sine of u·d
FUNCTIONS = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)
PLAIN = (x, 2 * x, x / 3, 5 * x**3, x * y**2 / 3, d * x, 2 * x + 1, 7 - 4 * r)


def _nodes(f: type, angle: sp.Expr) -> list[sp.Expr]:
    """f(u), its powers and products with factors free of trigonometric functions."""
    u = f(angle)
    return [u, u**3, 2 * x * u**2, sp.exp(x) * u / 2, d * u**4]


@pytest.mark.parametrize(
    ("f", "angle"), list(itertools.product(FUNCTIONS, PLAIN)), ids=lambda v: str(v)
)
def test_the_nodes_kept_are_those_futrig_keeps(f: type, angle: sp.Expr) -> None:
    for node in _nodes(f, angle):
        assert _kept(node), node
        assert _FUTRIG(node) == node


@pytest.mark.parametrize(
    ("node", "factored"),
    [
        (sp.cos(x**2 - 3 * x), sp.cos(x * (x - 3))),
        (
            2 * sp.sin(sp.Rational(3, 2) * x + sp.Rational(1, 3)),
            2 * sp.sin(sp.Mul(sp.Rational(1, 6), 9 * x + 2, evaluate=False)),
        ),
    ],
)
def test_an_angle_that_factors_is_not_kept(node: sp.Expr, factored: sp.Expr) -> None:
    assert not _kept(node)
    assert _FUTRIG(node) == factored  # why: futrig writes the angle with fewer operations


@pytest.mark.parametrize(
    "node",
    [
        sp.sin(x**2 + 2 * x + 1),
        sp.cos(2 * x + 2),
        sp.sin(sp.exp(x)),
        sp.cos(sp.cos(x)),
        sp.tan(x) ** -1,
        sp.cos(x) ** -2,
        sp.sin(x) * sp.cos(x),
        sp.sin(x) + sp.cos(x),
        sp.exp(sp.sin(x)) * sp.cos(x),
        sp.sinh(x),
    ],
    ids=str,
)
def test_other_nodes_go_through_sympys_tree(node: sp.Expr) -> None:
    assert not _kept(node)


SIMPLIFIED = [
    sp.sin(x) ** 2 + sp.cos(x) ** 2,
    -2 * sp.sin(x) * sp.cos(x),
    -(sp.sin(x) ** 2) + sp.cos(x) ** 2,
    -x * sp.sin(x) ** 2 + x * sp.cos(x) ** 2 + sp.sin(x) * sp.cos(x),
    -sp.exp(x) * sp.sin(x) + sp.exp(x) * sp.cos(x),
    (sp.tan(x) ** 2 + sp.tan(x) * sp.sec(x) + 1) / (sp.tan(x) + sp.sec(x)),
    -sp.sin(x) / sp.cos(x),
    sp.cos(x) / sp.sin(x),
    sp.tan(x) ** 2 + 1,
    2 * x * (sp.tan(x**2) ** 2 + 1),
    (x * sp.cos(x) - sp.sin(x)) / x**2,
    x ** sp.sin(x) * (sp.log(x) * sp.cos(x) + sp.sin(x) / x),
    -(x**2) * sp.exp(-x) * sp.sin(x)
    - x**2 * sp.exp(-x) * sp.cos(x)
    + 2 * x * sp.exp(-x) * sp.cos(x),
    (1 - sp.tanh(x / 2) ** 2) / (sp.tanh(x / 2) ** 2 + 1),
    1 - sp.coth(x) ** 2,
    2 * sp.sinh(x) * sp.cosh(x),
    sp.cosh(x) ** 2 - sp.sinh(x) ** 2,
    sp.sinh(x) * sp.sin(x) ** 2 + sp.sinh(x) * sp.cos(x) ** 2,
    3 * sp.cos(3 * x),
    sp.cos(x**2 - 3 * x) * sp.sin(x) ** 2,
    sp.Eq(sp.sin(x) ** 2 + sp.cos(x) ** 2, y),
]


@pytest.mark.parametrize("expr", SIMPLIFIED, ids=str)
def test_the_result_is_sympys(expr: sp.Expr) -> None:
    assert trigsimp(expr) == sp.trigsimp(expr)


def test_each_node_is_taken_once_in_a_derivation() -> None:
    expr = x * sp.tan(x) * sp.sec(x) + sp.sec(x)
    node = x * sp.tan(x) * sp.sec(x)

    def taken(memo: memory.Memory) -> dict[tuple[sp.Expr, ...], sp.Expr]:
        return memo.tables.get(futrig_step.__wrapped__, {})

    with memory.fresh() as outside, memory.fresh() as remembered:
        first = trigsimp(expr)
        assert taken(remembered)[(node,)] == node
        steps = dict(taken(remembered))
        assert trigsimp(expr) == first == sp.trigsimp(expr)
        assert taken(remembered) == steps  # asked again: nothing new taken
        other = (x * sp.tan(x) + 1) * sp.sec(x)
        assert trigsimp(other) == sp.trigsimp(other)
        assert taken(outside) == {}  # the derivation's own, dropped with it
