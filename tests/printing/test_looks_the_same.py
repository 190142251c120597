"""looks_the_same compares printed text piece by piece: the first difference ends it."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv.expr import memory
from sigderiv.printing import inline as inline_module
from sigderiv.printing.inline import InlinePrinter, inline, looks_the_same, same_text
from sigderiv.printing.order import is_plain

X, Y, Z = sp.symbols("x y z")
ONE = sp.Integer(1)


def _sum(*terms: sp.Expr) -> sp.Expr:
    return sp.Add(*terms, evaluate=False)


def _mul(*factors: sp.Expr) -> sp.Expr:
    return sp.Mul(*factors, evaluate=False)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (_sum(X**2, 1), _sum(1, X**2)),  # a plain sum prints in teacher order either way
        (_sum(sp.UnevaluatedExpr(X + 1), 2), _sum(X + 1, 2)),  # a wrapper prints as nothing
        (_sum(_mul(2, X), Y), _sum(Y, _mul(X, 2))),
        (_sum(sp.sin(X), _mul(X, Y)), _sum(_mul(Y, X), sp.sin(X))),
        (_mul(X + 1, X + 2), _mul(X + 2, X + 1)),  # not a sum: printed whole
        (_sum(Z, sp.exp(-X)), _sum(sp.exp(-X), Z)),  # ordered by z, the only other symbol
        (_sum(X**2, _mul(X, 2)), _sum(X**2, _mul(2, X))),  # the terms differ, not the text
    ],
)
def test_what_prints_alike_looks_the_same(one: sp.Expr, other: sp.Expr) -> None:
    assert inline(one) == inline(other)
    assert looks_the_same(one, other) and looks_the_same(other, one)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (_sum(_mul(ONE, X + 2), _mul(ONE, X + 1)), _sum(X + 2, X + 1)),  # a 1· shows
        (_sum(X**2, X, 1), _sum(X**2, X, 2)),  # only the last term differs
        (_sum(X, 1), _sum(X, 12)),  # one text begins the other
        (_sum(X, 12), _sum(X, 1)),
        (_sum(X**3, X), _sum(X**3, X, 1)),  # one has a term more
        (_sum(X, 1), X),  # a sum and a symbol
        (X + 1, _mul(ONE, X + 1)),
    ],
)
def test_what_prints_differently_does_not(one: sp.Expr, other: sp.Expr) -> None:
    assert inline(one) != inline(other)
    assert not looks_the_same(one, other) and not looks_the_same(other, one)


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        (["ab", "c"], ["a", "bc"], True),
        (["abc"], ["a", "", "b", "c"], True),
        ([], [""], True),
        ([], [], True),
        (["ab"], ["abc"], False),
        (["abc"], ["ab"], False),
        (["ab", "c"], ["ab", "d"], False),
        (["x"], ["y", "z"], False),
    ],
)
def test_same_text_joins_the_pieces(one: list[str], other: list[str], same: bool) -> None:
    assert same_text(iter(one), iter(other)) is same
    assert same_text(iter(other), iter(one)) is same


def _long_product_derivative(n: int, coefficient: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """The product rule's sum for Π (x + i), each term led by ``coefficient``, and reduced."""
    factors = [X + i for i in range(1, n + 1)]
    others = [[*factors[:k], *factors[k + 1 :]] for k in range(n)]
    return _sum(*(_mul(coefficient, *f) for f in others)), sp.Add(*(sp.Mul(*f) for f in others))


@pytest.mark.parametrize("coefficient", [ONE, sp.Integer(2), sp.Integer(-1)])
def test_a_difference_in_the_first_terms_prints_no_further(
    coefficient: sp.Expr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Products printed while comparing stay a few, whatever the number of terms."""
    printed: list[sp.Expr] = []
    product = InlinePrinter._product

    def counting(self: InlinePrinter, factors: list[sp.Expr]) -> str:
        printed.append(sp.Mul(*factors))
        return product(self, factors)

    monkeypatch.setattr(InlinePrinter, "_product", counting)
    counts = {}
    for n in (8, 40):
        built, reduced = _long_product_derivative(n, coefficient)
        with memory.fresh():
            printed.clear()
            assert not looks_the_same(reduced, built)
            counts[n] = len(printed)
    assert counts[40] == counts[8] <= 4  # printed in full, it would be 2n products


def test_the_comparison_leaves_the_printers_as_they_were() -> None:
    built, reduced = _long_product_derivative(6, ONE)
    with memory.fresh():
        looks_the_same(reduced, built)
        for printer in (inline_module._INLINE, inline_module._OTHER):
            assert printer._depth == 0 and printer._print_level == 0
        assert inline(sp.Derivative(sp.Function("f")(X), X)) == "d/dx f(x)"


@pytest.mark.parametrize(
    "factors",
    [
        [X + 1, X + 2, X + 3],
        [X, Y, sp.sin(X)],
        [X**2, Y**-1, X + Y],
        [ONE, X + 1, X + 2],  # a 1 Mul drops
        [X + 1, X + 2, ONE],  # wherever it stands
        [ONE, X],  # the product of 1 and x is x
        [ONE, sp.Integer(2), X + 1],  # 1 dropped, 2 distributed
        [ONE, sp.zoo],
        [ONE, sp.Symbol("A", commutative=False), sp.Symbol("B", commutative=False)],
        [sp.Integer(2), X + 1],  # a number Mul distributes over the sum
        [X, X],  # a base twice: x²
        [X**2, X],
        [sp.exp(X), sp.exp(Y)],  # exponentials combine
        [X + 1, -(X + 1)],
        [sp.Pow(X, 0, evaluate=False), Y],
        [sp.Rational(1, 2), X],
    ],
)
def test_a_plain_product_is_one_mul_would_build(factors: list[sp.Expr]) -> None:
    """is_plain's shortcut (Mul would only sort) agrees with evaluating the product."""
    from collections import Counter

    product = _mul(*factors)
    plain_parts = all(is_plain(f) for f in product.args)
    with memory.fresh():
        assert is_plain(product) is (
            plain_parts and Counter(sp.Mul(*product.args).args) == Counter(product.args)
        )


@pytest.mark.parametrize(
    "terms",
    [
        [_mul(X + 1, X + 2), _mul(X + 1, X + 3), _mul(X + 2, X + 3)],
        [X, Y, sp.sin(X)],
        [X**2, X, Y * X],
        [X, X],  # like terms: 2x
        [_mul(2, X), X],  # a number in front: collected
        [X, sp.Integer(1)],  # a number
        [sp.Pow(2, 3, evaluate=False), X],  # a power of a number: 8
        [X + 1, Y],  # a sum inside: opened
        [_mul(X, 2), Y],  # a number after the first factor stays
        [sp.oo, X],
        [sp.Symbol("A", commutative=False), X],
        [sp.Derivative(sp.Function("f")(X), X), X],
    ],
)
def test_a_plain_sum_is_one_add_would_build(terms: list[sp.Expr]) -> None:
    """is_plain's shortcut (Add would only sort) agrees with evaluating the sum."""
    from collections import Counter

    total = _sum(*terms)
    with memory.fresh():
        plain_parts = all(is_plain(t) for t in total.args)
        assert is_plain(total) is (
            plain_parts and Counter(sp.Add(*total.args).args) == Counter(total.args)
        )
