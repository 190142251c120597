"""The evaluating walk: a product that Mul.flatten could only sort is built sorted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sympy as sp
from sympy.core.mul import Mul

from sigderiv.expr import memory
from sigderiv.expr.walk import (
    _product_of_distinct_bases,
    distinct_nodes,
    evaluated,
    has_type,
    in_print_order,
)

X, Y = sp.symbols("x y")
W = sp.Symbol("w", zero=True)
F = sp.Function("f")


@pytest.mark.parametrize(
    "factors",
    [
        [X + 3, X + 1, X + 2],
        [sp.sin(X), X, Y**2, X + Y],
        [sp.S.One, X - 1, sp.S.One, 1 - X],  # factors of 1 dropped, as Mul drops them
        [sp.sqrt(X + 1), (X - 1) ** sp.Rational(3, 2), Y**-3, F(X)],
        [(X + 2) ** 2.0, sp.log(X), sp.cos(X + 1) ** 2, W],
        [sp.S.One, X + 5],  # one factor left: that factor
    ],
    ids=["sums", "mixed", "ones", "powers", "float power", "one left"],
)
def test_a_product_of_distinct_bases_is_what_mul_builds(factors: list[sp.Expr]) -> None:
    built = _product_of_distinct_bases(factors)
    expected = sp.Mul(*factors)
    assert built == expected
    assert built.args == expected.args  # the same canonical order, not only equal


@pytest.mark.parametrize(
    "factors",
    [
        [X, X**2],  # a shared base: the powers combine
        [2, X + 1],  # a number: Mul distributes it over the sum
        [sp.exp(X), sp.exp(Y)],  # exp(x)·exp(y) = exp(x + y)
        [sp.sqrt(2), sp.sqrt(3)],  # numbers under roots combine
        [sp.pi, X],  # a constant
        [X**Y, X + 1],  # a symbolic exponent
        [sp.Symbol("A", commutative=False), X],
    ],
    ids=["shared base", "number", "exp", "roots", "pi", "symbolic exponent", "noncommutative"],
)
def test_anything_flatten_would_change_is_left_to_mul(factors: list[sp.Expr]) -> None:
    assert _product_of_distinct_bases(factors) is None


@pytest.mark.parametrize("n", [10, 20, 40])
def test_evaluating_a_long_products_derivative_never_flattens_its_terms(
    n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The n terms of n − 1 factors each are sorted, not flattened: Mul.flatten not called."""
    factors = [X + k for k in range(1, n + 1)]
    terms = [sp.Mul(*factors[:i], sp.S.One, *factors[i + 1 :], evaluate=False) for i in range(n)]
    derivative = sp.Add(*terms, evaluate=False)
    calls: list[int] = []
    flatten = Mul.flatten.__func__

    def counting(cls: type, seq: list[sp.Basic]) -> object:
        calls.append(len(seq))
        return flatten(cls, seq)

    monkeypatch.setattr(Mul, "flatten", classmethod(counting))
    with memory.fresh():
        value = evaluated(derivative)
    flattened = list(calls)
    assert value == sp.Add(*(sp.Mul(*factors[:i], *factors[i + 1 :]) for i in range(n)))
    assert len(value.args) == n
    assert not flattened


@pytest.mark.parametrize(
    ("expr", "types"),
    [
        (sp.sin(X) * sp.exp(X + 1), sp.exp),
        (sp.Mul(*(X + k for k in range(1, 30))), sp.exp),
        (sp.Mul(sp.E, X, evaluate=False), (sp.exp, type(sp.E))),
        (sp.Derivative(F(X), X) + sp.cos(X), sp.Derivative),
        (sp.log(1 + X**2), (sp.sin, sp.cos)),
        (sp.Integer(3), sp.Function),
    ],
    ids=["exp", "no exp in a long product", "e itself", "derivative", "neither", "a number"],
)
def test_has_type_is_sympys_has_for_types(expr: sp.Expr, types: type | tuple[type, ...]) -> None:
    wanted = types if isinstance(types, tuple) else (types,)
    assert has_type(expr, types) is expr.has(*wanted)


