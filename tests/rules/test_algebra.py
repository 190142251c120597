"""The algebra rewrites on their own: reduce, add and subtract, split, cancel, factor.

Each rewrite must be an identity (checked here with SymPy directly, not with the engine's
checker) and must show the form it claims: the printed after-form is compared as text.
"""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import explicit
from sigderiv.expr.build import add, fraction, mul, power
from sigderiv.expr.walk import in_print_order
from sigderiv.model.steps import Rule
from sigderiv.printing import inline as inline_printing
from sigderiv.printing import latex as latex_printing
from sigderiv.printing import pretty as pretty_printing
from sigderiv.printing.inline import inline
from sigderiv.rules.algebra import (
    add_subtract_constant,
    cancel,
    factor_out,
    reduce,
    split_fraction,
)
from sigderiv.rules.base import Rewrite

X, K, T = sp.symbols("x k t")
E = sp.exp
ONE = sp.Integer(1)


def shown(expr: sp.Expr) -> str:
    """The one-line form of ``expr`` in the order it was built."""
    return sp.sstr(expr, order="none")


def same(before: sp.Expr, after: sp.Expr) -> bool:
    """True when before and after are equal as functions."""
    return sp.simplify(explicit(before) - explicit(after)) == 0


def assert_rewrite(rewrite: Rewrite | None, rule: Rule, before: sp.Expr) -> sp.Expr:
    """Check the rewrite's rule id and that it is an identity; return its after-form."""
    assert rewrite is not None
    assert rewrite.rule is rule
    assert rewrite.title and rewrite.explanation
    assert same(before, rewrite.after)
    return rewrite.after


# ---- reduce -----------------------------------------------------------------------------------

SIGMOID_DEN = 1 + E(-X)
EXP_DEN = 2 + E(X)


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        pytest.param(
            fraction(
                add(
                    mul(ONE * 0, SIGMOID_DEN),
                    mul(sp.S.NegativeOne, ONE, E(-X), sp.Integer(-1)),
                ),
                power(SIGMOID_DEN, 2),
            ),
            E(-X) / SIGMOID_DEN**2,
            id="quotient rule on 1/(1+e^-x)",
        ),
        pytest.param(
            fraction(
                add(mul(ONE * 0, EXP_DEN), mul(sp.S.NegativeOne, sp.Integer(3), add(0, E(X)))),
                power(EXP_DEN, 2),
            ),
            -3 * E(X) / EXP_DEN**2,
            id="quotient rule on 3/(2+e^x)",
        ),
        pytest.param(mul(sp.Integer(5), sp.Integer(4), X**3), 20 * X**3, id="5*4*x^3"),
        pytest.param(add(mul(ONE, E(X)), mul(X, E(X))), X * E(X) + E(X), id="1*e^x + x*e^x"),
        pytest.param(mul(E(-K * X), -K), -K * E(-K * X), id="e^-kx*(-k)"),
        pytest.param(add(0, mul(ONE, T)), T, id="0 + 1*t"),
    ],
)
def test_reduce(before: sp.Expr, expected: sp.Expr) -> None:
    after = assert_rewrite(reduce(before), Rule.REDUCE, before)
    assert after.doit() == expected
    assert inline(after) == inline(in_print_order(expected))  # shown in SymPy's print order


@pytest.mark.parametrize(
    "expr",
    [E(-X) / (1 + E(-X)) ** 2, 2 * X + 3, X, sp.Integer(4), -3 * E(X) / (2 + E(X)) ** 2],
)
def test_reduce_does_not_apply_to_evaluated_expressions(expr: sp.Expr) -> None:
    assert reduce(expr) is None


