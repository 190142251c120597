"""What a one-rule derivation does not do: passes that cannot apply, checks already settled."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sympy as sp

from sigderiv import CheckStatus, derive
from sigderiv.engine import checker as checker_module
from sigderiv.engine import deriver
from sigderiv.engine.checker import Checker
from sigderiv.errors import VerificationError
from sigderiv.expr.functions import sigma
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words
from sigderiv.rules.algebra import reduce
from sigderiv.rules.logistic import exp_ratio, sigma_complement
from sigderiv.rules.simplify import simplify_once
from sigderiv.rules.substitute import solve_for_named, substitute_named
from sigderiv.rules.table import applied_to

X, Y, A = sp.symbols("x y a")

#: The passes that tidy a derivative once it is taken; deriver skips them for an atom.
TIDYING = (
    "_in_terms_step",
    "substitute_named",
    "exp_ratio",
    "sigma_complement",
    "simplify_once",
    "solve_for_named",
)

#: Numbers and letters, as a derivative can end: none of the tidying rules rewrites one.
ATOMS = [sp.S.Zero, sp.S.One, sp.Integer(-3), sp.Rational(3, 2), sp.pi, sp.E, X, A, sp.Float(2.5)]


def _count_calls(monkeypatch: pytest.MonkeyPatch, names: tuple[str, ...]) -> dict[str, int]:
    """Wrap deriver's ``names`` so that each call is counted; return the counts."""
    counts = dict.fromkeys(names, 0)

    def counting(name: str, real: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            counts[name] += 1
            return real(*args, **kwargs)

        return wrapper

    for name in names:
        monkeypatch.setattr(deriver, name, counting(name, getattr(deriver, name)))
    return counts


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("7", 0),
        ("x", 1),
        ("3*x + 2", 3),
        ("a*x - 1/2", A),
        ("pi*x", sp.pi),
        ("-x/4 + 9", sp.Rational(-1, 4)),
    ],
)
def test_a_derivative_that_is_a_number_or_a_letter_runs_no_tidying_pass(
    monkeypatch: pytest.MonkeyPatch, text: str, result: sp.Expr
) -> None:
    counts = _count_calls(monkeypatch, TIDYING)
    derivation = derive(text, bounded=False)
    assert derivation.result == result
    assert all(step.verified for step in derivation.steps)
    assert counts == dict.fromkeys(TIDYING, 0)


@pytest.mark.parametrize("text", ["sin(x)", "x^2", "exp(2*x)", "x*sin(x)"])
def test_any_other_derivative_is_still_tidied(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    counts = _count_calls(monkeypatch, TIDYING)
    derive(text, bounded=False)
    assert counts["simplify_once"] >= 1 and counts["substitute_named"] >= 1


@pytest.mark.parametrize("atom", ATOMS)
@pytest.mark.parametrize(
    "rule",
    [
        reduce,
        substitute_named,
        exp_ratio,
        sigma_complement,
        solve_for_named,
        lambda e: simplify_once(e, X, set()),
        lambda e: deriver._in_terms_step(Checker(2.0), e, 1 / (1 + sp.exp(-X)), X),
        lambda e: deriver._in_terms_step(Checker(2.0), e, 3 / (X**2 + 1), X),
    ],
    ids=[
        "reduce",
        "substitute",
        "exp_ratio",
        "sigma",
        "solve",
        "simplify",
        "in_terms",
        "in_terms2",
    ],
)
def test_no_tidying_rule_rewrites_a_number_or_a_letter(
    rule: Callable[[sp.Expr], object], atom: sp.Expr
) -> None:
    # what makes skipping them for an atom change nothing
    assert rule(atom) is None


@pytest.mark.parametrize(
    "applied",
    [sp.sin(X), sp.exp(X), sp.atan(X), sp.besselj(2, X), sp.Abs(X), sigma(X), sp.Function("g")(X)],
)
def test_a_function_applied_to_its_own_argument_is_itself(applied: sp.Expr) -> None:
    assert applied_to(applied, X) is applied
    moved = applied_to(applied.func(*applied.args[:-1], X**2), Y)
    assert moved == applied.func(*applied.args[:-1], Y)


@pytest.mark.parametrize(
    "side",
    [
        sp.Derivative(sp.Function("f")(X), X),
        sp.Derivative(sp.Function("g")(X), (X, 2)),
        sp.Mul(2, sp.S.Half, evaluate=False),
        sp.Add(X, X, evaluate=False),
    ],
)
def test_a_step_with_identical_sides_is_proven_without_any_search(
    monkeypatch: pytest.MonkeyPatch, side: sp.Expr
) -> None:
    def searched(*_args: object) -> object:
        raise AssertionError("check_identity was asked")

    monkeypatch.setattr(checker_module, "check_identity", searched)
    monkeypatch.setattr(checker_module.walk, "evaluated", searched)
    said = Words.plain("the same")
    check = Checker(2.0).step(Rule.UNDEFINED_FUNCTION, said, said, side, side).check
    assert check is not None
    assert check.status is CheckStatus.VERIFIED and check.method == "structural"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (sp.Derivative(sigma(X), X), sp.Derivative(1 / (1 + sp.exp(-X)), X)),
        (sp.Derivative(X * sigma(2 * X), X), sp.Derivative(X / (1 + sp.exp(-2 * X)), X)),
    ],
    ids=["d/dx σ(x)", "d/dx x·σ(2x)"],
)
def test_a_definition_step_is_proven_by_its_written_out_sides_without_evaluating(
    monkeypatch: pytest.MonkeyPatch, before: sp.Expr, after: sp.Expr
) -> None:
    def searched(*_args: object) -> object:
        raise AssertionError("a side was evaluated or searched")

    monkeypatch.setattr(checker_module, "check_identity", searched)
    monkeypatch.setattr(checker_module.walk, "evaluated", searched)
    said = Words.plain("the definition")
    check = Checker(2.0).step(Rule.DEFINITION, said, said, before, after).check
    assert check is not None
    assert check.status is CheckStatus.VERIFIED and check.method == "structural"


def test_a_named_function_beside_a_different_side_is_still_searched() -> None:
    said = Words.plain("wrong")
    with pytest.raises(VerificationError):
        Checker(2.0).step(Rule.DEFINITION, said, said, sigma(X), 1 / (1 + sp.exp(X)))


def test_an_unknown_functions_derivative_is_still_proven() -> None:
    (step,) = derive("f(x)", bounded=False).steps
    assert step.rule is Rule.UNDEFINED_FUNCTION and step.verified


@pytest.mark.parametrize(
    "applied",
    [
        sp.cos(X),
        sp.exp(X),
        sp.atan2(Y, X),
        sp.Function("g")(X, Y),
        sigma(X),
        sp.Abs(A),
        sp.erf(Y),
        sp.besselj(A, X),
    ],
    ids=str,
)
def test_a_function_of_letters_is_never_simplified_and_no_transform_is_asked(
    applied: sp.Expr,
) -> None:
    from sigderiv.expr import memory
    from sigderiv.rules.simplify import _candidates, _of_letters

    assert _of_letters(applied)
    with memory.fresh():
        assert _candidates(applied, X, set()) == []  # what the shortcut skips finds nothing
        assert simplify_once(applied, X, set()) is None


@pytest.mark.parametrize("expr", [sp.cos(2 * X), sp.exp(-X), sp.sin(X) ** 2, sp.besselj(1, X)])
def test_a_function_of_anything_else_is_still_searched(expr: sp.Expr) -> None:
    from sigderiv.rules.simplify import _of_letters

    assert not _of_letters(expr)