def test_has_type_looks_at_each_distinct_subtree_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long product's derivative: n terms share n factors, 40·39 of them as a tree."""
    from sigderiv.expr import walk

    factors = [X + k for k in range(1, 41)]
    derivative = sp.Add(*(sp.Mul(*factors[:i], *factors[i + 1 :]) for i in range(40)))
    looked: list[sp.Basic] = []
    fold = walk.fold

    def counting(
        memo: dict[sp.Basic, object], expr: sp.Basic, combine: Callable[..., object]
    ) -> object:
        def counted(node: sp.Basic, value_of: Callable[..., object]) -> object:
            looked.append(node)
            return combine(node, value_of)

        return fold(memo, expr, counted)

    monkeypatch.setattr(walk, "fold", counting)
    assert not has_type(derivative, sp.exp)
    assert len(looked) == len(set(looked)) < 200


_F, _G = sp.Function("f"), sp.Function("g")
_X, _Y, _T = sp.symbols("x y t")


@pytest.mark.parametrize(
    "derivative",
    [
        sp.Derivative(_F(_X), _X),
        sp.Derivative(_F(_X), (_X, 3)),
        sp.Derivative(_G(_X, _Y), _Y),
        sp.Derivative(_F(_T), _T),
        sp.Derivative(_F(_X), _Y),  # not in its letters: 0, by doit
        sp.Derivative(_F(_X**2), _X),  # of an expression: the chain rule, by doit
        sp.Derivative(_G(_X, _Y), _X, _Y),  # in several letters: doit
        sp.Derivative(sp.sin(_X), _X),
    ],
    ids=str,
)
def test_an_unknown_functions_derivative_evaluates_as_doit_does(derivative: sp.Expr) -> None:
    with memory.fresh():
        value = evaluated(derivative)
    assert value == derivative.doit()
    if derivative.doit() == derivative:
        assert sp.srepr(value) == sp.srepr(derivative)


@pytest.mark.parametrize(
    ("kind", "args"),
    [
        (sp.Mul, [X + 1, X + 2, X + 3]),
        (sp.Mul, [sp.Integer(1), X + 2]),
        (sp.Mul, [sp.Integer(2), sp.sin(X), X**2]),
        (sp.Add, [X, sp.Integer(1)]),
        (sp.Add, [sp.Integer(0), X * 2, X]),
        (sp.Mul, [sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)]),  # postprocessed
    ],
)
def test_an_unevaluated_node_is_the_one_sympy_builds(kind: type, args: list[sp.Expr]) -> None:
    from sigderiv.expr.build import unevaluated

    built = unevaluated(kind, args)
    sympy_s = kind(*args, evaluate=False)
    assert type(built) is type(sympy_s) and built.args == sympy_s.args
    assert built.is_commutative == sympy_s.is_commutative


@pytest.mark.parametrize(
    "expr",
    [
        (X + 3) * (X + 1) * (X + 2),
        2 * X * Y * sp.sin(X) * sp.cos(X),
        sp.exp(-X) * X**2 * (1 + sp.exp(-X)) ** -2,
        sp.Symbol("A", commutative=False) * X * sp.Symbol("B", commutative=False),
    ],
)
def test_print_order_factors_are_sympy_s(expr: sp.Expr) -> None:
    from sigderiv.expr.walk import _ordered_factors

    with memory.fresh():
        assert _ordered_factors(expr, {}) == expr.as_ordered_factors()


@pytest.mark.parametrize(
    "one, other",
    [
        (sp.Add(X, 1, evaluate=False), sp.Add(1, X, evaluate=False)),  # the print order's x + 1
        (sp.Mul(X + 2, X + 1, evaluate=False), sp.Mul(X + 1, X + 2, evaluate=False)),
        (sp.Mul(1, X + 1, sp.sin(X), evaluate=False), sp.Mul(sp.sin(X), X + 1, evaluate=False)),
    ],
)
def test_equal_values_are_one_object(one: sp.Expr, other: sp.Expr) -> None:
    with memory.fresh():
        first, second = evaluated(one), evaluated(other)
    assert first == sp.Add(*one.args) if isinstance(one, sp.Add) else first == sp.Mul(*one.args)
    assert first is second  # one object: tables keyed by it find it without comparing


