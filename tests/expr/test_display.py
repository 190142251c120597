"""The display helpers keep the form a step claims, and print it the way it was built."""

from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given, settings
from test_properties import EXPRESSIONS

from sigderiv import sigma
from sigderiv.expr import memory, walk
from sigderiv.expr.build import Paren, add, derivative, fraction, mul, power, product
from sigderiv.expr.walk import evaluated, replace
from sigderiv.printing.inline import INLINE_NODES, inline, superscript
from sigderiv.printing.latex import latex
from sigderiv.printing.pretty import pretty

X, K, T = sp.symbols("x k t")
E = sp.exp
DEN = 1 + E(-X)


def pretty_lines(expr: sp.Expr) -> list[str]:
    """The pretty form's lines, trailing blanks removed."""
    return [line.rstrip() for line in pretty(expr).splitlines()]


# ---- sums keep their terms and their order ----------------------------------------------------


def test_add_keeps_terms_and_order() -> None:
    expr = add(sp.Integer(1), E(-X), sp.Integer(-1))
    assert isinstance(expr, sp.Add) and len(expr.args) == 3
    assert sp.sstr(expr, order="none") == "1 + exp(-x) - 1"
    assert inline(expr) == "1 + e^(−x) − 1"
    assert latex(expr) == "1 + e^{- x} - 1"
    assert pretty_lines(expr) == ["     -x", "1 + ℯ   - 1"]
    assert evaluated(expr) == E(-X)


def test_add_with_a_parameter_keeps_order() -> None:
    expr = add(sp.Integer(2), 3 * E(K * X), sp.Integer(-2))
    assert inline(expr) == "2 + 3e^(kx) − 2"


def test_add_of_one_term_is_the_term() -> None:
    assert add(E(X)) == E(X)


# ---- fractions are not cancelled -------------------------------------------------------------


def test_fraction_over_a_power_of_the_numerator_is_not_cancelled() -> None:
    expr = fraction(DEN, power(DEN, 2))
    assert expr.args == (DEN, sp.Pow(DEN, -2, evaluate=False))
    assert latex(expr) == r"\frac{1 + e^{- x}}{\left(1 + e^{- x}\right)^{2}}"
    assert inline(expr) == "(1 + e^(−x))/(1 + e^(−x))²"
    lines = pretty_lines(expr)
    assert lines[1] == " 1 + ℯ"
    assert set(lines[2]) == {"─"}
    assert evaluated(expr) == 1 / DEN


def test_fraction_with_numerator_one_is_the_reciprocal() -> None:
    assert fraction(sp.Integer(1), power(X + 1, 3)) == sp.Pow(X + 1, -3, evaluate=False)
    assert fraction(sp.Integer(1), X + 1) == sp.Pow(X + 1, -1, evaluate=False)


def test_power_is_not_evaluated() -> None:
    expr = mul(DEN, power(DEN, -2))
    assert expr.args == (DEN, sp.Pow(DEN, -2, evaluate=False))
    assert evaluated(expr) == 1 / DEN


# ---- products of fractions print as separate factors ----------------------------------------


def test_product_of_fractions_prints_as_separate_factors() -> None:
    factors = (1 / DEN, 1 - 1 / DEN)
    plain = sp.Mul(*factors, evaluate=False)
    kept = product(*factors)
    # SymPy alone folds the product into one fraction
    assert sp.latex(plain, order="none") == r"\frac{1 - \frac{1}{1 + e^{- x}}}{1 + e^{- x}}"
    assert latex(kept) == r"\frac{1}{1 + e^{- x}} \left(1 - \frac{1}{1 + e^{- x}}\right)"
    lines = pretty_lines(kept)
    assert len(lines) == 4
    assert lines[1].startswith("───────⋅⎜1 - ───────⎟")
    assert inline(kept) == "1/(1 + e^(−x))·(1 − 1/(1 + e^(−x)))"
    assert evaluated(kept) == 1 / DEN * (1 - 1 / DEN)


