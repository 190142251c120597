"""The quotient rule, and the ways learners get it wrong."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import add, derivative, fraction, mul, power
from sigderiv.model.steps import Rule
from sigderiv.printing.inline import inline
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Slipped, declaring


def quotient_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """The quotient rule the wrong way round, adding, over v, as u′/v′, over u²."""
    num, den = sp.fraction(u, exact=True)
    du, dv = derivative(num, x), derivative(den, x)
    minus = sp.S.NegativeOne
    where = f"(here u = {inline(num)}, v = {inline(den)})"
    right = add(mul(du, den), mul(minus, num, dv))
    slips = [
        Slipped(
            "quotient_order",
            f"Quotient rule the wrong way round: the numerator is u′·v − u·v′ {where}, not "
            "u·v′ − u′·v; swapping the two terms flips the sign.",
            fraction(add(mul(num, dv), mul(minus, du, den)), power(den, 2)),
        ),
        Slipped(
            "quotient_sign",
            f"The quotient rule subtracts: (u′·v − u·v′)/v² {where}; this line adds the terms.",
            fraction(add(mul(du, den), mul(num, dv)), power(den, 2)),
        ),
        Slipped(
            "quotient_denominator",
            f"The quotient rule divides by v², the denominator squared: ({inline(den)})², not "
            f"{inline(den)}.",
            fraction(right, den),
        ),
        Slipped(
            "quotient_of_derivatives",
            "The derivative of a quotient is not the quotient of the derivatives u′/v′: "
            f"use the quotient rule (u′·v − u·v′)/v² {where}.",
            fraction(du, dv),
        ),
    ]
    if num != 1:
        slips.append(
            Slipped(
                "quotient_swapped",
                f"Quotient rule with numerator and denominator swapped: divide by v² = "
                f"({inline(den)})², the denominator squared, not by u² = ({inline(num)})² "
                f"{where}.",
                fraction(right, power(num, 2)),
            )
        )
    else:
        slips.append(
            Slipped(
                "quotient_denominator",
                f"The quotient rule divides by v² = ({inline(den)})²; this line has no "
                "denominator.",
                right,
            )
        )
    return slips


@declaring(
    "quotient_rule",
    "Quotient rule",
    name="the quotient rule",
    rewrite="d/dx (u/v) → (u′·v − u·v′)/v²",
    when="written as a fraction whose denominator depends on x (not c·xⁿ, which the power "
    "rule says better)",
    example="x/(x+1)",
    slips=quotient_slips,
)
def quotient_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(u/v) -> (u'v - uv')/v**2, when v depends on x and u/v is not c*x**n."""
    num, den = sp.fraction(u, exact=True)
    if not den.has(x):
        return None
    _, rest = u.as_independent(x, as_Add=False)
    if isinstance(rest, sp.Pow) and rest.base == x and not rest.exp.has(x):
        return None  # c*x**n, e.g. 3/x**2 or 1/(2x): the power rule says it better
    numerator = add(mul(derivative(num, x), den), mul(sp.S.NegativeOne, num, derivative(den, x)))
    return Rewrite(
        Rule.QUOTIENT_RULE,
        "Quotient rule",
        f"The function is a quotient u/v with numerator u = {inline(num)} and denominator "
        f"v = {inline(den)}. The quotient rule says d/d{x}(u/v) = (u′·v − u·v′)/v².",
        fraction(numerator, power(den, 2)),
    )
