"""The product rule, and the ways learners get it wrong."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import add, derivative, mul
from sigderiv.model.steps import Rule
from sigderiv.printing.inline import inline
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Slipped, declaring


def product_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """The product rule as a product of derivatives, with a term missing, or subtracting."""
    factors = list(sp.Mul.make_args(u))
    terms = [
        mul(*(derivative(f, x) if i == j else f for j, f in enumerate(factors)))
        for i in range(len(factors))
    ]
    slips: list[Slipped] = [
        Slipped(
            "product_of_derivatives",
            "The derivative of a product is not the product of the derivatives: the product "
            "rule gives u′·v + u·v′, one term per factor differentiated.",
            mul(*(derivative(f, x) for f in factors)),
        )
    ]
    for i, f in enumerate(factors):
        slips.append(
            Slipped(
                "product_term_missing",
                f"The product rule has one term per factor: the term in which {inline(f)} is "
                "differentiated is missing (u′·v + u·v′).",
                add(*(t for j, t in enumerate(terms) if j != i)),
            )
        )
    if len(terms) == 2:
        slips.append(
            Slipped(
                "product_sign",
                "The product rule adds its terms: u′·v + u·v′, not u′·v − u·v′.",
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
        "Product rule",
        f"The function is a product of {len(factors)} factors that depend on {x}; the product "
        f"rule differentiates one factor at a time and keeps the others.",
        add(*terms),
    )