def test_product_with_a_constant_in_front() -> None:
    den = 2 + E(X)
    kept = product(sp.Integer(-3), 1 / den, 1 - 2 / den)
    assert latex(kept) == r"- 3 \frac{1}{2 + e^{x}} \left(1 - \frac{2}{2 + e^{x}}\right)"
    assert evaluated(kept) == -3 / den * (1 - 2 / den)


def test_product_leaves_plain_factors_alone() -> None:
    kept = product(K, sigma(X), 1 - sigma(X))
    assert not kept.has(sp.UnevaluatedExpr)
    assert pretty(kept) == "k⋅σ(x)(1 - σ(x))"


# ---- negative factors are parenthesised ------------------------------------------------------


@pytest.mark.parametrize(
    ("factors", "shown"),
    [
        ((E(X), sp.Integer(-1)), ["ℯ ⋅(-1)"]),
        ((E(-X), -K), ["ℯ  ⋅(-k)"]),
        ((sp.Integer(2), E(-X), sp.Integer(-2)), ["2ℯ  ⋅(-2)"]),
    ],
)
def test_negative_factor_after_the_first_is_parenthesised(
    factors: tuple[sp.Expr, ...], shown: list[str]
) -> None:
    expr = mul(*factors)
    assert isinstance(expr.args[-1], Paren)
    assert pretty_lines(expr)[1:] == shown
    assert evaluated(expr) == sp.Mul(*factors)


def test_a_leading_negative_factor_is_not_parenthesised() -> None:
    expr = mul(sp.Integer(-1), X)
    assert not expr.has(Paren)
    assert pretty(expr) == "-x"


def test_paren_latex() -> None:
    assert latex(mul(E(-X), -K)) == r"e^{- x} \left(- k\right)"


def test_paren_inline_is_single() -> None:
    assert inline(mul(E(X), sp.Integer(-1))) == "e^x·(−1)"
    assert inline(mul(E(X), -K)) == "e^x·(−k)"


def test_paren_latex_of_minus_one_is_single() -> None:
    assert latex(mul(E(X), sp.Integer(-1))) == r"e^{x} \left(-1\right)"


def test_mul_flattens_nested_products() -> None:
    expr = mul(sp.Integer(3), sp.Mul(X, E(X), evaluate=False))
    assert expr.args == (3, X, E(X))


# ---- derivatives print as d/dx --------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "var", "lines"),
    [
        (X**2, X, ["d   2", "── x", "dx"]),
        (K * X, X, ["d", "──(kx)", "dx"]),
        (1 + E(-K * X), X, ["d ⎛     -kx⎞", "──⎝1 + ℯ   ⎠", "dx"]),
        (K * T**2, T, ["d ⎛  2⎞", "──⎝kt ⎠", "dt"]),
    ],
)
def test_derivative_prints_as_d_dx(expr: sp.Expr, var: sp.Symbol, lines: list[str]) -> None:
    shown = pretty(derivative(expr, var))
    assert "∂" not in shown
    assert [line.rstrip() for line in shown.splitlines()] == lines


def test_sympy_alone_would_print_a_partial() -> None:
    assert "∂" in sp.pretty(sp.Derivative(K * X, X))


def test_derivative_is_left_pending() -> None:
    expr = derivative(X**3, X)
    assert isinstance(expr, sp.Derivative)
    assert evaluated(expr) == 3 * X**2
    assert latex(derivative(X**3, X)) == r"\frac{d}{d x} x^{3}"


def test_derivative_latex_with_a_parameter() -> None:
    assert r"\partial" not in latex(derivative(K * X, X))


# ---- inline printing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        (E(-X), "e^(−x)"),
        (E(X), "e^x"),
        (E(-K * X), "e^(−kx)"),
        (E(X**2), "e^(x²)"),
        (E(sp.Integer(2)), "e^2"),
        (sigma(X), "σ(x)"),
        (sigma(K * X), "σ(kx)"),
        (mul(sigma(X), 1 - sigma(X)), "σ(x)(1 − σ(x))"),
        (1 / (1 + E(-X)), "1/(1 + e^(−x))"),
        (E(-X) / (1 + E(-X)) ** 2, "e^(−x)/(1 + e^(−x))²"),
        ((X + 1) ** 2, "(x + 1)²"),
        (1 / X**2, "1/x²"),
        (derivative(-X, X), "d/dx (−x)"),
        (derivative(X, X), "d/dx x"),
        (derivative(T**2, T), "d/dt t²"),
    ],
)
def test_inline(expr: sp.Expr, text: str) -> None:
    assert inline(expr) == text


