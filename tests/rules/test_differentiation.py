"""Each differentiation rule on its own, on inputs other than the sigmoid.

For every rule: whether it applies (a Rewrite) or not (None), the rule id it reports, and that
the rewrite is right: evaluating the pending derivatives in ``after`` gives SymPy's derivative.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sympy as sp

from sigderiv import explicit, sigma
from sigderiv.expr.functions import CATALOGUE, write_out
from sigderiv.model.steps import Rule
from sigderiv.printing import inline as inline_printing
from sigderiv.printing import latex as latex_printing
from sigderiv.printing import pretty as pretty_printing
from sigderiv.rules.base import Rewrite
from sigderiv.rules.differentiation import (
    DIFFERENTIATION_RULES,
    chain_rule,
    constant_multiple_rule,
    constant_rule,
    exponential_base_rule,
    fallback_rule,
    first_rewrite,
    function_rule,
    linear_rule,
    log_differentiation,
    piecewise_rule,
    power_rule,
    product_rule,
    quotient_rule,
    real_valued,
    special_function_rule,
    sum_rule,
)

X, K, T, Y = sp.symbols("x k t y")
E = sp.exp
D = sp.Derivative
F = sp.Function("f")

RuleFn = Callable[[sp.Expr, sp.Symbol], "Rewrite | None"]


def case(rule: RuleFn, u: sp.Expr, var: sp.Symbol = X, rule_id: Rule | None = None) -> object:
    """One table row, with an id that names the rule and the input.

    ``rule_id`` is the id the rewrite reports; by default the rule function's own name.
    The table rule reports the family of the function it found (trig_rule, log_rule, ...).
    """
    ids = {r.value for r in Rule}
    expected = rule_id or (Rule(rule.__name__) if rule.__name__ in ids else None)
    return pytest.param(rule, u, var, expected, id=f"{rule.__name__}:{u}:d{var}")


def right(rewrite: Rewrite, u: sp.Expr, var: sp.Symbol) -> bool:
    """True when the rewrite's after-form is d/dvar(u): the rewrite is an identity.

    Symbols are taken real, as sigderiv differentiates real functions (d|x|/dx = sign x).
    """
    real = {s: sp.Symbol(s.name, real=True) for s in u.free_symbols}
    difference = rewrite.after.doit() - sp.diff(u, var)
    return sp.simplify(difference.xreplace(real).doit()) == 0


# ---- each rule where it applies ----------------------------------------------------------------

APPLIES = [
    case(constant_rule, sp.Integer(7)),
    case(constant_rule, K),
    case(constant_rule, E(-K) + 3),
    case(constant_rule, X**2, T),  # x is a constant when differentiating in t
    case(linear_rule, X),
    case(linear_rule, 3 * X - 2),
    case(linear_rule, -K * X),
    case(linear_rule, -T, T),
    case(linear_rule, (X + 1) / 2),
    case(power_rule, X**3),
    case(power_rule, sp.sqrt(X)),
    case(power_rule, X**K),
    case(power_rule, 1 / X),
    case(power_rule, X ** sp.Rational(-3, 2)),
    case(power_rule, T**5, T),
    case(function_rule, E(X), rule_id=Rule.EXPONENTIAL_RULE),
    case(function_rule, E(T), T, Rule.EXPONENTIAL_RULE),
    case(function_rule, sp.log(X), rule_id=Rule.LOG_RULE),
    case(function_rule, sp.sin(X), rule_id=Rule.TRIG_RULE),
    case(function_rule, sp.cos(X), rule_id=Rule.TRIG_RULE),
    case(function_rule, sp.tan(T), T, Rule.TRIG_RULE),
    case(function_rule, sp.cot(X), rule_id=Rule.TRIG_RULE),
    case(function_rule, sp.sec(X), rule_id=Rule.TRIG_RULE),
    case(function_rule, sp.csc(X), rule_id=Rule.TRIG_RULE),
    case(function_rule, sp.asin(X), rule_id=Rule.INVERSE_TRIG_RULE),
    case(function_rule, sp.acos(X), rule_id=Rule.INVERSE_TRIG_RULE),
    case(function_rule, sp.atan(X), rule_id=Rule.INVERSE_TRIG_RULE),
    case(function_rule, sp.acot(X), rule_id=Rule.INVERSE_TRIG_RULE),
    case(function_rule, sp.asec(X), rule_id=Rule.INVERSE_TRIG_RULE),
    case(function_rule, sp.acsc(X), rule_id=Rule.INVERSE_TRIG_RULE),
    case(function_rule, sp.sinh(X), rule_id=Rule.HYPERBOLIC_RULE),
    case(function_rule, sp.cosh(X), rule_id=Rule.HYPERBOLIC_RULE),
    case(function_rule, sp.tanh(X), rule_id=Rule.HYPERBOLIC_RULE),
    case(function_rule, sp.coth(X), rule_id=Rule.HYPERBOLIC_RULE),
    case(function_rule, sp.sech(X), rule_id=Rule.HYPERBOLIC_RULE),
    case(function_rule, sp.csch(X), rule_id=Rule.HYPERBOLIC_RULE),
    case(function_rule, sp.asinh(X), rule_id=Rule.INVERSE_HYPERBOLIC_RULE),
    case(function_rule, sp.acosh(X), rule_id=Rule.INVERSE_HYPERBOLIC_RULE),
    case(function_rule, sp.atanh(X), rule_id=Rule.INVERSE_HYPERBOLIC_RULE),
    case(function_rule, sp.acoth(X), rule_id=Rule.INVERSE_HYPERBOLIC_RULE),
    case(function_rule, sp.asech(X), rule_id=Rule.INVERSE_HYPERBOLIC_RULE),
    case(function_rule, sp.acsch(X), rule_id=Rule.INVERSE_HYPERBOLIC_RULE),
    case(function_rule, sp.erf(X), rule_id=Rule.ERF_RULE),
    case(function_rule, sp.erfc(X), rule_id=Rule.ERF_RULE),
    case(function_rule, sp.Si(X), rule_id=Rule("special_function_rule")),
    case(function_rule, sp.Ci(X), rule_id=Rule("special_function_rule")),
    case(function_rule, sp.Ei(X), rule_id=Rule("special_function_rule")),
    case(function_rule, sp.Abs(X), rule_id=Rule.ABS_RULE),
    case(function_rule, sigma(X), rule_id=Rule.NAMED_FUNCTION_RULE),
    case(exponential_base_rule, 2**X, rule_id=Rule.EXPONENTIAL_RULE),
    case(exponential_base_rule, K**X, rule_id=Rule.EXPONENTIAL_RULE),
    case(exponential_base_rule, sp.Rational(1, 2) ** T, T, Rule.EXPONENTIAL_RULE),
    case(log_differentiation, X**X),
    case(log_differentiation, X ** sp.sin(X)),
    case(log_differentiation, (X + 1) ** (X**2)),
    case(piecewise_rule, sp.Piecewise((X**2, X < 0), (X, True))),
    case(piecewise_rule, sp.Piecewise((0, X < -1), (X + 1, X < 1), (2, True))),
    case(fallback_rule, sp.gamma(X), rule_id=Rule.FALLBACK),  # the fallback takes any function
    case(special_function_rule, sp.gamma(X), rule_id=Rule.SPECIAL_FUNCTION_RULE),
    case(special_function_rule, sp.besselj(0, X), rule_id=Rule.SPECIAL_FUNCTION_RULE),
    case(special_function_rule, sp.besselj(K, X), rule_id=Rule.SPECIAL_FUNCTION_RULE),
    case(special_function_rule, sp.atan2(X, K), rule_id=Rule.SPECIAL_FUNCTION_RULE),
    case(special_function_rule, sp.atan2(X, X**2), rule_id=Rule.SPECIAL_FUNCTION_RULE),
    case(special_function_rule, sp.erfinv(X), rule_id=Rule.SPECIAL_FUNCTION_RULE),
    case(function_rule, sp.re(X), rule_id=Rule.COMPLEX_PART_RULE),
    case(function_rule, sp.arg(X), rule_id=Rule.COMPLEX_PART_RULE),
    case(chain_rule, sp.gamma(X**2)),
    case(chain_rule, sp.besselj(K, sp.sin(X))),
    case(quotient_rule, 1 / (1 + E(-2 * X))),
    case(quotient_rule, 1 / (1 + E(-K * X))),
    case(quotient_rule, 1 / (1 + E(-T)), T),
    case(quotient_rule, 3 / (2 + E(X))),
    case(quotient_rule, X / (X + 1)),
    case(quotient_rule, E(X) / (X**2 + 1)),
    case(quotient_rule, (T**2 + 1) / (T - 3), T),
    case(product_rule, X * E(X)),
    case(product_rule, X**2 * sp.sin(X)),
    case(product_rule, X * E(X) * sp.sqrt(X + 1)),
    case(product_rule, T * E(-T), T),
    case(constant_multiple_rule, 5 * X**4),
    case(constant_multiple_rule, K * E(3 * X)),
    case(constant_multiple_rule, 3 / X**2),
    case(constant_multiple_rule, 1 / (2 * X)),
    case(constant_multiple_rule, 3 / (2 + E(X))),
    case(constant_multiple_rule, -X),
    case(sum_rule, X + E(X)),
    case(sum_rule, X**2 + 3 * X),
    case(sum_rule, 1 + E(-X)),
    case(sum_rule, T**2 + E(T) + 4, T),
    case(chain_rule, (X + 1) ** 3),
    case(chain_rule, E(X**2)),
    case(chain_rule, 1 + E(-X)),
    case(chain_rule, K * E(3 * X)),
    case(chain_rule, sp.sqrt(X**2 + 1)),
    case(chain_rule, 1 / (1 + E(-2 * X))),
    case(chain_rule, 2 * E(-T) + 1, T),
    case(chain_rule, sigma(2 * X)),
    case(chain_rule, (X + Y) ** 2),
    case(chain_rule, sp.sin(X + 1)),
    case(chain_rule, sp.atan(X**2)),
    case(chain_rule, sp.tanh(K * X)),
    case(chain_rule, sp.Abs(X**2 - 1)),
    case(chain_rule, 2 ** (X**2)),
    case(chain_rule, F(X**2)),
    case(chain_rule, sp.Subs(sp.Derivative(F(Y), Y), Y, X**2)),  # f′(x²): f″(x²)·2x
    case(chain_rule, 3 * sp.Subs(sp.Derivative(F(Y), (Y, 2)), Y, sp.sin(X))),
    case(chain_rule, sp.erf(X / sp.sqrt(2))),
    case(chain_rule, sp.Si(X**2)),
    case(chain_rule, sp.Ci(K * X)),
    case(chain_rule, sp.Ei(-(X**2))),
]


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        ("Si(x)", sp.sin(X) / X, "special_function_rule"),
        ("x Si(x)", sp.Si(X) + sp.sin(X), "special_function_rule"),
        ("Ci(3x)", sp.cos(3 * X) / X, "chain_rule"),
        ("Ei(-x^2)", 2 * sp.exp(-(X**2)) / X, "chain_rule"),
    ],
)
def test_the_special_functions_are_typed_derived_and_proven(
    text: str, expected: sp.Expr, rule: str
) -> None:
    from sigderiv import derive

    derivation = derive(text)
    assert sp.simplify(derivation.result - expected) == 0
    assert all(step.verified for step in derivation.walk())
    assert Rule(rule) in derivation.rules()


@pytest.mark.parametrize(("rule", "u", "var", "rule_id"), APPLIES)
def test_rule_applies_and_is_right(rule: RuleFn, u: sp.Expr, var: sp.Symbol, rule_id: Rule) -> None:
    rewrite = rule(u, var)
    assert isinstance(rewrite, Rewrite)
    assert rewrite.rule is rule_id
    assert rewrite.title and rewrite.explanation
    assert right(rewrite, u, var)


# ---- each rule where it must not apply ---------------------------------------------------------

DOES_NOT_APPLY = [
    case(constant_rule, X),
    case(constant_rule, X**2 + K),
    case(constant_rule, E(-T), T),
    case(linear_rule, X**2),
    case(linear_rule, sp.Integer(7)),
    case(linear_rule, K),
    case(linear_rule, 1 / X),
    case(linear_rule, E(X)),
    case(power_rule, E(X)),
    case(power_rule, (X + 1) ** 3),
    case(power_rule, 2**X),
    case(power_rule, X**X),
    case(power_rule, 5 * X**4),
    case(function_rule, E(2 * X)),
    case(function_rule, E(-X)),
    case(function_rule, E(X) + 1),
    case(function_rule, E(T)),  # e^t in the variable x is a constant, not e^x
    case(quotient_rule, X**2),
    case(quotient_rule, 3 / X**2),
    case(quotient_rule, 1 / X),
    case(quotient_rule, 1 / (2 * X)),
    case(quotient_rule, K / X**3),
    case(quotient_rule, X / K),
    case(quotient_rule, E(-X)),
    case(quotient_rule, X * E(-X)),
    case(product_rule, X**2),
    case(product_rule, 5 * X**4),
    case(product_rule, K * E(3 * X)),
    case(product_rule, 3 * X * E(X)),  # a constant in front: the constant multiple rule first
    case(product_rule, X + E(X)),
    case(constant_multiple_rule, X * E(X)),
    case(constant_multiple_rule, E(X)),
    case(constant_multiple_rule, sp.Integer(7)),
    case(constant_multiple_rule, X + 1),
    case(sum_rule, X * E(X)),
    case(sum_rule, E(X)),
    case(sum_rule, X**2),
    case(chain_rule, E(X)),
    case(chain_rule, X**3),
    case(chain_rule, X * E(X)),
    case(chain_rule, X + E(X)),
    case(chain_rule, X**2 + E(-X)),
    case(chain_rule, sp.sin(X)),
    case(chain_rule, 2**X),
    case(chain_rule, sp.Integer(7)),
    case(chain_rule, sp.zeta(X**2)),  # zeta′ has no closed form: nothing to chain
    case(chain_rule, sp.atan2(X, X**2)),  # two arguments in x: the special function rule's
    case(special_function_rule, sp.gamma(X**2)),  # the chain rule's case
    case(special_function_rule, sp.zeta(X)),  # no closed form
    case(special_function_rule, sp.sin(X)),  # in the table
    case(special_function_rule, sp.Piecewise((X, X > 0), (0, True))),  # the piecewise rule's
    case(function_rule, sp.sin(2 * X)),  # the chain rule's case
    case(function_rule, sp.gamma(X)),  # not in the table
    case(function_rule, F(X)),  # nothing is known about f
    case(exponential_base_rule, X**2),
    case(exponential_base_rule, 2 ** (2 * X)),  # the chain rule's case
    case(exponential_base_rule, X**X),
    case(log_differentiation, 2**X),
    case(log_differentiation, X**2),
    case(log_differentiation, X**K),
    case(piecewise_rule, X**2),
    case(piecewise_rule, sp.Abs(X)),
    case(fallback_rule, F(X)),  # an unknown function has no derivative to take
    case(fallback_rule, X**2),  # not a function application
    case(fallback_rule, sp.zeta(X)),  # SymPy leaves d/dx zeta(x) unevaluated
]


@pytest.mark.parametrize(("rule", "u", "var", "rule_id"), DOES_NOT_APPLY)
def test_rule_does_not_apply(
    rule: RuleFn, u: sp.Expr, var: sp.Symbol, rule_id: Rule | None
) -> None:
    assert rule(u, var) is None


def test_every_rule_is_tested() -> None:
    tested = {p.values[0] for p in APPLIES} & {p.values[0] for p in DOES_NOT_APPLY}
    assert set(DIFFERENTIATION_RULES) >= tested
    assert tested >= set(DIFFERENTIATION_RULES)


# ---- what the rules write ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("u", "var", "expected"),
    [
        (3 * X - 2, X, 3),
        (-K * X, X, -K),
        (X, X, 1),
        (-T, T, -1),
    ],
)
def test_linear_rule_gives_the_slope(u: sp.Expr, var: sp.Symbol, expected: sp.Expr) -> None:
    rewrite = linear_rule(u, var)
    assert rewrite is not None
    assert rewrite.after == expected


@pytest.mark.parametrize(
    ("u", "n"),
    [(X**3, sp.Integer(3)), (sp.sqrt(X), sp.Rational(1, 2)), (X**K, K), (1 / X, sp.Integer(-1))],
)
def test_power_rule_names_the_exponent(u: sp.Expr, n: sp.Expr) -> None:
    rewrite = power_rule(u, X)
    assert rewrite is not None
    assert f"n = {inline_printing.inline(n)}" in rewrite.explanation
    assert sp.simplify(rewrite.after - n * X ** (n - 1)) == 0


def test_constant_multiple_rule_keeps_the_constant_in_front() -> None:
    rewrite = constant_multiple_rule(K * E(3 * X), X)
    assert rewrite is not None
    assert rewrite.after.args == (K, D(E(3 * X), X))
    assert "k" in rewrite.explanation


def test_sum_rule_differentiates_each_term_in_order() -> None:
    rewrite = sum_rule(X**2 + 3 * X + 4, X)
    assert rewrite is not None
    assert isinstance(rewrite.after, sp.Add)
    assert all(isinstance(term, sp.Derivative) for term in rewrite.after.args)
    assert {term.expr for term in rewrite.after.args} == {X**2, 3 * X, 4}


def test_product_rule_differentiates_one_factor_at_a_time() -> None:
    u = X * E(X) * sp.sqrt(X + 1)
    rewrite = product_rule(u, X)
    assert rewrite is not None
    assert isinstance(rewrite.after, sp.Add)
    assert len(rewrite.after.args) == 3
    for term in rewrite.after.args:
        assert len(term.atoms(sp.Derivative)) == 1
    assert "3 factors" in rewrite.explanation


# ---- the quotient rule shows the numerator u'v - uv' over v^2 -----------------------------------


@pytest.mark.parametrize(
    ("u", "num", "den", "var"),
    [
        (X / (X + 1), X, X + 1, X),
        (3 / (2 + E(X)), sp.Integer(3), 2 + E(X), X),
        (1 / (1 + E(-K * X)), sp.Integer(1), 1 + E(-K * X), X),
        (E(X) / (X**2 + 1), E(X), X**2 + 1, X),
        (1 / (1 + E(-T)), sp.Integer(1), 1 + E(-T), T),
    ],
)
def test_quotient_rule_shows_the_numerator_structure(
    u: sp.Expr, num: sp.Expr, den: sp.Expr, var: sp.Symbol
) -> None:
    rewrite = quotient_rule(u, var)
    assert rewrite is not None
    after = rewrite.after
    # one fraction: numerator times den**(-2), the square not merged into anything
    assert isinstance(after, sp.Mul)
    numerator, denominator = after.args
    assert denominator == sp.Pow(den, -2, evaluate=False)
    # numerator: u'·v − u·v', two terms in that order
    assert isinstance(numerator, sp.Add)
    first, second = numerator.args
    assert first.args == (D(num, var), den)
    assert second.args[0] == -1
    assert num in second.args[1:]
    assert second.args[-1] == D(den, var)
    assert f"u = {inline_printing.inline(num)}" in rewrite.explanation
    assert f"v = {inline_printing.inline(den)}" in rewrite.explanation


def test_quotient_rule_prints_as_written() -> None:
    rewrite = quotient_rule(X / (X + 1), X)
    assert rewrite is not None
    assert sp.sstr(rewrite.after, order="none") == (
        "(Derivative(x, x)*(1 + x) - x*Derivative(1 + x, x))/(1 + x)**2"
    )
    assert latex_printing.latex(rewrite.after) == (
        r"\frac{\left(\frac{d}{d x} x\right) \left(x + 1\right)"
        r" - x \frac{d}{d x} \left(x + 1\right)}"
        r"{\left(x + 1\right)^{2}}"
    )
    shown = pretty_printing.pretty(rewrite.after)
    top, bar = shown.splitlines()[1], shown.splitlines()[3]
    assert "(x + 1) - x⋅" in top
    assert set(bar.strip()) == {"─"}


# ---- the chain rule defers the inner derivative and names both functions ------------------------


@pytest.mark.parametrize(
    ("u", "var", "inner", "outer_shown", "inner_shown"),
    [
        ((X + 1) ** 3, X, X + 1, "g(y) = y³", "y = x + 1"),
        (E(X**2), X, X**2, "g(y) = e^y", "y = x²"),
        (1 + E(-X), X, -X, "g(y) = 1 + e^y", "y = −x"),
        (K * E(3 * X), X, 3 * X, "g(y) = k·e^y", "y = 3x"),
        (1 / (1 + E(-2 * X)), X, 1 + E(-2 * X), "g(y) = 1/y", "y = 1 + e^(−2x)"),
        (2 * E(-T) + 1, T, -T, "g(y) = 1 + 2e^y", "y = −t"),
        (sigma(2 * X), X, 2 * X, "g(y) = σ(y)", "y = 2x"),
        # y is a parameter here, so the outer function takes the next free name, u
        ((X + Y) ** 2, X, X + Y, "g(u) = u²", "u = x + y"),
    ],
)
def test_chain_rule_defers_the_inner_derivative(
    u: sp.Expr, var: sp.Symbol, inner: sp.Expr, outer_shown: str, inner_shown: str
) -> None:
    rewrite = chain_rule(u, var)
    assert rewrite is not None
    assert rewrite.rule is Rule.CHAIN_RULE
    assert rewrite.inner == (D(inner, var),)
    assert rewrite.after.has(D(inner, var))
    assert f"the outer function {outer_shown}" in rewrite.explanation
    assert f"the inner function {inner_shown}" in rewrite.explanation
    assert right(rewrite, u, var)


def test_chain_rule_outer_derivative_is_evaluated_at_the_inner_function() -> None:
    rewrite = chain_rule((X**2 + 1) ** 5, X)
    assert rewrite is not None
    *outer_prime, inner_derivative = rewrite.after.args
    assert sp.Mul(*outer_prime) == 5 * (X**2 + 1) ** 4
    assert inner_derivative == D(X**2 + 1, X)
    assert "g′(y) = 5y⁴" in rewrite.explanation


# ---- which rule first_rewrite picks -----------------------------------------------------------


@pytest.mark.parametrize(
    ("u", "var", "expected"),
    [
        pytest.param(1 / (1 + E(-2 * X)), X, Rule.QUOTIENT_RULE, id="1/(1+e^-2x)"),
        pytest.param(1 / (1 + E(-K * X)), X, Rule.QUOTIENT_RULE, id="1/(1+e^-kx)"),
        pytest.param(1 / (1 + E(-T)), T, Rule.QUOTIENT_RULE, id="1/(1+e^-t) dt"),
        pytest.param(3 / (2 + E(X)), X, Rule.QUOTIENT_RULE, id="3/(2+e^x)"),
        pytest.param(X / (X + 1), X, Rule.QUOTIENT_RULE, id="x/(x+1)"),
        pytest.param(1 / (X + 1), X, Rule.QUOTIENT_RULE, id="1/(x+1)"),
        pytest.param(3 / X**2, X, Rule.CONSTANT_MULTIPLE_RULE, id="3/x^2"),
        pytest.param(K / X**3, X, Rule.CONSTANT_MULTIPLE_RULE, id="k/x^3"),
        pytest.param(1 / (2 * X), X, Rule.CONSTANT_MULTIPLE_RULE, id="1/(2x)"),
        pytest.param(1 / X, X, Rule.POWER_RULE, id="1/x"),
        pytest.param(1 / X**3, X, Rule.POWER_RULE, id="1/x^3"),
        pytest.param(sp.sqrt(X), X, Rule.POWER_RULE, id="sqrt(x)"),
        pytest.param(X**K, X, Rule.POWER_RULE, id="x^k"),
        pytest.param(5 * X**4, X, Rule.CONSTANT_MULTIPLE_RULE, id="5x^4"),
        pytest.param(1 + E(-X), X, Rule.CHAIN_RULE, id="1+e^-x"),
        pytest.param((X + 1) ** 3, X, Rule.CHAIN_RULE, id="(x+1)^3"),
        pytest.param(E(X**2), X, Rule.CHAIN_RULE, id="e^(x^2)"),
        pytest.param(X + E(X), X, Rule.SUM_RULE, id="x+e^x"),
        pytest.param(X**2 + 3 * X, X, Rule.SUM_RULE, id="x^2+3x"),
        pytest.param(3 * X - 2, X, Rule.LINEAR_RULE, id="3x-2"),
        pytest.param(X * E(X), X, Rule.PRODUCT_RULE, id="x*e^x"),
        pytest.param(E(X), X, Rule.EXPONENTIAL_RULE, id="e^x"),
        pytest.param(K, X, Rule.CONSTANT_RULE, id="k"),
        pytest.param(sp.sin(X), X, Rule.TRIG_RULE, id="sin x"),
        pytest.param(sp.log(X), X, Rule.LOG_RULE, id="ln x"),
        pytest.param(sp.log(X, 2), X, Rule.CONSTANT_MULTIPLE_RULE, id="log2 x = ln x/ln 2"),
        pytest.param(2**X, X, Rule.EXPONENTIAL_RULE, id="2^x"),
        pytest.param(2 ** (X**2), X, Rule.CHAIN_RULE, id="2^(x^2)"),
        pytest.param(X**X, X, Rule.LOG_DIFFERENTIATION, id="x^x"),
        pytest.param(sp.sin(X) ** X, X, Rule.LOG_DIFFERENTIATION, id="sin(x)^x"),
        pytest.param(sp.Abs(X), X, Rule.ABS_RULE, id="|x|"),
        pytest.param(sp.Piecewise((X, X > 0), (0, True)), X, Rule.PIECEWISE_RULE, id="relu"),
        pytest.param(sp.gamma(X), X, Rule.SPECIAL_FUNCTION_RULE, id="gamma"),
        pytest.param(X * sp.sin(X), X, Rule.PRODUCT_RULE, id="x sin x"),
    ],
)
def test_first_rewrite_order(u: sp.Expr, var: sp.Symbol, expected: Rule) -> None:
    rewrite = first_rewrite(u, var)
    assert rewrite is not None
    assert rewrite.rule is expected
    assert right(rewrite, u, var)


def test_first_rewrite_chain_rule_on_one_plus_exponential() -> None:
    rewrite = first_rewrite(1 + E(-X), X)
    assert rewrite is not None
    assert rewrite.rule is Rule.CHAIN_RULE
    assert rewrite.inner == (D(-X, X),)
    assert "the outer function g(y) = 1 + e^y" in rewrite.explanation
    assert "the inner function y = −x" in rewrite.explanation


@pytest.mark.parametrize(
    "u",
    [sp.dirichlet_eta(X), sp.zeta(X), sp.besselj(X, X), F(X, X**2)],
    ids=["dirichlet_eta", "zeta", "besselj(x, x)", "f(x, x^2)"],
)
def test_first_rewrite_without_a_rule(u: sp.Expr) -> None:
    """No rule, and SymPy's own derivative is not closed either: nothing applies."""
    assert first_rewrite(u, X) is None