# ---- add and subtract a constant ------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "text", "inline", "title"),
    [
        (
            E(-X) / (1 + E(-X)) ** 2,
            "(1 + exp(-x) - 1)/(1 + exp(-x))**2",
            "(1 + e^(−x) − 1)/(1 + e^(−x))²",
            "Add and subtract one",
        ),
        (
            -3 * E(X) / (2 + E(X)) ** 2,
            "-3*(2 + exp(x) - 2)/(2 + exp(x))**2",
            "−3(2 + e^x − 2)/(2 + e^x)²",
            "Add and subtract 2",
        ),
        (
            K * E(-K * X) / (1 + E(-K * X)) ** 2,
            "k*((1 + exp(-k*x) - 1)/(1 + exp(-k*x))**2)",
            "k·(1 + e^(−kx) − 1)/(1 + e^(−kx))²",
            "Add and subtract one",
        ),
        (
            E(X) / (4 + E(X)) ** 3,
            "(4 + exp(x) - 4)/(4 + exp(x))**3",
            "(4 + e^x − 4)/(4 + e^x)³",
            "Add and subtract 4",
        ),
        (
            6 * E(X) / (2 + 3 * E(X)) ** 2,
            "2*((2 + 3*exp(x) - 2)/(2 + 3*exp(x))**2)",
            "2(2 + 3e^x − 2)/(2 + 3e^x)²",
            "Add and subtract 2",
        ),
        (
            X / (X + 1) ** 2,
            "(1 + x - 1)/(1 + x)**2",
            "(1 + x − 1)/(x + 1)²",
            "Add and subtract one",
        ),
        (
            E(-T) / (K + E(-T)) ** 2,
            "(k + exp(-t) - k)/(k + exp(-t))**2",
            "(k + e^(−t) − k)/(k + e^(−t))²",
            "Add and subtract k",
        ),
    ],
)
def test_add_subtract_constant(before: sp.Expr, text: str, inline: str, title: str) -> None:
    var = T if before.has(T) else X
    rewrite = add_subtract_constant(before, var)
    after = assert_rewrite(rewrite, Rule.ADD_SUBTRACT_ONE, before)
    assert rewrite is not None and str(rewrite.title) == title
    assert shown(after) == text
    assert inline_printing.inline(after) == inline


def test_add_subtract_keeps_base_terms_then_minus_the_constant() -> None:
    base = 2 + E(X)
    after = add_subtract_constant(E(X) / base**3, X)
    assert after is not None
    numerator, denominator = after.after.args
    assert denominator == sp.Pow(base, -3, evaluate=False)
    assert isinstance(numerator, sp.Add) and len(numerator.args) == 3
    *base_terms, minus = numerator.args
    assert sp.Add(*base_terms) == base
    assert minus == -2
    pretty = pretty_printing.pretty(after.after)
    assert "2 + ℯ  - 2" in pretty
    assert latex_printing.latex(after.after) == r"\frac{2 + e^{x} - 2}{\left(2 + e^{x}\right)^{3}}"


@pytest.mark.parametrize(
    "expr",
    [
        E(X),
        X**2 + 1,
        1 / (1 + E(X)),  # the numerator 1 is no multiple of e^x
        X / (1 + E(X)) ** 2,  # x/e^x is not a constant
        E(X) / (3 * X + E(X)) ** 2,  # no constant in the denominator
        E(X) / (1 + E(X)) - 1,  # a sum, not a fraction
    ],
)
def test_add_subtract_constant_does_not_apply(expr: sp.Expr) -> None:
    assert add_subtract_constant(expr, X) is None


# ---- split into separate fractions ----------------------------------------------------------


def fraction_terms(expr: sp.Expr) -> list[sp.Expr]:
    """The terms of the sum inside an optional constant factor; each must be a fraction."""
    body = expr.args[1] if isinstance(expr, sp.Mul) and not expr.args[0].has(X) else expr
    assert isinstance(body, sp.Add)
    for term in body.args:
        powers = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Pow) and f.exp < 0]
        assert len(powers) == 1, term
    return list(body.args)


@pytest.mark.parametrize(
    ("before", "text", "count"),
    [
        (
            fraction(add(1, E(-X), -1), power(1 + E(-X), 2)),
            "(1 + exp(-x))/(1 + exp(-x))**2 - 1/(1 + exp(-x))**2",
            2,
        ),
        (
            sp.Mul(-3, fraction(add(2, E(X), -2), power(2 + E(X), 2)), evaluate=False),
            "-3*((2 + exp(x))/(2 + exp(x))**2 - 2/(2 + exp(x))**2)",
            2,
        ),
        (
            sp.Mul(K, fraction(add(1, E(-K * X), -1), power(1 + E(-K * X), 2)), evaluate=False),
            "k*((1 + exp(-k*x))/(1 + exp(-k*x))**2 - 1/(1 + exp(-k*x))**2)",
            2,
        ),
        (
            fraction(add(4, E(X), -4), power(4 + E(X), 3)),
            "(4 + exp(x))/(4 + exp(x))**3 - 4/(4 + exp(x))**3",
            2,
        ),
        # plain SymPy fractions split too, whatever order SymPy keeps the factors in
        ((X + 1) / (X + 2) ** 2, "(2 + x)**(-2) + x/(2 + x)**2", 2),
        ((X**2 + X + 1) / (X + 3) ** 3, None, 3),
    ],
)
def test_split_fraction(before: sp.Expr, text: str | None, count: int) -> None:
    after = assert_rewrite(split_fraction(before, X), Rule.SPLIT_FRACTION, before)
    assert len(fraction_terms(after)) == count
    if text is not None:
        assert shown(after) == text


