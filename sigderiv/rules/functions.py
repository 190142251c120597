"""The function rule: d/dx h(x) for every h in the table of derivatives, and a^x."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import mul
from sigderiv.expr.derivatives import REAL_ONLY
from sigderiv.expr.functions import Defined
from sigderiv.expr.letters import equation, letters
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import info
from sigderiv.rules.special import real_valued
from sigderiv.rules.table import exponential_rule, known, table_words


def function_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(h(x)) -> h'(x) from the table: e^x, ln x, sin x, atan x, tanh x, erf x, |x|, σ(x), ..."""
    if not (isinstance(u, sp.Function) and u.args):
        return None
    # a named function found above carries its derivative after its argument: ELU(x, ELU′)
    if (u.argument if isinstance(u, Defined) else u.args[-1]) != x:
        return None
    entry = known(u)
    if entry is None:
        return None
    if isinstance(u, REAL_ONLY) and not real_valued(x):
        return None  # d|x|/dx = sign(x) for real x only: not for x declared imaginary
    return Rewrite(
        entry.rule,
        Words.plain(info(entry.rule).title),
        words("From the table of derivatives: {said}.", said=table_words(u, x)),
        entry.derivative(x),
    )


def exponential_base_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(a**x) -> a**x * ln(a), for a constant base a."""
    if not (isinstance(u, sp.Pow) and u.exp == x and not u.base.has(x)):
        return None
    return Rewrite(
        Rule.EXPONENTIAL_RULE,
        Words.plain("Exponential rule"),
        words(
            "For a constant base, {rule}; here {base}.",
            rule=exponential_rule(x),
            base=equation(letters(x, "a")[0], u.base),
        ),
        mul(u, sp.log(u.base)),
    )
