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

__all__ = ["REAL_ONLY", "ROUNDING", "TABLE", "Known"]


@dataclass(frozen=True)
class Known:
    """d/dy h(y) = derivative(y), its family's rule id, and the words that say it.

    ``words`` is a template of :func:`sigderiv.model.words.words`: ``{rule}`` is the equation
    d/dy h(y) = h′(y), ``{y}`` the variable, ``{nonzero}`` y ≠ 0 and ``{zero}`` y = 0.
    """

    family: str
    derivative: Callable[[sp.Expr], sp.Expr]
    words: str = "{rule}"

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
    sp.exp: Known(
        "exponential_rule", sp.exp, "{rule}: the exponential function is its own derivative"
    ),
    sp.log: Known("log_rule", lambda y: 1 / y),
    sp.sin: Known(_TRIG, sp.cos),
    sp.cos: Known(_TRIG, lambda y: -sp.sin(y)),
    sp.tan: Known(_TRIG, lambda y: 1 + sp.tan(y) ** 2),
    sp.cot: Known(_TRIG, lambda y: -1 - sp.cot(y) ** 2),
    sp.sec: Known(_TRIG, lambda y: sp.sec(y) * sp.tan(y)),
    sp.csc: Known(_TRIG, lambda y: -sp.csc(y) * sp.cot(y)),
    sp.asin: Known(_ATRIG, lambda y: 1 / _sqrt(1 - y**2)),
    sp.acos: Known(_ATRIG, lambda y: -1 / _sqrt(1 - y**2)),
    sp.atan: Known(_ATRIG, lambda y: 1 / (1 + y**2)),
    sp.acot: Known(_ATRIG, lambda y: -1 / (1 + y**2)),
    sp.asec: Known(
        _ATRIG,
        lambda y: 1 / (y**2 * _sqrt(1 - 1 / y**2)),
    ),
    sp.acsc: Known(
        _ATRIG,
        lambda y: -1 / (y**2 * _sqrt(1 - 1 / y**2)),
    ),
    sp.sinh: Known(_HYP, sp.cosh),
    sp.cosh: Known(_HYP, sp.sinh),
    sp.tanh: Known(_HYP, lambda y: 1 - sp.tanh(y) ** 2),
    sp.coth: Known(_HYP, lambda y: 1 - sp.coth(y) ** 2),
    sp.sech: Known(_HYP, lambda y: -sp.sech(y) * sp.tanh(y)),
    sp.csch: Known(_HYP, lambda y: -sp.csch(y) * sp.coth(y)),
    sp.asinh: Known(_AHYP, lambda y: 1 / _sqrt(y**2 + 1)),
    sp.acosh: Known(
        _AHYP,
        lambda y: 1 / (_sqrt(y - 1) * _sqrt(y + 1)),
    ),
    sp.atanh: Known(_AHYP, lambda y: 1 / (1 - y**2)),
    sp.acoth: Known(_AHYP, lambda y: 1 / (1 - y**2)),
    sp.asech: Known(_AHYP, lambda y: -1 / (y * _sqrt(1 - y**2))),
    sp.acsch: Known(
        _AHYP,
        lambda y: -1 / (y**2 * _sqrt(1 + 1 / y**2)),
    ),
    sp.erf: Known(
        "erf_rule",
        lambda y: 2 * sp.exp(-(y**2)) / sp.sqrt(sp.pi),
    ),
    sp.erfc: Known(
        "erf_rule",
        lambda y: -2 * sp.exp(-(y**2)) / sp.sqrt(sp.pi),
    ),
    sp.Si: Known("special_function_rule", lambda y: sp.sin(y) / y),
    sp.Ci: Known("special_function_rule", lambda y: sp.cos(y) / y),
    sp.Ei: Known("special_function_rule", lambda y: sp.exp(y) / y),
    sp.sign: Known(
        "abs_rule", lambda y: sp.S.Zero, "{rule} for {nonzero}: sign is constant on each side of 0"
    ),
    sp.Abs: Known(
        "abs_rule", sp.sign, "{rule} for {nonzero}; the absolute value has no derivative at {zero}"
    ),
    sp.floor: Known(
        "rounding_rule",
        lambda y: sp.S.Zero,
        "{rule} for {y} not an integer: floor is constant between the integers and jumps at them",
    ),
    sp.ceiling: Known(
        "rounding_rule",
        lambda y: sp.S.Zero,
        "{rule} for {y} not an integer: ceiling is constant between the integers and jumps at them",
    ),
    sp.frac: Known(
        "rounding_rule",
        lambda y: sp.S.One,
        "{rule} for {y} not an integer: the fractional part y − ⌊y⌋ rises with slope 1 between "
        "the integers",
    ),
    sp.re: Known(
        "complex_part_rule",
        lambda y: sp.S.One,
        "{rule} for real {y}: a real number is its own real part",
    ),
    sp.im: Known(
        "complex_part_rule",
        lambda y: sp.S.Zero,
        "{rule} for real {y}: a real number has imaginary part 0",
    ),
    sp.conjugate: Known(
        "complex_part_rule",
        lambda y: sp.S.One,
        "{rule} for real {y}: a real number is its own conjugate",
    ),
    sp.arg: Known(
        "complex_part_rule",
        lambda y: sp.S.Zero,
        "{rule} for real {y} ≠ 0: the argument is 0 for y > 0 and π for y < 0",
    ),
}

#: Functions whose table derivative holds for a real argument only (|w|′ = sign(w) for real w).
REAL_ONLY: tuple[type[sp.Function], ...] = (
    sp.Abs,
    sp.sign,
    sp.re,
    sp.im,
    sp.conjugate,
    sp.arg,
    sp.floor,
    sp.ceiling,
    sp.frac,
)

#: Functions that jump at the integers: their table derivative holds between them.
ROUNDING: tuple[type[sp.Function], ...] = (sp.floor, sp.ceiling, sp.frac)