def test_inline_fractional_exponent() -> None:
    assert inline(sp.sqrt(X)) == "√x"
    assert inline(sp.sqrt(X + 1)) == "√(x + 1)"
    assert inline(1 / sp.sqrt(X)) == "1/√x"
    assert inline((X**2 + 1) ** sp.Rational(-3, 2)) == "1/(x² + 1)^(3/2)"
    assert inline(X ** sp.Rational(1, 3)) == "x^(1/3)"


def test_pretty_sigma() -> None:
    assert pretty(sigma(X)) == "σ(x)"
    assert pretty(sigma(X), ascii=True) == "sigma(x)"
    assert latex(sigma(X)) == r"\sigma\left(x\right)"


# ---- rewriting keeps the form -----------------------------------------------------------------


def test_replace_keeps_the_form_around_the_change() -> None:
    expr = fraction(add(sp.Integer(1), E(-X), sp.Integer(-1)), power(DEN, 2))
    changed = replace(expr, E(-X), E(-2 * X))
    numerator, _ = changed.args
    assert isinstance(numerator, sp.Add) and len(numerator.args) == 3
    assert sp.sstr(changed, order="none") == "(1 + exp(-2*x) - 1)/(1 + exp(-2*x))**2"


def test_replace_inside_a_product_keeps_it_flat() -> None:
    expr = mul(sp.Integer(2), E(X), derivative(X**2, X))
    changed = replace(expr, derivative(X**2, X), mul(sp.Integer(2), X))
    assert changed.args == (2, E(X), 2, X)
    assert evaluated(changed) == 4 * X * E(X)


def test_evaluated_removes_wrappers() -> None:
    kept = product(1 / DEN, 1 - 1 / DEN)
    assert not evaluated(kept).has(sp.UnevaluatedExpr)
    assert walk.evaluated(mul(E(X), sp.Integer(-1))) == -E(X)


@pytest.mark.parametrize(
    "expr",
    [
        pytest.param(sp.Mul(2, 3, X, evaluate=False), id="numbers multiplied"),
        pytest.param(sp.Add(X, X, Paren(-X), evaluate=False), id="wrapper and cancelling terms"),
        pytest.param(derivative(X**3, X), id="a pending derivative"),
        pytest.param(sp.Pow(sp.Integer(2), 3, evaluate=False), id="power of numbers"),
        pytest.param(
            sp.Piecewise((sp.Add(X, X, evaluate=False), X > 0), (0, True)), id="piecewise"
        ),
        pytest.param(sp.sin(sp.Add(X, -X, evaluate=False)), id="function of a sum that vanishes"),
        pytest.param(sigma(sp.Mul(2, X, 1, evaluate=False)), id="named function"),
    ],
)
def test_evaluated_is_doit(expr: sp.Expr) -> None:
    assert evaluated(expr) == expr.doit()


def test_evaluated_visits_a_repeated_subtree_once(monkeypatch: pytest.MonkeyPatch) -> None:
    inner = X
    for _ in range(30):
        inner = sp.sin(inner)
    built: list[sp.Expr] = []
    original = sp.Mul.__new__

    def counting(cls: type, *args: sp.Expr, **kwargs: object) -> sp.Expr:
        built.append(args)
        return original(cls, *args, **kwargs)

    expr = sp.Mul(*(sp.cos(inner) for _ in range(3)), inner, evaluate=False)
    monkeypatch.setattr(sp.Mul, "__new__", counting)
    assert evaluated(expr) == sp.cos(inner) ** 3 * inner
    assert len(built) <= 3  # the product itself, not once per copy of the subtree