# ---- |w| and sign(w) take the chain rule only for a real inner function ------------------------


@pytest.mark.parametrize(
    ("u", "real"),
    [
        (X**2 - 1, True),
        (sp.sin(X), True),
        (E(-X), True),
        (sigma(K * X), True),
        (sp.sqrt(X**2 + 1), True),
        (F(X), True),  # an unknown function is a real function of x
        (sp.sqrt(X), False),
        (sp.log(X), False),
        (sp.asin(X), False),
        (X ** sp.Rational(1, 3), False),
    ],
)
def test_real_valued(u: sp.Expr, real: bool) -> None:
    assert real_valued(u) is real


@pytest.mark.parametrize(
    "u", [sp.Abs(sp.sqrt(X)), sp.Abs(sp.log(X)), sp.Abs(sp.asin(X)), sp.sign(sp.sqrt(X))]
)
def test_chain_rule_leaves_the_absolute_value_of_a_complex_inner_function(u: sp.Expr) -> None:
    # d|w|/dx = sign(w)·dw/dx is false where w is not real: |√x| at x = −1 has slope −1/2,
    # sign(√x)·(√x)′ = sign(i)·1/(2i) = +1/2
    assert chain_rule(u, X) is None


@pytest.mark.parametrize("u", [sp.Abs(sp.sqrt(X)), sp.Abs(sp.log(X)), sp.re(X)])
def test_fallback_differentiates_for_real_x(u: sp.Expr) -> None:
    rewrite = fallback_rule(u, X)
    assert rewrite is not None
    assert rewrite.rule is Rule.FALLBACK
    assert not rewrite.after.has(sp.Derivative)
    assert right(rewrite, u, X)