def test_split_fraction_prints_two_fractions() -> None:
    before = fraction(add(2, E(X), -2), power(2 + E(X), 2))
    rewrite = split_fraction(before, X)
    assert rewrite is not None
    assert latex_printing.latex(rewrite.after) == (
        r"\frac{2 + e^{x}}{\left(2 + e^{x}\right)^{2}} - \frac{2}{\left(2 + e^{x}\right)^{2}}"
    )
    bar_line = pretty_printing.pretty(rewrite.after).splitlines()[2]
    assert bar_line.count("──") >= 2 and " - " in bar_line


@pytest.mark.parametrize(
    "expr",
    [
        E(-X) / (1 + E(-X)) ** 2,  # the numerator is not a sum
        1 / (X + 1),
        X + 1,
        E(X),
        1 / (1 + E(-X)) - 1 / (1 + E(-X)) ** 2,  # already split
    ],
)
def test_split_fraction_does_not_apply(expr: sp.Expr) -> None:
    assert split_fraction(expr, X) is None


# ---- cancel -----------------------------------------------------------------------------------


def _split(base: sp.Expr, constant: sp.Expr, n: int) -> sp.Expr:
    """base/base**n − constant/base**n, the form split_fraction leaves."""
    return add(fraction(base, power(base, n)), sp.Mul(-1, fraction(constant, power(base, n))))


@pytest.mark.parametrize(
    ("before", "text"),
    [
        (
            _split(1 + E(-X), ONE, 2),
            "1/(1 + exp(-x)) - 1/(1 + exp(-x))**2",
        ),
        (
            _split(4 + E(X), sp.Integer(4), 3),
            "(4 + exp(x))**(-2) - 4/(4 + exp(x))**3",
        ),
        (
            sp.Mul(-3, _split(2 + E(X), sp.Integer(2), 2), evaluate=False),
            "-3*(1/(2 + exp(x)) - 2/(2 + exp(x))**2)",
        ),
        (
            sp.Mul(K, _split(1 + E(-K * X), ONE, 2), evaluate=False),
            "k*(1/(1 + exp(-k*x)) - 1/(1 + exp(-k*x))**2)",
        ),
        # D/D is 1, not D**0
        (_split(1 + E(X), ONE, 1), "1 - 1/(1 + exp(x))"),
        # the factors of D/D**2 in the other order
        (sp.Mul(power(X + 1, -2), X + 1, evaluate=False), "1/(1 + x)"),
    ],
)
def test_cancel(before: sp.Expr, text: str) -> None:
    after = assert_rewrite(cancel(before, X), Rule.CANCEL, before)
    assert shown(after) == text
    assert not any(isinstance(e, sp.Pow) and e.exp == 0 for e in sp.preorder_traversal(after))


def test_cancel_leaves_one_over_the_base() -> None:
    base = 2 + E(X)
    rewrite = cancel(_split(base, sp.Integer(2), 2), X)
    assert rewrite is not None
    first, second = rewrite.after.args
    assert first == sp.Pow(base, -1, evaluate=False)
    assert second == sp.Mul(-1, fraction(sp.Integer(2), power(base, 2)))


@pytest.mark.parametrize(
    "expr",
    [
        1 / (1 + E(-X)) - 1 / (1 + E(-X)) ** 2,  # nothing left to cancel
        X / (X + 1) ** 2,
        fraction(X, power(X + 1, 2)),
        E(X),
    ],
)
def test_cancel_does_not_apply(expr: sp.Expr) -> None:
    assert cancel(expr, X) is None


# ---- factor -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "text", "latex"),
    [
        (
            1 / (1 + E(-X)) - 1 / (1 + E(-X)) ** 2,
            "1/(1 + exp(-x))*(1 - 1/(1 + exp(-x)))",
            r"\frac{1}{1 + e^{- x}} \left(1 - \frac{1}{1 + e^{- x}}\right)",
        ),
        (
            sp.Mul(-3, add(1 / (2 + E(X)), -2 / (2 + E(X)) ** 2), evaluate=False),
            "-3*1/(2 + exp(x))*(1 - 2/(2 + exp(x)))",
            r"- 3 \frac{1}{2 + e^{x}} \left(1 - \frac{2}{2 + e^{x}}\right)",
        ),
        (
            1 / (4 + E(X)) ** 2 - 4 / (4 + E(X)) ** 3,
            "(4 + exp(x))**(-2)*(1 - 4/(4 + exp(x)))",
            r"\frac{1}{\left(4 + e^{x}\right)^{2}} \left(1 - \frac{4}{4 + e^{x}}\right)",
        ),
        (
            X / (X + 1) ** 2 + 1 / (X + 1) ** 3,
            None,
            None,
        ),
    ],
)
def test_factor_out(before: sp.Expr, text: str | None, latex: str | None) -> None:
    after = assert_rewrite(factor_out(before, X), Rule.FACTOR, before)
    assert isinstance(after, sp.Mul)
    if text is not None:
        assert shown(after) == text
    if latex is not None:
        assert latex_printing.latex(after) == latex


