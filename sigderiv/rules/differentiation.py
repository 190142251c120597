"""The differentiation rules in the order they are tried; the first that applies wins."""

from __future__ import annotations

import sympy as sp

from sigderiv.rules.base import DiffRule, Rewrite
from sigderiv.rules.chain import chain_rule
from sigderiv.rules.elementary import (
    constant_multiple_rule,
    constant_rule,
    linear_rule,
    power_rule,
    sum_rule,
)
from sigderiv.rules.functions import exponential_base_rule, function_rule
from sigderiv.rules.product import product_rule
from sigderiv.rules.quotient import quotient_rule
from sigderiv.rules.special import fallback_rule, log_differentiation, piecewise_rule, real_valued
from sigderiv.rules.special_functions import special_function_rule

__all__ = [
    "DIFFERENTIATION_RULES",
    "chain_rule",
    "constant_multiple_rule",
    "constant_rule",
    "exponential_base_rule",
    "fallback_rule",
    "first_rewrite",
    "function_rule",
    "linear_rule",
    "log_differentiation",
    "piecewise_rule",
    "power_rule",
    "product_rule",
    "quotient_rule",
    "real_valued",
    "special_function_rule",
    "sum_rule",
]

#: The differentiation rules in the order they are tried; the first that applies wins.
DIFFERENTIATION_RULES: tuple[DiffRule, ...] = (
    constant_rule,
    linear_rule,
    power_rule,
    function_rule,
    special_function_rule,
    exponential_base_rule,
    piecewise_rule,
    quotient_rule,
    chain_rule,
    log_differentiation,
    constant_multiple_rule,
    product_rule,
    sum_rule,
    fallback_rule,
)


def first_rewrite(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """Return the rewrite of d/dx(u) by the first rule that applies, or None."""
    for rule in DIFFERENTIATION_RULES:
        rewrite = rule(u, x)
        if rewrite is not None:
            return rewrite
    return None
