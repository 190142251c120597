"""Practice problems: a function to differentiate, drawn from a family at a difficulty by a seed.

The same (family, difficulty, seed) always gives the same problem, so a problem has a link
(``/?practice=chain&difficulty=2&seed=123`` on the page). Each family holds templates per
difficulty, written in the parser's syntax with random coefficients; the text is read back
with :func:`sigderiv.input.parse.parse`, never evaluated.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from sigderiv.errors import ParseError
from sigderiv.input.parse import parse

__all__ = ["DIFFICULTIES", "FAMILIES", "Problem", "problem"]

#: The difficulties, easiest first.
DIFFICULTIES: tuple[int, ...] = (1, 2, 3)

Template = Callable[[random.Random], str]


def _k(rng: random.Random, low: int = 2, high: int = 9) -> int:
    """A coefficient: an integer from low to high."""
    return rng.randint(low, high)


def _n(rng: random.Random) -> int:
    """An exponent from 2 to 6."""
    return rng.randint(2, 6)


def _fraction(rng: random.Random) -> str:
    """A proper fraction exponent other than an integer, as text: "3/4"."""
    q = rng.choice((2, 3, 4, 5))
    p = rng.choice([p for p in range(1, 2 * q) if Fraction(p, q).denominator != 1])
    value = Fraction(p, q)
    return f"{value.numerator}/{value.denominator}"


def _linear(rng: random.Random) -> tuple[int, int, int, int]:
    """Coefficients a, b, c, d of (ax + b)/(cx + d) with ad − bc ≠ 0."""
    while True:
        a, b, c, d = (_k(rng, 1, 7) for _ in range(4))
        if a * d != b * c:
            return a, b, c, d


_POWER: tuple[tuple[Template, ...], ...] = (
    (
        lambda r: f"x^{_n(r)}",
        lambda r: f"{_k(r)}x^{_n(r)}",
        lambda r: f"{_k(r)}x^{_n(r)} + {_k(r)}x",
    ),
    (
        lambda r: f"{_k(r)}x^{r.randint(3, 6)} - {_k(r)}x^2 + {_k(r)}",
        lambda r: f"{_k(r)}/x^{_n(r)}",
        lambda r: f"x^({_fraction(r)})",
        lambda r: f"{_k(r)}sqrt(x)",
    ),
    (
        lambda r: f"{_k(r)}x^{_n(r)} + {_k(r)}/x^{_n(r)} - {_k(r)}sqrt(x)",
        lambda r: f"{_k(r)}x^({_fraction(r)}) + x^(-{_n(r)})",
        lambda r: f"cbrt(x^{r.choice((2, 4, 5))}) + {_k(r)}x",
    ),
)

_PRODUCT: tuple[tuple[Template, ...], ...] = (
    (
        lambda r: f"x^{_n(r)} sin(x)",
        lambda r: f"{_k(r)}x e^x",
        lambda r: "x cos(x)",
        lambda r: f"x^{_n(r)} ln(x)",
    ),
    (
        lambda r: f"x^{_n(r)} e^({_k(r)}x)",
        lambda r: f"({_k(r)}x + {_k(r)}) ln(x)",
        lambda r: f"x^{_n(r)} cos({_k(r)}x)",
        lambda r: f"e^x sin({_k(r)}x)",
    ),
    (
        lambda r: f"x^{_n(r)} sin(x) e^x",
        lambda r: f"(x^2 + {_k(r)}) e^x cos(x)",
        lambda r: "x ln(x) arctan(x)",
        lambda r: f"x^{_n(r)} e^(-{_k(r)}x) sin(x)",
    ),
)


def _times_x(k: int) -> str:
    """k·x as a learner writes it: x for 1, 3x for 3."""
    return "x" if k == 1 else f"{k}x"


def _mobius(r: random.Random) -> str:
    """(ax + b)/(cx + d), never a constant."""
    a, b, c, d = _linear(r)
    return f"({_times_x(a)} + {b})/({_times_x(c)} + {d})"


_QUOTIENT: tuple[tuple[Template, ...], ...] = (
    (
        lambda r: f"x/(x + {_k(r, 1)})",
        lambda r: f"{_k(r)}/(x^2 + {_k(r, 1)})",
        _mobius,
    ),
    (
        lambda r: f"x^{_n(r)}/(x^2 + {_k(r, 1)})",
        lambda r: "sin(x)/x",
        lambda r: f"e^x/(x + {_k(r, 1)})",
        lambda r: f"ln(x)/x^{_n(r)}",
    ),
    (
        lambda r: f"(x^2 - {_k(r, 1)})/(x^2 + {_k(r, 1)})",
        lambda r: "sin(x)/(1 + cos(x))",
        lambda r: f"e^({_k(r)}x)/(x^2 + 1)",
        lambda r: f"(x^{_n(r)} + 1)/(x ln(x))",
    ),
)

_CHAIN: tuple[tuple[Template, ...], ...] = (
    (
        lambda r: f"({_k(r)}x + {_k(r, 1)})^{_n(r)}",
        lambda r: f"sin({_k(r)}x)",
        lambda r: f"e^({_k(r)}x)",
    ),
    (
        lambda r: f"(x^2 + {_k(r, 1)})^{_n(r)}",
        lambda r: f"sqrt({_k(r)}x^2 + {_k(r, 1)})",
        lambda r: f"cos(x^{_n(r)})",
        lambda r: f"ln(x^2 + {_k(r, 1)})",
    ),
    (
        lambda r: f"sin((x^2 + {_k(r, 1)})^{r.randint(2, 3)})",
        lambda r: f"e^(sin({_k(r)}x))",
        lambda r: "sqrt(1 + ln(x)^2)",
        lambda r: f"ln(cos({_k(r)}x))",
    ),
)

_EXPLOG: tuple[tuple[Template, ...], ...] = (
    (
        lambda r: f"e^({_k(r)}x)",
        lambda r: f"ln({_k(r)}x)",
        lambda r: f"{_k(r)}^x",
    ),
    (
        lambda r: f"x e^(-{_k(r)}x)",
        lambda r: f"ln(x^2 + {_k(r, 1)})",
        lambda r: f"log(x, {_k(r)})",
        lambda r: "e^(x^2)",
    ),
    (
        lambda r: f"e^x ln(x^2 + {_k(r, 1)})",
        lambda r: f"ln(e^x + {_k(r, 1)})",
        lambda r: "x^x",
        lambda r: f"e^(-x^2/{_k(r)})",
    ),
)

_TRIG: tuple[tuple[Template, ...], ...] = (
    (
        lambda r: f"{_k(r)}sin(x)",
        lambda r: f"{_k(r)}cos(x)",
        lambda r: "tan(x)",
        lambda r: f"sin({_k(r)}x)",
    ),
    (
        lambda r: f"sin(x)^{_n(r)}",
        lambda r: f"tan({_k(r)}x)",
        lambda r: "sec(x)",
        lambda r: "sin(x) cos(x)",
        lambda r: f"cos({_k(r)}x + {_k(r, 1)})",
    ),
    (
        lambda r: f"sin(x)^{_n(r)} cos(x)",
        lambda r: "tan(x^2)",
        lambda r: "sec(x) tan(x)",
        lambda r: f"sin(cos({_k(r)}x))",
    ),
)

_INVERSE: tuple[tuple[Template, ...], ...] = (
    (
        lambda r: "arctan(x)",
        lambda r: "arcsin(x)",
        lambda r: "arccos(x)",
    ),
    (
        lambda r: f"arctan({_k(r)}x)",
        lambda r: f"arcsin(x/{_k(r)})",
        lambda r: "arctan(x^2)",
        lambda r: "x arctan(x)",
    ),
    (
        lambda r: "arcsin(x^2)",
        lambda r: "arctan(sqrt(x))",
        lambda r: "arctan(1/x)",
        lambda r: "x arcsin(x) + sqrt(1 - x^2)",
    ),
)

_HYPERBOLIC: tuple[tuple[Template, ...], ...] = (
    (
        lambda r: "sinh(x)",
        lambda r: "cosh(x)",
        lambda r: "tanh(x)",
        lambda r: f"sinh({_k(r)}x)",
    ),
    (
        lambda r: f"tanh({_k(r)}x)",
        lambda r: "cosh(x)^2",
        lambda r: "x sinh(x)",
        lambda r: "arcsinh(x)",
    ),
    (
        lambda r: "ln(cosh(x))",
        lambda r: f"arctanh(x/{_k(r)})",
        lambda r: f"x^{_n(r)} tanh(x)",
        lambda r: f"sinh({_k(r)}x)/cosh(x)",
    ),
)

_SIGMA: tuple[tuple[Template, ...], ...] = (
    (
        lambda r: "sigmoid(x)",
        lambda r: f"sigmoid({_k(r)}x)",
        lambda r: "1/(1 + e^(-x))",
    ),
    (
        lambda r: "x sigmoid(x)",
        lambda r: "sigmoid(x)^2",
        lambda r: "softplus(x)",
        lambda r: f"1/(1 + e^(-{_k(r)}x))",
    ),
    (
        lambda r: "ln(sigmoid(x))",
        lambda r: f"sigmoid({_k(r)}x + {_k(r, 1)})",
        lambda r: f"x sigmoid({_k(r)}x)",
        lambda r: "sigmoid(x^2)",
    ),
)

#: Every family by its name (the page's and the link's), with its templates per difficulty.
FAMILIES: dict[str, tuple[tuple[Template, ...], ...]] = {
    "power": _POWER,
    "product": _PRODUCT,
    "quotient": _QUOTIENT,
    "chain": _CHAIN,
    "exp-log": _EXPLOG,
    "trigonometric": _TRIG,
    "inverse": _INVERSE,
    "hyperbolic": _HYPERBOLIC,
    "sigma": _SIGMA,
}

#: What each family is called on the page.
FAMILY_TITLES: dict[str, str] = {
    "power": "Power rule",
    "product": "Product rule",
    "quotient": "Quotient rule",
    "chain": "Chain rule",
    "exp-log": "Exponentials and logarithms",
    "trigonometric": "Trigonometric functions",
    "inverse": "Inverse trigonometric functions",
    "hyperbolic": "Hyperbolic functions",
    "sigma": "The σ family (sigmoid, softplus, swish)",
}


@dataclass(frozen=True)
class Problem:
    """One practice problem: the function to differentiate with respect to x, and its origin."""

    family: str
    difficulty: int
    seed: int
    text: str  # in the parser's syntax: what the learner is shown and check reads
    expr: sp.Expr  # the text as parsed


def problem(family: str, difficulty: int = 1, seed: int = 0) -> Problem:
    """Return the problem of ``family`` at ``difficulty`` drawn by ``seed`` (always the same)."""
    templates = FAMILIES.get(family)
    if templates is None:
        known = ", ".join(FAMILIES)
        raise ParseError(f"unknown practice family {family!r}; the families are {known}")
    if difficulty not in DIFFICULTIES:
        raise ParseError(f"difficulty must be 1, 2 or 3, not {difficulty}")
    rng = random.Random(f"{family}/{difficulty}/{seed}")
    text = rng.choice(templates[difficulty - 1])(rng)
    return Problem(family, difficulty, seed, text, parse(text))