def test_fallback_takes_re_of_a_real_variable_as_the_variable() -> None:
    rewrite = fallback_rule(sp.re(X), X)
    assert rewrite is not None
    assert rewrite.after == 1


# ---- a named function whose derivative was found above (higher orders) --------------------------


def test_function_rule_uses_a_derivative_found_above() -> None:
    elu = CATALOGUE["elu"].apply(X)
    alpha = sp.Symbol("alpha")
    found = sp.Piecewise((1, X > 0), (alpha + elu, True))
    rewrite = function_rule(elu.knowing(found), X)
    assert rewrite is not None
    assert rewrite.rule is Rule.NAMED_FUNCTION_RULE
    assert rewrite.after == found
    # the piecewise derivative may print with braces, {1 if x > 0; ...}: the words keep them
    assert f"d/dx ELU(x) = {inline_printing.inline(found)}, found above" in rewrite.explanation
    # the found derivative is ELU′ indeed (written out: SymPy's simplify cannot take a
    # named function's definition, which travels in its arguments, reported)
    derivative = explicit(rewrite.after, real=True)
    assert sp.simplify(derivative - explicit(sp.diff(write_out(elu), X), real=True)) == 0


def test_function_rule_takes_a_named_function_at_its_argument_only() -> None:
    elu = CATALOGUE["elu"].apply(2 * X)
    assert function_rule(elu.knowing(sp.Integer(1)), X) is None


@pytest.mark.parametrize(
    ("u", "shown"),
    [
        (sp.Abs(X + 1), "This holds for x + 1 ≠ 0: where x + 1 = 0 the function has a corner"),
        (sp.Abs(X**2 - 1), "This holds for x² − 1 ≠ 0: where x² − 1 = 0 the function has a corner"),
        (sp.sign(sp.sin(X)), "This holds for sin(x) ≠ 0: where sin(x) = 0 the function has a jump"),
    ],
)
def test_the_chain_rule_through_abs_or_sign_names_where_it_fails(u: sp.Expr, shown: str) -> None:
    """d|w| = sign(w)·dw holds away from w = 0 only: the step says so (a side condition)."""
    rewrite = chain_rule(u, X)
    assert rewrite is not None and shown in rewrite.explanation


def test_the_chain_rule_elsewhere_has_no_side_condition() -> None:
    rewrite = chain_rule(sp.sin(X**2), X)
    assert rewrite is not None and "This holds for" not in rewrite.explanation
