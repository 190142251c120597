"""Derivatives in terms of the function's own value, as PyTorch's derivatives.yaml writes them.

Each row derives ``expr`` with ``name="r"`` and asserts the result, with r(x) read as a symbol
R, is the expected R(x, r): written in terms of the result, every step proven.
"""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import derive
from sigderiv.expr.functions import Defined
from sigderiv.model.steps import Derivation, Rule
from sigderiv.rules.own_value import solved

X, Y, C, K = sp.symbols("x y c k")
R = sp.Symbol("R")
PI = sp.pi


def in_terms_of_r(d: Derivation) -> sp.Expr:
    """The result with the named value r(...) read as the symbol R."""
    return d.result.replace(lambda e: isinstance(e, Defined), lambda e: R)


def used_own_value(d: Derivation) -> bool:
    return any(step.rule is Rule.OWN_VALUE for step in d.walk())


#: (expression, variable, derivative in terms of R): the derivatives.yaml entries with
#: ``result`` first, then other inputs of the same shapes.
ROWS = [
    ("sqrt", sp.sqrt(X), X, 1 / (2 * R)),
    ("rsqrt", 1 / sp.sqrt(X), X, -(R**3) / 2),
    ("reciprocal", 1 / X, X, -(R**2)),
    ("exp", sp.exp(X), X, R),
    ("exp2", 2**X, X, sp.log(2) * R),
    ("expm1", sp.exp(X) - 1, X, R + 1),
    ("tan", sp.tan(X), X, 1 + R**2),
    ("tanh", sp.tanh(X), X, 1 - R**2),
    ("sigmoid", 1 / (1 + sp.exp(-X)), X, R * (1 - R)),
    ("pow-constant-base", C**X, X, sp.log(C) * R),
    ("hypot-x", sp.sqrt(X**2 + Y**2), X, X / R),
    ("hypot-y", sp.sqrt(X**2 + Y**2), Y, Y / R),
    ("erfcx", sp.exp(X**2) * sp.erfc(X), X, 2 * X * R - 2 / sp.sqrt(PI)),
    (
        "log_ndtr",
        sp.log(sp.erfc(-X / sp.sqrt(2)) / 2),
        X,
        sp.exp(-(X**2) / 2 - R) / sp.sqrt(2 * PI),
    ),
    ("ndtri", sp.sqrt(2) * sp.erfinv(2 * X - 1), X, sp.sqrt(2 * PI) * sp.exp(R**2 / 2)),
    # the same shapes, other inputs
    ("sqrt-shifted", sp.sqrt(X - 3), X, 1 / (2 * R)),
    ("rsqrt-affine", 1 / sp.sqrt(2 * X + 1), X, -(R**3)),
    ("exp-scaled", 3 * sp.exp(2 * X), X, 2 * R),
    ("expm1-scaled", sp.exp(K * X) - 1, X, K * (R + 1)),
    ("erfinv-scaled", K * sp.erfinv(2 * X - 1), X, sp.sqrt(PI) * K * sp.exp(R**2 / K**2)),
    ("erfcx-scaled", sp.exp(4 * X**2) * sp.erfc(2 * X), X, 8 * X * R - 4 / sp.sqrt(PI)),
]


@pytest.mark.parametrize(
    ("expr", "var", "expected"), [row[1:] for row in ROWS], ids=[row[0] for row in ROWS]
)
def test_in_terms_of_the_result(expr: sp.Expr, var: sp.Symbol, expected: sp.Expr) -> None:
    d = derive(expr, var, name="r")
    assert d.verified
    result = in_terms_of_r(d)
    assert result.has(R)
    assert sp.simplify(result - expected) == 0, result


#: (expression, variable): no form in terms of the value is simpler, or none holds for
#: every x; the derivative stays in terms of x.
DECLINED = [
    ("x-sin-x", X * sp.sin(X), X),  # sin x = f/x divides by x
    ("gelu", X / 2 * (1 + sp.erf(X / sp.sqrt(2))), X),  # as f/x + x·φ(x): a pole at 0
    ("log", sp.log(X), X),  # 1/x is shorter than e^(−f)
    ("square", X**2, X),  # 2x = 2√f only for x ≥ 0
    ("cube", X**3, X),  # 3x² is shorter than 3·f^(2/3)
    ("tanhshrink", X - sp.tanh(X), X),  # tanh² x is as short as (x − f)²
    ("atan", sp.atan(X), X),  # cos²(f) is not rational in f
]


@pytest.mark.parametrize(("expr", "var"), [r[1:] for r in DECLINED], ids=[r[0] for r in DECLINED])
def test_declines_without_a_simpler_form(expr: sp.Expr, var: sp.Symbol) -> None:
    d = derive(expr, var, name="r")
    assert d.verified
    assert not used_own_value(d)
    assert not d.result.has(Defined)


@pytest.mark.parametrize(
    "expr",
    [sp.erfinv(3 * X + 2), sp.sqrt(2) * sp.erfinv(2 * X - 1), sp.erfinv(X + 3), sp.acosh(X - 9)],
    ids=["erfinv-3x+2", "ndtri", "erfinv-x+3", "acosh-far"],
)
def test_points_outside_the_domain_are_skipped(expr: sp.Expr) -> None:
    d = derive(expr, X, name="r")  # no ValueError from a sample point
    assert d.verified


def test_no_sample_point_in_the_domain_finds_nothing() -> None:
    f = sp.erfinv(3 * X + 2)  # defined for x in [−1, −1/3] only: every sample point is out
    assert solved(sp.diff(f, X), f, X) is None


def test_the_step_says_what_was_solved() -> None:
    d = derive(sp.sqrt(2) * sp.erfinv(2 * X - 1), name="r")
    step = next(s for s in d.walk() if s.rule is Rule.OWN_VALUE)
    said = str(step.explanation)
    assert "erfinv" in said and "r(x)" in said, said


@pytest.mark.parametrize(
    ("d", "f", "fits"),
    [
        # a relation d = c0 + c1·f + c2·f² holds: the float look keeps it for the exact one
        (sp.exp(-X) / (1 + sp.exp(-X)) ** 2, 1 / (1 + sp.exp(-X)), True),  # σ′ = σ − σ²
        (1 - sp.tanh(X) ** 2, sp.tanh(X), True),
        (C * sp.exp(X), C * (sp.exp(X) - 1), True),  # a parameter: α·eˣ = f + α
        (2 * X + 3, X**2 + 3 * X, False),  # d² = 4f + 9: d is no polynomial in f
        # no constant c's fit: rejected before any symbolic algebra
        ((sp.Abs(X) + 1) ** -2, X / (sp.Abs(X) + 1), False),  # softsign: (1 ∓ f)² by sign
        (sp.cos(X), sp.sin(X) + X, False),
        (sp.erf(X) + X * sp.exp(-(X**2)), X * sp.erf(X), False),
        # the floats cannot tell: no verdict, the exact algebra decides as before
        (sp.gamma(X), sp.gamma(X) + 1, None),
        (sp.sqrt(X - 40), sp.log(X - 50), None),  # no sample point where both are real
    ],
)
def test_the_float_look_rejects_only_what_no_relation_fits(
    d: sp.Expr, f: sp.Expr, fits: bool | None
) -> None:
    from sigderiv.rules.own_value import _fits, relation

    got = _fits(d, f, X)
    assert got is fits
    if got is False:
        assert relation(d, f, X) is None
