"""Text input of max, min and piecewise(...), and the comparisons of its conditions."""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import derive
from sigderiv.errors import LimitError, ParseError
from sigderiv.input.parse import parse
from sigderiv.model.steps import Rule

X, A, B, C = sp.symbols("x a b c")

ACCEPTED: list[tuple[str, sp.Expr]] = [
    ("max(x, 0)", sp.Max(X, 0)),
    ("min(a, b, c)", sp.Min(A, B, C)),
    ("Max(x, 1, x^2)", sp.Max(X, 1, X**2)),
    ("Min(sin(x), cos(x))", sp.Min(sp.sin(X), sp.cos(X))),
    ("max(x, 0)^2 + 1", sp.Max(X, 0) ** 2 + 1),
    ("piecewise(x^2, x < 0, sin(x))", sp.Piecewise((X**2, X < 0), (sp.sin(X), True))),
    ("piecewise(x, x <= 1, 1)", sp.Piecewise((X, X <= 1), (1, True))),
    ("piecewise(x, x > 1, -x)", sp.Piecewise((X, X > 1), (-X, True))),
    ("piecewise(x, x >= 1, -x)", sp.Piecewise((X, X >= 1), (-X, True))),
    ("piecewise(x, x ≤ 1, 1)", sp.Piecewise((X, X <= 1), (1, True))),
    ("piecewise(x, x ≥ -1, 1)", sp.Piecewise((X, X >= -1), (1, True))),
    ("piecewise(x, x > 1)", sp.Piecewise((X, X > 1))),  # undefined elsewhere
    ("piecewise(1, x < 0, x, 0 <= x < 1, 0)", sp.Piecewise((1, X < 0), (X, X < 1), (0, True))),
    (
        "piecewise(x, 0 < x <= 1, 1)",
        sp.Piecewise((X, sp.And(X > 0, X <= 1)), (1, True)),
    ),
    ("piecewise(x, x^2 < 1, 1)", sp.Piecewise((X, X**2 < 1), (1, True))),
    ("piecewise(max(x, 0), x < 2, 2)", sp.Piecewise((sp.Max(X, 0), X < 2), (2, True))),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_max_min_and_piecewise_are_read(text: str, expected: sp.Expr) -> None:
    assert parse(text) == expected


REFUSED: list[tuple[str, str, int]] = [
    ("x < 1", "only allowed as a condition of piecewise", 2),
    ("sin(x < 0)", "only allowed as a condition of piecewise", 6),
    ("2*(x >= 1)", "only allowed as a condition of piecewise", 5),
    ("max(x, x < 1)", "only allowed as a condition of piecewise", 9),
    ("(x < 1) < 2", "only allowed as a condition of piecewise", 3),
    ("piecewise(x < 0, x)", "expected a value here, not a comparison", 12),
    ("piecewise(x, x < 1, x < 2)", "expected a value here, not a comparison", 22),
    ("piecewise(x^2, x, 1)", "expected a condition here", 15),
    ("piecewise(x^2, 1, 1)", "expected a condition here", 15),
    ("piecewise(x, x < sqrt(-1), 1)", "only real values can be compared", 17),
    ("piecewise(x, x == 1, 1)", "comparisons are not allowed", 15),
    ("piecewise(x, x <= = 1, 1)", "'=' is not allowed", 18),
    ("piecewise(x, x =< 1, 1)", "not allowed", 15),  # write <=
    ("piecewise(x, x <> 1, 1)", "missing operand before '>'", 16),
    ("piecewise(x)", "piecewise takes 2 to 33 arguments, not 1", 0),
    ("max(x)", "max takes 2 to 16 arguments, not 1", 0),
    ("min(" + ", ".join(["x"] * 17) + ")", "min takes 2 to 16 arguments, not 17", 0),
    ("piecewise(x, x < 1 and x > 0, 1)", "boolean operators are not allowed", 19),
]


@pytest.mark.parametrize(("text", "fragment", "column"), REFUSED, ids=[t for t, _, _ in REFUSED])
def test_what_is_not_a_condition_or_a_value_is_refused_at_its_column(
    text: str, fragment: str, column: int
) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert fragment in info.value.message
    assert info.value.position == column


def test_max_nested_past_the_depth_limit_is_refused() -> None:
    with pytest.raises(LimitError, match="MAX_DEPTH"):
        parse("max(" * 70 + "x" + ", 1)" * 70)


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("max(x, 0)", {Rule.MIN_MAX_RULE, Rule.PIECEWISE_RULE}),
        ("min(a, b, x)", {Rule.MIN_MAX_RULE, Rule.PIECEWISE_RULE}),
        ("piecewise(x^2, x < 0, sin(x))", {Rule.PIECEWISE_RULE}),
        ("piecewise(1, x < 0, x, 0 <= x < 1, 0)", {Rule.PIECEWISE_RULE}),
        ("exp(piecewise(x, x >= 1, -x))", {Rule.CHAIN_RULE, Rule.PIECEWISE_RULE}),
    ],
)
def test_text_pieces_are_derived_with_proven_steps(text: str, rules: set[Rule]) -> None:
    derived = derive(text, bounded=False)
    used = {s.rule for step in derived.steps for s in step.walk()}
    assert rules <= used
    assert Rule.FALLBACK not in used
    assert all(s.verified for step in derived.steps for s in step.walk())


def test_max_and_min_are_printed_as_typed() -> None:
    from sigderiv.printing.inline import inline

    assert inline(sp.Max(X, 0)) == "max(0, x)"
    assert inline(sp.Min(X, 1, X**2)) == "min(1, x, x²)"
