"""derive(): the steps it builds, how they join, and that every one of them holds."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import sympy as sp
from joins import assert_joined
from sympy.core.function import AppliedUndef

import sigderiv.rules.differentiation as differentiation
from sigderiv import (
    CheckStatus,
    Derivation,
    SigderivError,
    UnsupportedError,
    VerificationError,
    derive,
    explicit,
    sigma,
)
from sigderiv.engine.checker import Checker as _Checker
from sigderiv.model.steps import Rule
from sigderiv.rules.base import Rewrite

X, K, T = sp.symbols("x k t")
E = sp.exp

SIGMOID_STEPS = [
    Rule.DIFFERENTIATE,
    Rule.INNER_DERIVATIVE,
    Rule.REDUCE,
    Rule.REWRITE_IN_TERMS,
    Rule.SUBSTITUTE,
]
SIGMOID_RULES = [
    Rule.QUOTIENT_RULE,
    Rule.CHAIN_RULE,
    Rule.ADD_SUBTRACT_ONE,
    Rule.SPLIT_FRACTION,
    Rule.SUBSTITUTE,
]


def first_appearances(rules: list[Rule], wanted: list[Rule]) -> list[Rule]:
    """The rules of ``wanted`` in the order they first appear in ``rules``."""
    return [r for r in dict.fromkeys(rules) if r in wanted]


def assert_every_step_holds(d: Derivation) -> None:
    """Every step and substep was verified by the engine and holds by SymPy on its own."""
    for step in d.walk():
        assert step.verified, (step.rule, step.check)
        assert step.check is not None and step.check.status is CheckStatus.VERIFIED
        difference = explicit(step.before) - explicit(step.after)
        assert sp.simplify(difference) == 0, step.rule


def assert_well_formed(d: Derivation, function: sp.Expr, var: sp.Symbol) -> None:
    """The chain starts at d/dvar(function), joins up, holds, and ends at a right result."""
    assert d.variable == var
    start = sp.Derivative(function, var, evaluate=False)
    assert d.start == start
    assert d.steps[0].before == start
    assert_joined(d.steps, start, d.steps[-1].after)
    assert d.result == d.steps[-1].after.doit()
    assert d.verified
    assert_every_step_holds(d)
    assert sp.simplify(explicit(d.result) - sp.diff(explicit(function), var)) == 0


# ---- sigmoids ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sigmoid() -> Derivation:
    return derive(1 / (1 + E(-X)))


def test_sigmoid_has_five_steps(sigmoid: Derivation) -> None:
    assert [step.rule for step in sigmoid.steps] == SIGMOID_STEPS


def test_sigmoid_rules_appear_in_order(sigmoid: Derivation) -> None:
    assert first_appearances(sigmoid.rules(), SIGMOID_RULES) == SIGMOID_RULES


def test_sigmoid_first_step_starts_at_the_derivative(sigmoid: Derivation) -> None:
    first = sigmoid.steps[0].before
    assert isinstance(first, sp.Derivative)
    assert first == sp.Derivative(1 / (1 + E(-X)), X, evaluate=False)


def test_sigmoid_steps_join_end_to_end(sigmoid: Derivation) -> None:
    assert_joined(sigmoid.steps, sigmoid.start, sigmoid.steps[-1].after)


def test_sigmoid_result(sigmoid: Derivation) -> None:
    assert sigmoid.result == sigma(X) * (1 - sigma(X))
    assert sigmoid.definitions == ((sigma(X), 1 / (1 + E(-X))),)


def test_sigmoid_every_step_holds(sigmoid: Derivation) -> None:
    assert_every_step_holds(sigmoid)


def test_sigmoid_substeps(sigmoid: Derivation) -> None:
    differentiate, inner, _, in_terms, _ = sigmoid.steps
    assert [s.rule for s in differentiate.substeps] == [
        Rule.QUOTIENT_RULE,
        Rule.CONSTANT_RULE,
        Rule.CHAIN_RULE,
    ]
    assert [s.rule for s in inner.substeps] == [Rule.LINEAR_RULE]
    assert [s.rule for s in in_terms.substeps] == [
        Rule.ADD_SUBTRACT_ONE,
        Rule.SPLIT_FRACTION,
        Rule.CANCEL,
        Rule.FACTOR,
    ]
    assert "quotient rule" in differentiate.title and "chain rule" in differentiate.title


@pytest.mark.parametrize(
    ("function", "var", "result"),
    [
        pytest.param(1 / (1 + E(-K * X)), X, K * sigma(K * X) * (1 - sigma(K * X)), id="kx"),
        pytest.param(1 / (1 + E(-2 * X)), X, 2 * sigma(2 * X) * (1 - sigma(2 * X)), id="2x"),
        pytest.param(1 / (1 + E(-T)), T, sigma(T) * (1 - sigma(T)), id="t"),
        pytest.param(2 / (1 + E(-X)), X, 2 * sigma(X) * (1 - sigma(X)), id="2/(1+e^-x)"),
    ],
)
def test_scaled_and_shifted_sigmoids(function: sp.Expr, var: sp.Symbol, result: sp.Expr) -> None:
    d = derive(function, var)
    assert [step.rule for step in d.steps] == SIGMOID_STEPS
    assert first_appearances(d.rules(), SIGMOID_RULES) == SIGMOID_RULES
    assert d.result == result
    assert_well_formed(d, function, var)


def test_the_variable_can_be_given_by_name(
    t: sp.Symbol, equal: Callable[[sp.Expr, sp.Expr], bool]
) -> None:
    d = derive(1 / (1 + E(-t)), "t")
    assert d.variable == t
    assert d.result == sigma(t) * (1 - sigma(t))
    assert equal(d.start, d.result)


def test_sigmoid_by_catalogue_name() -> None:
    d = derive("sigmoid")
    assert d.name == "sigmoid"
    assert d.function == 1 / (1 + E(-X))
    assert [step.rule for step in d.steps] == SIGMOID_STEPS
    assert d.result == sigma(X) * (1 - sigma(X))


def test_named_function_input_is_written_out_first() -> None:
    d = derive(sigma(2 * X))
    assert [step.rule for step in d.steps] == [Rule.DEFINITION, *SIGMOID_STEPS]
    start = sp.Derivative(sigma(2 * X), X, evaluate=False)
    assert d.steps[0].before == start
    assert d.steps[0].after == sp.Derivative(1 / (1 + E(-2 * X)), X, evaluate=False)
    assert d.result == 2 * sigma(2 * X) * (1 - sigma(2 * X))
    assert_joined(d.steps, start, d.steps[-1].after)
    assert_every_step_holds(d)


def test_named_function_input_chain_starts_at_the_derivation_start() -> None:
    d = derive(sigma(2 * X))
    assert d.function == sigma(2 * X)
    assert d.steps[0].before == d.start


# ---- other functions --------------------------------------------------------------------------


def test_three_over_two_plus_exp() -> None:
    function = 3 / (2 + E(X))
    d = derive(function)
    assert [step.rule for step in d.steps] == [
        Rule.DIFFERENTIATE,
        Rule.REDUCE,
        Rule.REWRITE_IN_TERMS,
    ]
    assert first_appearances(
        d.rules(),
        [Rule.QUOTIENT_RULE, Rule.SUM_RULE, Rule.EXPONENTIAL_RULE, Rule.ADD_SUBTRACT_ONE],
    ) == [Rule.QUOTIENT_RULE, Rule.SUM_RULE, Rule.EXPONENTIAL_RULE, Rule.ADD_SUBTRACT_ONE]
    assert Rule.SUBSTITUTE not in d.rules()  # no named function is 3/(2 + e^x)
    assert d.result == -3 / (2 + E(X)) * (1 - 2 / (2 + E(X)))
    assert_well_formed(d, function, X)


def test_polynomial() -> None:
    function = X**2 + 3 * X
    d = derive(function)
    assert [step.rule for step in d.steps] == [Rule.DIFFERENTIATE]
    assert d.rules() == [Rule.DIFFERENTIATE, Rule.SUM_RULE, Rule.POWER_RULE, Rule.LINEAR_RULE]
    assert d.result == 2 * X + 3
    assert_well_formed(d, function, X)


@pytest.mark.parametrize(
    ("function", "var", "steps"),
    [
        pytest.param(X * E(X), X, [Rule.DIFFERENTIATE, Rule.REDUCE, Rule.SIMPLIFY], id="x*e^x"),
        pytest.param(X / (X + 1), X, [Rule.DIFFERENTIATE, Rule.REDUCE], id="x/(x+1)"),
        pytest.param(
            (X + 1) ** 3,
            X,
            [Rule.DIFFERENTIATE, Rule.INNER_DERIVATIVE, Rule.REDUCE],
            id="(x+1)^3",
        ),
        pytest.param(E(X**2), X, [Rule.DIFFERENTIATE, Rule.INNER_DERIVATIVE], id="e^(x^2)"),
        pytest.param(5 * X**4, X, [Rule.DIFFERENTIATE, Rule.REDUCE], id="5x^4"),
        pytest.param(sp.sqrt(X), X, [Rule.DIFFERENTIATE], id="sqrt(x)"),
        pytest.param(X**K, X, [Rule.DIFFERENTIATE], id="x^k"),
        pytest.param(K * E(3 * X), X, [Rule.DIFFERENTIATE, Rule.INNER_DERIVATIVE], id="k*e^(3x)"),
        pytest.param(1 / (2 * X), X, [Rule.DIFFERENTIATE, Rule.REDUCE], id="1/(2x)"),
        pytest.param(T * E(-T), T, None, id="t*e^-t"),
        pytest.param(sp.Integer(3), X, [Rule.DIFFERENTIATE], id="3"),
        pytest.param(K * X, X, [Rule.DIFFERENTIATE], id="kx"),
    ],
)
def test_other_functions(function: sp.Expr, var: sp.Symbol, steps: list[Rule] | None) -> None:
    d = derive(function, var)
    if steps is not None:
        assert [step.rule for step in d.steps] == steps
    assert_well_formed(d, function, var)


def test_simplification_is_a_named_step() -> None:
    d = derive(X * E(X))
    simplify = d.steps[-1]
    assert simplify.rule is Rule.SIMPLIFY
    assert str(simplify.title) == "Factor out the common factor"
    assert d.result == (X + 1) * E(X)


def test_negative_sigmoid_ends_in_sigma() -> None:
    # 1/(1 + e^x) is σ(−x): with no e^x to pair with, it is named as it stands
    for function in (sigma(-X), 1 / (1 + E(X))):
        d = derive(function)
        assert d.result == -sigma(-X) * (1 - sigma(-X))
        assert_well_formed(d, function, X)


def test_inner_derivative_step_names_the_inner_function() -> None:
    d = derive(E(X**2))
    inner = d.steps[1]
    assert inner.rule is Rule.INNER_DERIVATIVE
    assert "x²" in inner.title
    assert [s.rule for s in inner.substeps] == [Rule.POWER_RULE]


# ---- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "function",
    [sp.dirichlet_eta(X), sp.zeta(X), X * sp.besselj(X, X), sp.Function("f")(X, X**2)],
    ids=["dirichlet_eta", "zeta", "x*besselj(x, x)", "f(x, x^2)"],
)
def test_unsupported_input(function: sp.Expr) -> None:
    """Neither a rule nor a closed derivative from SymPy for the fallback: a clear error."""
    with pytest.raises(UnsupportedError) as info:
        derive(function)
    assert isinstance(info.value, SigderivError)


# ---- a wrong step is caught -------------------------------------------------------------------


def test_checker_rejects_a_false_identity() -> None:
    checker = _Checker(timeout=5)
    with pytest.raises(VerificationError, match="Power rule"):
        checker.step(
            Rule.POWER_RULE,
            "Power rule",
            "d/dx x^3 = 3x^3 (wrong)",
            sp.Derivative(X**3, X, evaluate=False),
            3 * X**3,
        )


def test_checker_accepts_a_true_identity() -> None:
    checker = _Checker(timeout=5)
    step = checker.step(
        Rule.POWER_RULE,
        "Power rule",
        "d/dx x^3 = 3x^2",
        sp.Derivative(X**3, X, evaluate=False),
        3 * X**2,
    )
    assert step.verified


def broken(rule: Callable, wrong: Callable[[sp.Expr, Rewrite], sp.Expr]) -> Callable:
    """Return ``rule`` with its after-form replaced by ``wrong(u, rewrite)``."""

    def rule_gone_wrong(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
        rewrite = rule(u, x)
        if rewrite is None:
            return None
        return Rewrite(
            rewrite.rule, rewrite.title, rewrite.explanation, wrong(u, rewrite), rewrite.inner
        )

    return rule_gone_wrong


def sign_slip(u: sp.Expr) -> sp.Expr:
    """The classic slip in the quotient rule: (u'v + uv')/v^2."""
    num, den = sp.fraction(u)
    return (sp.Derivative(num, X) * den + num * sp.Derivative(den, X)) / den**2


def replace_rule(monkeypatch: pytest.MonkeyPatch, name: str, replacement: Callable) -> None:
    """Swap one rule of DIFFERENTIATION_RULES for ``replacement``."""
    rules = tuple(
        replacement if rule.__name__ == name else rule
        for rule in differentiation.DIFFERENTIATION_RULES
    )
    monkeypatch.setattr(differentiation, "DIFFERENTIATION_RULES", rules)


@pytest.mark.parametrize(
    ("name", "wrong", "function", "title", "rule_id"),
    [
        pytest.param(
            "function_rule",
            lambda u, r: 2 * u,
            X * E(X),
            "Exponential rule",
            "exponential_rule",
            id="exponential",
        ),
        pytest.param(
            "function_rule",
            lambda u, r: -r.after,
            X * sp.sin(X),
            "Trigonometric rule",
            "trig_rule",
            id="trig",
        ),
        pytest.param(
            "power_rule",
            lambda u, r: u.exp * u,
            X**3 + 1,
            "Power rule",
            "power_rule",
            id="power",
        ),
        pytest.param(
            # forget to multiply by the inner derivative, but still defer it
            "chain_rule",
            lambda u, r: r.after.subs(r.inner[0], 1),
            1 / (1 + E(-K * X)),
            "Chain rule",
            "chain_rule",
            id="chain",
        ),
        pytest.param(
            "quotient_rule",
            lambda u, r: sign_slip(u),
            3 / (2 + E(X)),
            "Quotient rule",
            "quotient_rule",
            id="quotient",
        ),
        pytest.param(
            "log_differentiation",
            lambda u, r: r.after / u,  # forget the factor u^v
            X**X,
            "Logarithmic differentiation",
            "log_differentiation",
            id="log differentiation",
        ),
        pytest.param(
            "fallback_rule",
            lambda u, r: 3 * r.after,  # thrice SymPy's derivative
            sp.polar_lift(X**2 + 1),
            "SymPy's derivative (no step-by-step rule yet)",
            "fallback",
            id="fallback",
        ),
        pytest.param(
            "special_function_rule",
            lambda u, r: sp.gamma(u.args[0]),  # forget the polygamma factor
            sp.gamma(X),
            "Special function rule",
            "special_function_rule",
            id="special function",
        ),
    ],
)
def test_engine_catches_a_broken_rule(
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    wrong: Callable[[sp.Expr, Rewrite], sp.Expr],
    function: sp.Expr,
    title: str,
    rule_id: str,
) -> None:
    replace_rule(monkeypatch, name, broken(getattr(differentiation, name), wrong))
    with pytest.raises(VerificationError) as info:
        derive(function)
    message = str(info.value)
    assert f"step '{title}'" in message
    assert f"({rule_id})" in message
    assert "does not hold" in message
    assert "x = " in message  # the counterexample


def test_engine_uses_the_patched_rules_only_while_patched() -> None:
    d = derive(X * E(X))
    assert d.verified


def test_start_returns_the_derivation_pending() -> None:
    from sigderiv.engine.deriver import start

    pending = start("x^3")
    assert pending.result().result == 3 * sp.Symbol("x") ** 2


def test_prepare_warms_the_worker_that_derive_then_uses() -> None:
    from sigderiv.engine.deriver import prepare
    from sigderiv.sandbox import kept

    prepare()
    warm = kept.workers()
    assert warm
    d = derive("sigmoid")
    assert kept.workers() == warm
    assert all(step.verified for step in d.walk())


def test_a_step_that_evaluation_settles_needs_no_full_proof(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sigderiv.engine.checker

    def no_full_proofs(*args: object, **kwargs: object) -> None:
        raise AssertionError("check_identity should not be needed")

    monkeypatch.setattr(sigderiv.engine.checker, "check_identity", no_full_proofs)
    checker = _Checker(timeout=5)
    step = checker.step(
        Rule.REDUCE, "Reduce", "", sp.Mul(0, X, evaluate=False) + sp.Mul(1, X, evaluate=False), X
    )
    assert step.verified and step.check.method == "structural"
    nested = sp.sin(sp.sin(sp.sin(X)))
    d = derive(nested, bounded=False)  # every step by rule, transitivity or evaluation
    assert d.result == sp.diff(nested, X)


def test_a_false_step_still_fails_when_evaluation_does_not_settle_it() -> None:
    checker = _Checker(timeout=5)
    with pytest.raises(VerificationError):
        checker.step(Rule.REDUCE, "Reduce", "", sp.Mul(2, X, evaluate=False), 3 * X)


def test_one_general_proof_serves_every_step_of_the_same_shape() -> None:
    nested = X
    for _ in range(12):
        nested = sp.sin(nested)
    d = derive(nested, bounded=False)
    chains = [s for s in d.walk() if s.rule is Rule.CHAIN_RULE]
    assert len(chains) == 11
    assert len({id(s.check) for s in chains}) == 1  # proven once, reused eleven times
    assert all(s.check.method == "general (structural)" for s in chains)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        pytest.param("sqrt(1 + x^2)", "Differentiate the inner function x² + 1", id="sum"),
        pytest.param("log(x^2 + 1)", "Differentiate the inner function x² + 1", id="log"),
        pytest.param("exp(-x^2)", "Differentiate the inner function −x²", id="negated"),
        pytest.param("(x^3 + 2)^4", "Differentiate the inner function x³ + 2", id="power"),
    ],
)
def test_the_inner_functions_are_what_the_chain_rule_left(text: str, title: str) -> None:
    d = derive(text, bounded=False)
    inner = [str(s.title) for s in d.steps if s.rule is Rule.INNER_DERIVATIVE]
    assert inner == [title]


@pytest.mark.parametrize("text", ["g(g(x))", "f(g(x))", "h(g(x)) + g(x)", "sin(g(x))"])
def test_the_chain_rule_letter_is_none_of_the_users_names(text: str) -> None:
    d = derive(text, bounded=False)
    chain = next(s for s in d.walk() if s.rule is Rule.CHAIN_RULE)
    users = {f.func.__name__ for f in d.function.atoms(AppliedUndef)}
    letter = str(chain.explanation).split("outer function ")[1][0]
    assert letter not in users


@pytest.mark.parametrize(
    ("text", "outer", "inner"),
    [
        pytest.param("f(g(x))", "f", "g(x)", id="f(g(x))"),
        pytest.param("g(g(x))", "g", "g(x)", id="g(g(x))"),
        pytest.param("f(x^2)", "f", "x**2", id="f(x²)"),
    ],
)
def test_an_unknown_outer_function_ends_in_its_derivative_at_the_inner(
    text: str, outer: str, inner: str
) -> None:
    d = derive(text, bounded=False)
    (at,) = d.result.atoms(sp.Subs)
    assert (at.expr.expr.func.__name__, str(at.point[0])) == (outer, inner)
    assert d.verified and d.result.doit() == sp.diff(d.function, X)


@pytest.mark.parametrize(
    ("text", "result"),
    [
        pytest.param("sqrt((x+1)^2)", sp.sign(X + 1), id="root of a square"),
        pytest.param("x*sqrt(sin(x)^2)", None, id="inside a product"),
    ],
)
def test_a_root_of_a_square_is_an_absolute_value_first(text: str, result: sp.Expr | None) -> None:
    d = derive(text, bounded=False)
    first = d.steps[0]
    assert (first.rule, str(first.title)) == (Rule.SIMPLIFY, "Use √(u²) = |u|")
    assert first.after.expr.has(sp.Abs) and d.verified
    if result is not None:
        assert d.result == result


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("f(g(x))", "f′(g(x))·g′(x)"),
        ("g(g(x))", "g′(g(x))·g′(x)"),
        ("sin(f(x))", "cos(f(x))·f′(x)"),
    ],
)
def test_a_chain_of_unknown_functions_ends_in_primes(text: str, shown: str) -> None:
    """f(g(x)) ends in f′(g(x))·g′(x), and the chain rule's letter is not the user's g."""
    d = derive(text)
    assert d.verified
    assert json.loads(d.to_json())["result"]["text"] == shown
    chain = next(s for s in d.walk() if s.rule is Rule.CHAIN_RULE)
    assert "outer function g(" not in str(chain.explanation) or "g" not in text
