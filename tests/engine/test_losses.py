"""Losses and activations, written the ways people write them, reach their textbook gradients.

Each row is (input as typed, variable, the textbook gradient): binary cross-entropy through
explicit exponentials, σ, the logit form and softplus, through the weight and the bias of a
neuron; squared error after a sigmoid; two-class log-sum-exp and the softmax weight; the ±1
logistic loss; log-cosh; and the activations whose derivative is written with σ or tanh.
Every step of each derivation is proven, and the result is the textbook's expression,
terms and factors in any order: no exponential left where σ, softplus or tanh says it.
"""

from __future__ import annotations

from functools import cache

import pytest
import sympy as sp

from sigderiv import Derivation, derive
from sigderiv.engine.verify import explicit
from sigderiv.expr.functions import sigma
from sigderiv.input.parse import parse
from sigderiv.model.steps import CheckStatus, Rule

BCE = "-(y*log({s}) + (1-y)*log(1-{s}))"
EXPLICIT = "1/(1+exp(-{u}))"
NEURON = "w*x+b"

#: (input, variable, the textbook gradient)
LOSSES: list[tuple[str, str, str]] = [
    (BCE.format(s=EXPLICIT.format(u="z")), "z", "sigma(z) - y"),
    (BCE.format(s="sigmoid(z)"), "z", "sigma(z) - y"),
    ("log(1+exp(z)) - y*z", "z", "sigma(z) - y"),
    ("softplus(z) - y*z", "z", "sigma(z) - y"),
    (BCE.format(s=f"sigmoid({NEURON})"), "w", "x*(sigma(w*x+b) - y)"),
    (BCE.format(s=f"sigmoid({NEURON})"), "b", "sigma(w*x+b) - y"),
    (BCE.format(s=EXPLICIT.format(u=f"({NEURON})")), "w", "x*(sigma(w*x+b) - y)"),
    (BCE.format(s=EXPLICIT.format(u=f"({NEURON})")), "b", "sigma(w*x+b) - y"),
    ("(sigmoid(z) - y)**2/2", "z", "(sigma(z) - y)*sigma(z)*(1 - sigma(z))"),
    ("(1/(1+exp(-z)) - y)**2/2", "z", "(sigma(z) - y)*sigma(z)*(1 - sigma(z))"),
    ("(sigmoid(w*x+b) - y)**2/2", "w", "x*(sigma(w*x+b) - y)*sigma(w*x+b)*(1 - sigma(w*x+b))"),
    ("log(exp(a)+exp(b))", "a", "sigma(a - b)"),
    ("log(exp(a)+exp(b))", "b", "sigma(b - a)"),
    ("exp(a)/(exp(a)+exp(b))", "a", "sigma(a - b)*(1 - sigma(a - b))"),
    ("exp(a)/(exp(a)+exp(b))", "b", "-sigma(a - b)*(1 - sigma(a - b))"),
    ("log(1+exp(-y*z))", "z", "-y*sigma(-y*z)"),
    ("log(cosh(p - y))", "p", "tanh(p - y)"),
    ("softplus(z)", "z", "sigma(z)"),
    ("log(1+exp(-z))", "z", "-sigma(-z)"),
    ("(exp(z)-exp(-z))/(exp(z)+exp(-z))", "z", "1 - tanh(z)^2"),
    ("(exp(2*z)-1)/(exp(2*z)+1)", "z", "1 - tanh(z)^2"),
    ("z*sigmoid(z)", "z", "sigma(z)*(1 + z*(1 - sigma(z)))"),
    ("silu", "x", "sigma(x)*(1 + x*(1 - sigma(x)))"),
    ("z*sigmoid(beta*z)", "z", "sigma(beta*z)*(1 + beta*z*(1 - sigma(beta*z)))"),
    ("log(sigmoid(z))", "z", "1 - sigma(z)"),
    ("log(1/(1+exp(-z)))", "z", "sigma(-z)"),
    ("log(sigmoid(-z))", "z", "-sigma(z)"),
]

ROWS = [pytest.param(given, var, answer, id=f"d/d{var} {given}") for given, var, answer in LOSSES]


@cache
def _derived(given: str, var: str) -> Derivation:
    return derive(given, var, bounded=False)


def test_the_table_has_the_losses_and_activations() -> None:
    assert len(LOSSES) >= 12
    assert len(set(LOSSES)) == len(LOSSES)


@pytest.mark.parametrize(("given", "var", "answer"), ROWS)
def test_the_answer_is_the_derivative(given: str, var: str, answer: str) -> None:
    """The table itself is right: each textbook gradient equals SymPy's derivative."""
    d = _derived(given, var)
    x = sp.Symbol(var, real=True)
    theirs = sp.diff(explicit(d.function, real=True), x)
    assert sp.simplify(explicit(parse(answer), real=True) - theirs) == 0


@pytest.mark.parametrize(("given", "var", "answer"), ROWS)
def test_the_gradient_is_the_textbook_form(given: str, var: str, answer: str) -> None:
    """The result is the textbook's expression up to the order of terms and factors."""
    d = _derived(given, var)
    assert d.result == parse(answer), str(d.steps[-1].after)
    assert not d.result.has(sp.exp)


@pytest.mark.parametrize(("given", "var", "answer"), ROWS)
def test_every_step_is_proven(given: str, var: str, answer: str) -> None:
    d = _derived(given, var)
    unproven = [(s.rule, s.check) for s in d.walk() if not s.verified]
    assert not unproven
    assert all(s.check is not None and s.check.status is CheckStatus.VERIFIED for s in d.walk())
    afters = [s.after for s in d.steps]
    assert len(afters) == len(set(afters)), "a step that gives back what it was given"


@pytest.mark.parametrize(
    ("given", "var", "rules"),
    [
        (BCE.format(s=EXPLICIT.format(u="z")), "z", {Rule.EXP_RATIO, Rule.SIGMA_COMPLEMENT}),
        ("(1/(1+exp(-z)) - y)**2/2", "z", {Rule.EXP_RATIO, Rule.SIGMA_COMPLEMENT}),
        ("log(exp(a)+exp(b))", "a", {Rule.EXP_RATIO}),
        ("exp(a)/(exp(a)+exp(b))", "a", {Rule.EXP_RATIO, Rule.SIGMA_COMPLEMENT}),
        ("log(sigmoid(-z))", "z", {Rule.SIGMA_COMPLEMENT}),
        ("(exp(z)-exp(-z))/(exp(z)+exp(-z))", "z", {Rule.SOLVE_SUBSTITUTE}),
    ],
)
def test_the_identities_are_named_steps(given: str, var: str, rules: set[Rule]) -> None:
    d = _derived(given, var)
    assert rules <= set(d.rules())
    titles = [str(s.title) for s in d.steps if s.rule in rules]
    assert all(t.startswith(("Use ", "Write in terms of ")) for t in titles), titles


def test_the_complement_is_titled_by_its_identity() -> None:
    d = _derived(BCE.format(s=EXPLICIT.format(u="z")), "z")
    titles = [str(s.title) for s in d.steps]
    assert "Use σ(u) + σ(−u) = 1" in titles
    assert d.result == sigma(sp.Symbol("z")) - sp.Symbol("y")


def test_the_sigmoid_is_derived_as_before() -> None:
    """The seed derivation keeps its steps: none of the new identities is needed there."""
    d = derive("sigmoid", bounded=False)
    new = {Rule.EXP_RATIO, Rule.SIGMA_COMPLEMENT}
    assert not new & set(d.rules())
    assert d.result == parse("sigma(x)*(1 - sigma(x))")
