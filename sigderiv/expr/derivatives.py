"""The table of derivatives: d/dy h(y) for each of SymPy's functions that the rules know.

Each entry names its family's rule id (declared in sigderiv/rules/table.py) and the words a
learner reads. The parser accepts every function of the table by its SymPy name, so adding
a function is one entry here (see docs/contributing.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from sigderiv.model.steps import Rule

__all__ = ["TABLE", "Known"]


@dataclass(frozen=True)
class Known:
    """d/dy h(y) = derivative(y), its family's rule id, and its words ({y} marks the variable)."""

    family: str
    derivative: Callable[[sp.Expr], sp.Expr]
    words: str

    @property
    def rule(self) -> Rule:
        """The rule of the family, looked up when asked (a new family's id may be new)."""
        return Rule(self.family)


def _sqrt(e: sp.Expr) -> sp.Expr:
    return sp.sqrt(e)


_TRIG = "trig_rule"
_ATRIG = "inverse_trig_rule"
_HYP = "hyperbolic_rule"
_AHYP = "inverse_hyperbolic_rule"

#: d/dy h(y) for SymPy's own functions. Forms are SymPy's unless a textbook form stays in
#: the same functions (coth' = 1 - coth**2 rather than -1/sinh**2).
TABLE: dict[type[sp.Function], Known] = {
    sp.exp: Known("exponential_rule", sp.exp, "e^{y} is its own derivative"),
    sp.log: Known("log_rule", lambda y: 1 / y, "the derivative of ln {y} is 1/{y}"),
    sp.sin: Known(_TRIG, sp.cos, "the derivative of sin {y} is cos {y}"),
    sp.cos: Known(_TRIG, lambda y: -sp.sin(y), "the derivative of cos {y} is −sin {y}"),
    sp.tan: Known(_TRIG, lambda y: 1 + sp.tan(y) ** 2, "the derivative of tan {y} is 1 + tan² {y}"),
    sp.cot: Known(
        _TRIG, lambda y: -1 - sp.cot(y) ** 2, "the derivative of cot {y} is −(1 + cot² {y})"
    ),
    sp.sec: Known(
        _TRIG, lambda y: sp.sec(y) * sp.tan(y), "the derivative of sec {y} is sec {y}·tan {y}"
    ),
    sp.csc: Known(
        _TRIG, lambda y: -sp.csc(y) * sp.cot(y), "the derivative of csc {y} is −csc {y}·cot {y}"
    ),
    sp.asin: Known(_ATRIG, lambda y: 1 / _sqrt(1 - y**2), "d/d{y} arcsin {y} = 1/√(1 − {y}²)"),
    sp.acos: Known(_ATRIG, lambda y: -1 / _sqrt(1 - y**2), "d/d{y} arccos {y} = −1/√(1 − {y}²)"),
    sp.atan: Known(_ATRIG, lambda y: 1 / (1 + y**2), "d/d{y} arctan {y} = 1/(1 + {y}²)"),
    sp.acot: Known(_ATRIG, lambda y: -1 / (1 + y**2), "d/d{y} arccot {y} = −1/(1 + {y}²)"),
    sp.asec: Known(
        _ATRIG,
        lambda y: 1 / (y**2 * _sqrt(1 - 1 / y**2)),
        "d/d{y} arcsec {y} = 1/({y}²√(1 − 1/{y}²))",
    ),
    sp.acsc: Known(
        _ATRIG,
        lambda y: -1 / (y**2 * _sqrt(1 - 1 / y**2)),
        "d/d{y} arccsc {y} = −1/({y}²√(1 − 1/{y}²))",
    ),
    sp.sinh: Known(_HYP, sp.cosh, "the derivative of sinh {y} is cosh {y}"),
    sp.cosh: Known(_HYP, sp.sinh, "the derivative of cosh {y} is sinh {y}"),
    sp.tanh: Known(
        _HYP, lambda y: 1 - sp.tanh(y) ** 2, "the derivative of tanh {y} is 1 − tanh² {y}"
    ),
    sp.coth: Known(
        _HYP, lambda y: 1 - sp.coth(y) ** 2, "the derivative of coth {y} is 1 − coth² {y}"
    ),
    sp.sech: Known(
        _HYP, lambda y: -sp.sech(y) * sp.tanh(y), "the derivative of sech {y} is −sech {y}·tanh {y}"
    ),
    sp.csch: Known(
        _HYP, lambda y: -sp.csch(y) * sp.coth(y), "the derivative of csch {y} is −csch {y}·coth {y}"
    ),
    sp.asinh: Known(_AHYP, lambda y: 1 / _sqrt(y**2 + 1), "d/d{y} arsinh {y} = 1/√({y}² + 1)"),
    sp.acosh: Known(
        _AHYP,
        lambda y: 1 / (_sqrt(y - 1) * _sqrt(y + 1)),
        "d/d{y} arcosh {y} = 1/(√({y} − 1)·√({y} + 1))",
    ),
    sp.atanh: Known(_AHYP, lambda y: 1 / (1 - y**2), "d/d{y} artanh {y} = 1/(1 − {y}²)"),
    sp.acoth: Known(_AHYP, lambda y: 1 / (1 - y**2), "d/d{y} arcoth {y} = 1/(1 − {y}²)"),
    sp.asech: Known(
        _AHYP, lambda y: -1 / (y * _sqrt(1 - y**2)), "d/d{y} arsech {y} = −1/({y}·√(1 − {y}²))"
    ),
    sp.acsch: Known(
        _AHYP,
        lambda y: -1 / (y**2 * _sqrt(1 + 1 / y**2)),
        "d/d{y} arcsch {y} = −1/({y}²·√(1 + 1/{y}²))",
    ),
    sp.erf: Known(
        "erf_rule",
        lambda y: 2 * sp.exp(-(y**2)) / sp.sqrt(sp.pi),
        "d/d{y} erf {y} = 2e^(−{y}²)/√π",
    ),
    sp.erfc: Known(
        "erf_rule",
        lambda y: -2 * sp.exp(-(y**2)) / sp.sqrt(sp.pi),
        "d/d{y} erfc {y} = −2e^(−{y}²)/√π",
    ),
    sp.Si: Known("special_function_rule", lambda y: sp.sin(y) / y, "d/d{y} Si {y} = sin {y}/{y}"),
    sp.Ci: Known("special_function_rule", lambda y: sp.cos(y) / y, "d/d{y} Ci {y} = cos {y}/{y}"),
    sp.Ei: Known("special_function_rule", lambda y: sp.exp(y) / y, "d/d{y} Ei {y} = e^{y}/{y}"),
    sp.sign: Known("abs_rule", lambda y: sp.S.Zero, "sign {y} is constant for {y} ≠ 0"),
    sp.Abs: Known(
        "abs_rule",
        sp.sign,
        "d/d{y} |{y}| = sign({y}) for {y} ≠ 0; |{y}| has no derivative at {y} = 0",
    ),
}