def test_factor_out_with_a_parameter() -> None:
    den = 1 + E(-K * X)
    before = sp.Mul(K, add(1 / den, -1 / den**2), evaluate=False)
    after = assert_rewrite(factor_out(before, X), Rule.FACTOR, before)
    assert after.args[0] == K
    assert [a.doit() for a in after.args[1:]] == [1 / den, 1 - 1 / den]


def test_factor_prints_the_factors_separately() -> None:
    den = 2 + E(X)
    rewrite = factor_out(1 / den - 1 / den**2, X)
    assert rewrite is not None
    factors = rewrite.after.args
    assert [f.doit() for f in factors] == [1 / den, 1 - 1 / den]
    # SymPy alone would print this product as one fraction (1 - 1/D)/D
    assert latex_printing.latex(sp.Mul(*[f.doit() for f in factors], evaluate=False)).startswith(
        r"\frac{1 - "
    )
    assert latex_printing.latex(rewrite.after).startswith(r"\frac{1}{2 + e^{x}} \left(1 - ")
    bar_line = pretty_printing.pretty(rewrite.after).splitlines()[1]
    assert "⋅" in bar_line and bar_line.count("──") >= 2
    assert "1/(2 + e^x)" in rewrite.explanation


@pytest.mark.parametrize(
    "expr",
    [
        E(X) + 1,  # no fractions
        1 / (X + 1) + 1 / (X + 2),  # no common denominator
        1 / (X + 1) ** 2,  # a single term
        1 / (X + 1) + X,  # a term without the denominator
    ],
)
def test_factor_out_does_not_apply(expr: sp.Expr) -> None:
    assert factor_out(expr, X) is None


# ---- the rules in sequence on a non-sigmoid derivative --------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (-3 * E(X) / (2 + E(X)) ** 2, -3 / (2 + E(X)) * (1 - 2 / (2 + E(X)))),
        (E(X) / (4 + E(X)) ** 3, 1 / (4 + E(X)) ** 2 * (1 - 4 / (4 + E(X)))),
        (
            K * E(-K * X) / (1 + E(-K * X)) ** 2,
            K / (1 + E(-K * X)) * (1 - 1 / (1 + E(-K * X))),
        ),
        (X / (X + 1) ** 2, 1 / (X + 1) * (1 - 1 / (X + 1))),
    ],
)
def test_add_split_cancel_factor_in_sequence(start: sp.Expr, end: sp.Expr) -> None:
    expr = start
    for rule, rule_id in [
        (add_subtract_constant, Rule.ADD_SUBTRACT_ONE),
        (split_fraction, Rule.SPLIT_FRACTION),
        (cancel, Rule.CANCEL),
        (factor_out, Rule.FACTOR),
    ]:
        expr = assert_rewrite(rule(expr, X), rule_id, expr)
    assert expr.doit() == end


_M = sp.Mul


@pytest.mark.parametrize(
    ("before", "shown"),
    [
        pytest.param(_M(2, X - 1, 1, evaluate=False), "2(x − 1)", id="power rule's 2·(x − 1)"),
        pytest.param(_M(-3, sp.sin(X) + 2, 1, evaluate=False), "−3(2 + sin(x))", id="negative"),
        pytest.param(_M(5, 3 * X + 2, 3, evaluate=False), "15(3x + 2)", id="numbers multiply"),
    ],
)
def test_reduce_keeps_the_number_before_a_sum(before: sp.Expr, shown: str) -> None:
    rewrite = reduce(before)
    assert rewrite is not None and str(rewrite.title) == "Reduce"
    assert inline(rewrite.after) == shown
    assert sp.expand(rewrite.after.doit() - before.doit()) == 0


@pytest.mark.parametrize(
    "before",
    [
        pytest.param(_M(X**2, sp.sin(X), evaluate=False), id="x²·sin x"),
        pytest.param(sp.Add(sp.sin(X), X, evaluate=False), id="sin x + x"),
        pytest.param(_M(sp.exp(X), X + 1, evaluate=False), id="e^x·(x + 1)"),
    ],
)
def test_a_reduce_that_only_reorders_is_no_step(before: sp.Expr) -> None:
    assert reduce(before) is None


@pytest.mark.parametrize(
    "before",
    [
        pytest.param(_M(sp.cos(X**2), 2, X, evaluate=False), id="cos(x²)·2·x"),
        pytest.param(_M(sp.exp(X), 3, evaluate=False), id="e^x·3"),
    ],
)
def test_a_number_after_a_factor_needs_no_reorder_step(before: sp.Expr) -> None:
    """The printers write the number first (2x·cos(x²), 3e^x): moving it is no step."""
    assert reduce(before) is None
