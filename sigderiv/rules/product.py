"""The product rule, and the ways learners get it wrong."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import add, derivative, mul
from sigderiv.expr.letters import letters, primed
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Slipped, declaring


def product_rule_math(u: sp.Expr, x: sp.Symbol, sign: int = 1) -> sp.Basic:
    """Return u′·v + u·v′ in letters that ``u`` does not use (u′·v − u·v′ for ``sign`` −1)."""
    a, b = letters(u, "u", "v")
    second = mul(a, primed(b))
    return add(mul(primed(a), b), second if sign > 0 else mul(sp.S.NegativeOne, second))


def product_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """The product rule as a product of derivatives, with a term missing, or subtracting."""
    factors = list(sp.Mul.make_args(u))
    rule = product_rule_math(u, x)
    terms = [
        mul(*(derivative(f, x) if i == j else f for j, f in enumerate(factors)))
        for i in range(len(factors))
    ]
    slips: list[Slipped] = [
        Slipped(
            "product_of_derivatives",
            words(
                "The derivative of a product is not the product of the derivatives: the "
                "product rule gives {rule}, one term per factor differentiated.",
                rule=rule,
            ),
            mul(*(derivative(f, x) for f in factors)),
        )
    ]
    for i, f in enumerate(factors):
        slips.append(
            Slipped(
                "product_term_missing",
                words(
                    "The product rule has one term per factor: the term in which {factor} is "
                    "differentiated is missing ({rule}).",
                    factor=f,
                    rule=rule,
                ),
                add(*(t for j, t in enumerate(terms) if j != i)),
            )
        )
    if len(terms) == 2:
        slips.append(
            Slipped(
                "product_sign",
                words(
                    "The product rule adds its terms: {rule}, not {wrong}.",
                    rule=rule,
                    wrong=product_rule_math(u, x, -1),
                ),
                add(terms[0], mul(sp.S.NegativeOne, terms[1])),
            )
        )
    return slips


@declaring(
    "product_rule",
    "Product rule",
    name="the product rule",
    rewrite="d/dx (f·g·…) → f′·g·… + f·g′·… + …",
    when="two or more factors depend on x",
    example="x sin(x)",
    slips=product_slips,
)
def product_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(f*g*...) -> f'*g*... + f*g'*... + ..., for two or more factors depending on x."""
    if not isinstance(u, sp.Mul):
        return None
    const, rest = u.as_independent(x, as_Add=False)
    factors = [f for f in sp.Mul.make_args(rest)]
    if const != 1 or len(factors) < 2:
        return None
    terms = [
        mul(*(derivative(f, x) if i == j else f for j, f in enumerate(factors)))
        for i in range(len(factors))
    ]
    return Rewrite(
        Rule.PRODUCT_RULE,
        Words.plain("Product rule"),
        words(
            "The function is a product of {count} factors that depend on {x}; the product "
            "rule differentiates one factor at a time and keeps the others.",
            count=str(len(factors)),
            x=x,
        ),
        add(*terms),
    )
