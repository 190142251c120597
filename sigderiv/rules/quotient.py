"""The quotient rule, and the ways learners get it wrong."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import Paren, add, derivative, fraction, mul, power
from sigderiv.expr.letters import equation, letters, primed
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Slipped, declaring


def quotient_rule_words(u: sp.Expr, x: sp.Symbol) -> tuple[Words, sp.Basic]:
    """Return "(here u = …, v = …)" for the quotient ``u`` and the rule in its letters."""
    num, den = sp.fraction(u, exact=True)
    a, b = letters(u, "u", "v")
    rule = equation(
        derivative(fraction(a, b), x),
        fraction(add(mul(primed(a), b), mul(sp.S.NegativeOne, a, primed(b))), power(b, 2)),
    )
    here = words("(here {u}, {v})", u=equation(a, num), v=equation(b, den))
    return here, rule


def quotient_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """The quotient rule the wrong way round, adding, over v, as u′/v′, over u²."""
    num, den = sp.fraction(u, exact=True)
    du, dv = derivative(num, x), derivative(den, x)
    minus = sp.S.NegativeOne
    here, rule = quotient_rule_words(u, x)
    a, b = letters(u, "u", "v")
    right = add(mul(du, den), mul(minus, num, dv))
    slips = [
        Slipped(
            "quotient_order",
            words(
                "Quotient rule the wrong way round: {rule} {here}; swapping the two terms of "
                "the numerator flips the sign.",
                rule=rule,
                here=here,
            ),
            fraction(add(mul(num, dv), mul(minus, du, den)), power(den, 2)),
        ),
        Slipped(
            "quotient_sign",
            words(
                "The quotient rule subtracts: {rule} {here}; this line adds the terms.",
                rule=rule,
                here=here,
            ),
            fraction(add(mul(du, den), mul(num, dv)), power(den, 2)),
        ),
        Slipped(
            "quotient_denominator",
            words(
                "The quotient rule divides by the denominator squared, {square}, not by {v}.",
                square=power(Paren(den), 2),
                v=den,
            ),
            fraction(right, den),
        ),
        Slipped(
            "quotient_of_derivatives",
            words(
                "The derivative of a quotient is not the quotient of the derivatives "
                "{wrong}: use the quotient rule {rule} {here}.",
                wrong=fraction(primed(a), primed(b)),
                rule=rule,
                here=here,
            ),
            fraction(du, dv),
        ),
    ]
    if num != 1:
        slips.append(
            Slipped(
                "quotient_swapped",
                words(
                    "Quotient rule with numerator and denominator swapped: divide by "
                    "{v_square}, the denominator squared, not by {u_square} {here}.",
                    v_square=equation(power(b, 2), power(Paren(den), 2)),
                    u_square=equation(power(a, 2), power(Paren(num), 2)),
                    here=here,
                ),
                fraction(right, power(num, 2)),
            )
        )
    else:
        slips.append(
            Slipped(
                "quotient_denominator",
                words(
                    "The quotient rule divides by {v_square}; this line has no denominator.",
                    v_square=equation(power(b, 2), power(Paren(den), 2)),
                ),
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
    a, b = letters(u, "u", "v")
    _, rule = quotient_rule_words(u, x)
    return Rewrite(
        Rule.QUOTIENT_RULE,
        Words.plain("Quotient rule"),
        words(
            "The function is a quotient {quotient} with numerator {u} and denominator {v}. "
            "The quotient rule says {rule}.",
            quotient=fraction(a, b),
            u=equation(a, num),
            v=equation(b, den),
            rule=rule,
        ),
        fraction(numerator, power(den, 2)),
    )
