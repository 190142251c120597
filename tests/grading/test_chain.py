"""A learner's line written as one of the engine's proven forms: named and proven by the chain."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import Rule, check, derive
from sigderiv.grading.chain import SAME_FORM, chain_of, key_of
from sigderiv.grading.check import Verdict
from sigderiv.model.steps import CheckStatus

X = sp.Symbol("x")


@pytest.mark.parametrize(
    ("lines", "rules"),
    [
        # the engine's own forms, one rule a line
        (
            ["x^2 sin(x)", "= d/dx(x^2)·sin(x) + x^2·d/dx(sin(x))", "= 2x sin(x) + x^2 cos(x)"],
            [Rule.PRODUCT_RULE, Rule.POWER_RULE],
        ),
        (["sin(x^2)", "= cos(x^2)·d/dx(x^2)", "= cos(x^2)·2x"], [Rule.CHAIN_RULE, Rule.POWER_RULE]),
        (["tanh(x)", "= 1 - tanh(x)^2"], [Rule.HYPERBOLIC_RULE]),
        (["x^3 + 2x", "= 3x^2 + 2"], [Rule.SUM_RULE]),
        (
            [
                "1/(1+e^(-x))",
                "= (0*(1+e^(-x)) - 1*(-e^(-x)))/(1+e^(-x))^2",
                "= e^(-x)/(1+e^(-x))^2",
                "= (1 + e^(-x) - 1)/(1+e^(-x))^2",
            ],
            [Rule.QUOTIENT_RULE, Rule.REDUCE, Rule.ADD_SUBTRACT_ONE],
        ),
    ],
)
def test_a_line_in_the_engines_chain_is_proven_by_it_and_named_by_its_rule(
    lines: list[str], rules: list[Rule]
) -> None:
    report = check(lines, bounded=False)
    assert [line.rule for line in report.lines] == rules
    for line in report.lines:
        assert line.status is Verdict.CORRECT
        assert line.check is not None and line.check.method == SAME_FORM
        assert "proven equal to the derivative" in line.check.detail


def test_the_move_names_the_engines_step_between_the_two_forms() -> None:
    report = check(
        [
            "1/(1+e^(-x))",
            "(0*(1+e^(-x)) - 1*(-e^(-x)))/(1+e^(-x))^2",
            "(1+e^(-x)-1)/(1+e^(-x))^2",
            "(1+e^(-x))/(1+e^(-x))^2 - 1/(1+e^(-x))^2",
        ]
    )
    first, second, third = report.lines
    # a run of rules that differentiate: the first names it, the title lists them all
    assert first.rule is Rule.QUOTIENT_RULE
    assert str(first.title) == "Quotient rule, chain rule and linear rule"
    assert "after its step 4 (linear_rule)" in first.check.detail  # type: ignore[union-attr]
    # a jump over reduce and add-and-subtract: proven by the chain, named by the search
    assert second.status is Verdict.CORRECT and second.check.method == SAME_FORM  # type: ignore[union-attr]
    # one step of the engine's: its rule and title
    assert third.rule is Rule.SPLIT_FRACTION and str(third.title) == "Split into two fractions"
    assert "after its step 7 (split_fraction)" in third.check.detail  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("function", "line"),
    [
        ("x^2 sin(x)", "2x sin(x) + x^2 sin(x)"),
        ("1/(1+e^(-x))", "-e^(-x)/(1+e^(-x))^2"),
        ("sin(x^2)", "cos(x^2)"),
    ],
)
def test_a_wrong_line_is_never_proven_by_the_chain(function: str, line: str) -> None:
    (checked,) = check([function, line], bounded=False).lines
    assert checked.status is Verdict.WRONG
    assert checked.check is not None and checked.check.method != SAME_FORM


def test_a_line_written_as_an_earlier_right_line_is_proven_by_it() -> None:
    report = check(
        ["x^2 sin(x)", "= x sin(x) + x sin(x) + x^2 cos(x)", "= x^2 cos(x) + x sin(x) + sin(x) x"]
    )
    first, second = report.lines
    assert first.check is not None and first.check.method != SAME_FORM  # a real check
    assert second.status is Verdict.CORRECT
    assert second.check is not None and second.check.method == SAME_FORM
    assert second.check.detail == "written as line 2, proven equal to the derivative"


@pytest.mark.parametrize("function", ["1/(1+exp(-x))", "x^2*sin(x)", "tanh(x)", "log(x^2+1)"])
def test_every_form_of_the_chain_is_proven_by_the_steps_before_it(function: str) -> None:
    derivation = derive(function)
    chain = chain_of(derivation, derivation.start)
    assert chain is not None and len(chain.forms) == len(chain.leaves) + 1 >= 2
    assert all(
        leaf.check is not None and leaf.check.status is CheckStatus.VERIFIED
        for leaf in chain.leaves
    )
    for leaf, before, after in zip(chain.leaves, chain.forms, chain.forms[1:], strict=False):
        assert key_of(leaf.before) == key_of(before) and leaf.after == after
    assert chain.index(key_of(chain.forms[-1])) is not None


def test_a_chain_from_another_start_is_refused() -> None:
    derivation = derive("x^2*sin(x)")
    assert chain_of(derivation, sp.Derivative(X**3, X)) is None
    assert chain_of(None, sp.Derivative(X**3, X)) is None


def test_the_key_tells_forms_apart_that_only_the_order_of_terms_shares() -> None:
    a = sp.Add(sp.Mul(2, X, evaluate=False), sp.sin(X), evaluate=False)
    b = sp.Add(sp.sin(X), sp.Mul(X, 2, evaluate=False), evaluate=False)
    assert key_of(a) == key_of(b)
    assert key_of(a) != key_of(sp.Add(sp.Mul(2, X), sp.cos(X), evaluate=False))
    assert key_of(sp.Pow(X, 2, evaluate=False)) != key_of(sp.Mul(X, X, evaluate=False))
