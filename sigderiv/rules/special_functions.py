"""The special function rule: d/dx F(x) for SymPy's special functions, by their own fdiff."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import derivative, mul
from sigderiv.expr.letters import equation
from sigderiv.expr.special import is_special, name_of, partial
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.table import known


def special_function_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d F(w₁, …, wₙ) -> Σ ∂F/∂wᵢ·dwᵢ/dx over the wᵢ in x, for a special function F.

    ∂F/∂wᵢ is SymPy's own (``fdiff``). One argument that is x itself: the table's form,
    d/dx F(x) = F′(x). One argument that is an inner function w ≠ x: the chain rule's case,
    not this rule's. Several arguments in x: the multivariable chain rule.
    """
    if not is_special(u) or known(u) is not None:
        return None
    varying = [i for i, arg in enumerate(u.args) if arg.has(x)]
    if not varying or (len(varying) == 1 and u.args[varying[0]] != x):
        return None
    terms: list[sp.Expr] = []
    for i in varying:
        p = partial(u, i)
        if p is None:
            return None
        terms.append(p if u.args[i] == x else mul(p, derivative(u.args[i], x)))
    after = terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)
    rule = equation(derivative(u, x), after)
    if len(terms) == 1:
        explanation = words(
            "From the table of special functions, {name}: {rule}.", name=name_of(u), rule=rule
        )
    else:
        explanation = words(
            "{u} depends on {x} through {count} of its arguments. The multivariable chain rule "
            "differentiates in each of them and adds, with {name}'s own partial derivatives: "
            "{rule}.",
            u=u,
            x=x,
            count=str(len(terms)),
            name=name_of(u),
            rule=rule,
        )
    return Rewrite(
        Rule.SPECIAL_FUNCTION_RULE,
        Words.plain("Special function rule"),
        explanation,
        after,
        inner=tuple(derivative(u.args[i], x) for i in varying if u.args[i] != x),
    )