@pytest.mark.parametrize(
    "product",
    [
        sp.Mul(*(X + i for i in range(1, 9))),
        sp.Mul(*(X + i for i in range(1, 7))) * sp.sin(X) * sp.exp(X) * Y,
        sp.Mul(*(X**i + Y for i in range(1, 7))) * (X - 1) ** 2,
        sp.Mul(*(sp.Float(i) * X + 1 for i in range(1, 6))) * sp.Symbol("A", commutative=False),
    ],
)
def test_recurring_factors_sorted_once_keep_sympy_s_order(product: sp.Expr) -> None:
    from sigderiv.expr.walk import _recurring_factors

    derivative = sp.diff(product, X)  # n terms sharing n − 1 factors each
    with memory.fresh():
        assert _recurring_factors(derivative)  # the factors recur: sorted once
        shown = in_print_order(derivative)
    # term by term, the factors in SymPy's own print order
    expected = [list(t.as_ordered_factors()) for t in derivative.as_ordered_terms()]
    assert [list(sp.Mul.make_args(t)) for t in shown.args] == [
        [in_print_order(f) for f in factors] for factors in expected
    ]


_F = sp.Function("f")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (sp.Add(*[sp.Mul(X + 1, X + k) for k in range(2, 6)]), None),  # an equal copy
        (X + 1, X + 2),
        (X * Y, Y * X),
        (sp.Float(1.0) * X, sp.Integer(1) * X),
        (sp.Mul(sp.Float(2.0), X, evaluate=False), sp.Mul(sp.Integer(2), X, evaluate=False)),
        (sp.Symbol("x", real=True) + 1, X + 1),
        (sp.Derivative(_F(X), X), sp.Derivative(_F(X), X)),
        (sp.Derivative(_F(X), X), sp.Derivative(_F(Y), Y)),
        (sp.Subs(_F(X), X, 1), sp.Subs(_F(Y), Y, 1)),
        (sp.sin(X) ** 2, sp.sin(X) ** 3),
        (sp.Integer(1), sp.Rational(2, 2)),
        (sp.Add(X, Y, evaluate=False), sp.Add(Y, X, evaluate=False)),
    ],
)
def test_same_is_sympy_s_equality(one: sp.Expr, other: sp.Expr | None) -> None:
    from sigderiv.sandbox.pickling import dumps, loads

    other = loads(dumps(one)) if other is None else other  # equal, no node shared
    assert walk_same(one, other) is (one == other)
    assert walk_same(other, one) is (other == one)


def walk_same(one: sp.Basic, other: sp.Basic) -> bool:
    from sigderiv.expr.walk import same

    return same(one, other)


@pytest.mark.parametrize(
    ("expr", "part"),
    [
        (sp.Mul(X + 1, X + 2, evaluate=False), X),
        (sp.sin(Y) + 2, X),
        (sp.Subs(_F(X), X, 1), X),  # bound, and still there, as has finds it
        (sp.Derivative(_F(Y), Y) * 3, Y),
        (X + Y + 1, X + 1),  # a part is a node, not a subset of a sum's terms
    ],
)
def test_contains_is_sympy_s_has_for_a_node(expr: sp.Expr, part: sp.Expr) -> None:
    from sigderiv.expr.walk import contains

    with memory.fresh():
        found = contains(expr, part)
        assert found is any(node == part for node in sp.preorder_traversal(expr))
        assert contains(expr, part) is found  # remembered


@pytest.mark.parametrize(
    ("expr", "inside", "expected"),
    [
        # every part, each distinct subtree once: sin(x) and x twice in the tree, once here
        (sp.sin(X) + sp.sin(X) * X, lambda n: n.args, 4),
        # nothing inside: the expression alone
        (sp.sin(X) + 1, lambda n: (), 1),
        # only into sums: sin(x)'s own argument is not reached
        (sp.sin(X + 1) + X, lambda n: n.args if isinstance(n, sp.Add) else (), 3),
    ],
)
def test_distinct_nodes_yields_each_subtree_once_where_inside_leads(
    expr: sp.Expr, inside: Callable[[sp.Basic], tuple[sp.Basic, ...]], expected: int
) -> None:
    nodes = list(distinct_nodes(expr, inside))
    assert nodes[0] == expr
    assert len(nodes) == len(set(nodes)) == expected