def test_inline_remembers_what_it_printed_and_starts_over_when_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    walk.forget()
    nested = sp.sin(sp.sin(X))
    assert inline(nested) == "sin(sin(x))"
    assert memory.current().printed[sp.sin(X)] == "sin(x)"  # its parts are remembered too
    monkeypatch.setattr(memory, "MEMO_LIMIT", 3)
    for k in range(10):
        assert inline(K * X**k) == ("k" if k == 0 else "kx" if k == 1 else f"kx{superscript(k)}")
        assert len(memory.current().printed) <= 3
    walk.forget()
    assert memory.current().printed == {}


def test_inline_of_a_huge_expression_is_cut_short() -> None:
    big = X
    for _ in range(INLINE_NODES + 5):
        big = sp.sin(big)
    text = inline(big)
    assert "…" in text and len(text) < 100


@pytest.mark.parametrize(
    "expr",
    [
        X,
        sp.sin(X) * K + 2,
        sigma(K * X) ** 2,
        sp.Mul(sp.sin(sp.sin(X)), sp.sin(X), evaluate=False),
        sp.Subs(sp.Function("f")(X), X, K) + X,
        sp.Derivative(sp.Function("f")(X), X) * K,
        sp.Integral(X * K, (X, 0, 1)) + X,
    ],
    ids=["symbol", "sum", "named", "repeated subtree", "subs", "derivative", "integral"],
)
def test_names_and_sizes_match_sympy_s_own_walks(expr: sp.Expr) -> None:
    walk.forget()
    assert walk.names_in(expr) == {s.name for s in expr.free_symbols}
    assert walk.free_symbols(expr) == expr.free_symbols
    assert walk.atoms_of(expr, (sp.Function, sp.Symbol)) == expr.atoms(sp.Function, sp.Symbol)
    assert walk.size(expr) == sum(1 for _ in sp.preorder_traversal(expr))
    assert walk.fewest_operations(expr) <= sp.count_ops(expr)
    walk.forget()
    remembered = memory.current()
    assert remembered.sizes == {} and remembered.names == {} and remembered.fewest == {}
    evaluated(expr)
    assert remembered.evaluated
    walk.forget()
    assert memory.current().evaluated == {}


def test_each_derivation_owns_its_memory() -> None:
    walk.forget()
    outside = memory.current()
    with memory.fresh() as inside:
        assert inside is memory.current() and inside is not outside and inside.is_empty()
        evaluated(sp.sin(X) + X)
        assert inside.evaluated and outside.is_empty()
    assert memory.current() is outside and outside.is_empty()


@settings(max_examples=300, deadline=None)
@given(EXPRESSIONS)
def test_fewest_operations_never_exceeds_count_ops(expr: sp.Expr) -> None:
    walk.forget()
    assert walk.fewest_operations(expr) <= sp.count_ops(expr)
    unevaluated = sp.Add(*sp.Add.make_args(expr), -expr, evaluate=False)  # a sum with a minus
    assert walk.fewest_operations(unevaluated) <= sp.count_ops(unevaluated)


def test_a_remembered_function_remembers_per_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each derivation's table starts empty; a full table starts over; equal arguments hit."""
    calls: list[sp.Basic] = []

    @memory.remembered
    def doubled(expr: sp.Basic) -> sp.Basic:
        calls.append(expr)
        return 2 * expr

    with memory.fresh() as first:
        assert doubled(X) == 2 * X and doubled(sp.Symbol("x")) == 2 * X
        assert calls == [X] and not first.is_empty()
    with memory.fresh() as second:
        assert second.is_empty()
        doubled(X)
        assert calls == [X, X]  # an earlier derivation's table is not this one's
        monkeypatch.setattr(memory, "MEMO_LIMIT", 2)
        for k in range(5):
            doubled(X + k)
            assert len(second.tables[doubled.__wrapped__]) <= 2


@settings(max_examples=200, deadline=None)
@given(EXPRESSIONS)
def test_free_symbols_over_the_dag_are_sympy_s(expr: sp.Expr) -> None:
    walk.forget()
    assert walk.free_symbols(expr) == expr.free_symbols
    for types in (sp.Symbol, (sp.Function, sp.Pow), sp.Add, sp.Number):
        assert walk.atoms_of(expr, types) == expr.atoms(
            *(types if isinstance(types, tuple) else (types,))
        )
    walk.forget()
