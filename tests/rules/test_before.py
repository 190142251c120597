"""Rewrites before differentiating: max and min in pieces, powers of 0 and 1."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import derive
from sigderiv.engine.verify import WHERE_POSITIVE, check_identity
from sigderiv.model.steps import CheckStatus, Derivation, Rule, Step
from sigderiv.rules.before import base_power_rule, min_max_rule

X = sp.Symbol("x")
A, B, C = sp.symbols("a b c")
#: Points away from every breakpoint of the table below.
POINTS = (
    sp.Rational(37, 100),
    sp.Rational(-61, 100),
    sp.Rational(173, 100),
    sp.Rational(-229, 100),
)


def _all_steps(steps: tuple[Step, ...]) -> list[Step]:
    """Every step and substep, depth first."""
    found: list[Step] = []
    for step in steps:
        found += [step, *_all_steps(step.substeps)]
    return found


def _d(function: sp.Expr) -> sp.Derivative:
    return sp.Derivative(function, X, evaluate=False)


MIN_MAX = [
    sp.Max(X, 0),
    sp.Min(X, 1, X**2),
    sp.Max(X, -X),
    sp.sin(sp.Max(X, 0)),
    sp.exp(X) * sp.Min(X, 2),
    sp.Max(sp.Min(X, 1), -X),
    sp.Min(X**3, 3 * X + 1) + X,
]


@pytest.mark.parametrize("function", MIN_MAX, ids=str)
def test_min_max_rule_writes_every_max_and_min_in_pieces(function: sp.Expr) -> None:
    rewrite = min_max_rule(_d(function))
    assert rewrite is not None
    assert rewrite.rule is Rule.MIN_MAX_RULE
    assert not rewrite.after.has(sp.Max, sp.Min)
    assert rewrite.after.has(sp.Piecewise)
    assert check_identity(_d(function), rewrite.after).status is CheckStatus.VERIFIED


@pytest.mark.parametrize("function", [X**2, sp.sin(X), sp.Piecewise((X, X < 0), (1, True))])
def test_min_max_rule_leaves_what_has_no_max_or_min(function: sp.Expr) -> None:
    assert min_max_rule(_d(function)) is None
    assert min_max_rule(function) is None  # not a derivative: nothing to do before


@pytest.mark.parametrize("function", MIN_MAX, ids=str)
def test_max_and_min_are_derived_through_their_pieces(function: sp.Expr) -> None:
    derived = derive(function, bounded=False)
    steps = _all_steps(derived.steps)
    assert derived.steps[0].rule is Rule.MIN_MAX_RULE
    assert any(s.rule is Rule.PIECEWISE_RULE for s in steps)
    assert all(s.verified for s in steps), [(s.rule, s.check) for s in steps if not s.verified]
    assert Rule.FALLBACK not in {s.rule for s in steps}
    expected = sp.diff(function, X)
    for point in POINTS:
        got = complex(derived.result.subs(X, point).evalf())
        assert abs(got - complex(expected.subs(X, point).evalf())) < 1e-9, point


@pytest.mark.parametrize(
    ("text", "point"),
    [("max(x, 0)", "x = 0"), ("min(x, 1)", "x = 1"), ("max(x^2, x)", "x = 1")],
)
def test_the_breakpoints_of_max_and_min_are_named(text: str, point: str) -> None:
    derived = derive(text, bounded=False)
    piecewise = next(s for s in _all_steps(derived.steps) if s.rule is Rule.PIECEWISE_RULE)
    assert point in piecewise.explanation.render(str).replace("Eq(x, ", "x = ").replace(")", "")


def test_sympy_input_max_and_min_are_derived() -> None:
    assert derive(sp.Max(X, 0), bounded=False).result == sp.Piecewise((0, X <= 0), (1, True))
    result = derive(sp.Min(X, 1, X**2), bounded=False).result
    assert result.subs(X, sp.Rational(1, 2)) == 1  # min is x² there: 1/4 < 1/2 < 1
    assert result.subs(X, 3) == 0  # min is 1
    assert result.subs(X, -2) == 1  # min is x


W = 2**X + X**3 + 2

ZERO_POWERS = [
    (sp.Pow(0, W, evaluate=False), 0),
    (sp.Pow(0, X**2 + 1, evaluate=False), 0),
    (sp.Pow(0, sp.sin(X), evaluate=False), 0),
    (X**2 + sp.Pow(0, X, evaluate=False), 2 * X),
    (sp.Pow(1, W, evaluate=False), 0),
    (sp.Mul(sp.sin(X), sp.Pow(1, sp.exp(X), evaluate=False), evaluate=False), sp.cos(X)),
]


@pytest.mark.parametrize(("function", "expected"), ZERO_POWERS, ids=str)
def test_powers_of_0_and_1_are_constants_first(function: sp.Expr, expected: sp.Expr) -> None:
    derived = derive(function, bounded=False)
    first = derived.steps[0]
    assert first.rule is Rule.BASE_POWER_RULE
    assert all(s.verified for s in _all_steps(derived.steps))
    assert sp.simplify(derived.result - expected) == 0
    if any(p.base == 0 for p in function.atoms(sp.Pow)):
        assert "> 0" in first.explanation.render(str)  # the side condition, in words


def _has_zoo(derivation: Derivation) -> bool:
    return any(
        side.has(sp.zoo, sp.nan)
        for step in _all_steps(derivation.steps)
        for side in (step.before, step.after)
    )


@pytest.mark.parametrize("given", [sp.Pow(0, W, evaluate=False), "0^(2^x+x^3+2)"], ids=str)
def test_a_base_zero_power_is_simplified_first(given: str | sp.Expr) -> None:
    derived = derive(given, bounded=False)
    assert derived.result == 0
    assert not _has_zoo(derived)
    first = derived.steps[0]
    assert first.rule is Rule.BASE_POWER_RULE
    assert first.check is not None and first.check.status is CheckStatus.VERIFIED
    assert first.check.detail == WHERE_POSITIVE
    said = first.explanation.render(str)
    assert "> 0" in said and "not defined" in said


def test_a_power_of_0_to_a_negative_exponent_is_left_alone() -> None:
    real = sp.Symbol("x", real=True)
    negative = sp.Pow(0, -1 - real**2, evaluate=False)
    assert base_power_rule(sp.Derivative(negative, real, evaluate=False)) is None


def test_the_check_of_a_power_of_0_refuses_a_wrong_value() -> None:
    power = sp.Pow(0, X**2 + 1, evaluate=False)
    assert check_identity(power, sp.Integer(1)).status is CheckStatus.FAILED
    assert check_identity(power, sp.Integer(0)).status is CheckStatus.VERIFIED
