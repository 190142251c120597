"""The elementary rules: constants, lines, powers, constant multiples and sums."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import add, derivative, mul, power
from sigderiv.model.steps import Rule
from sigderiv.printing.inline import inline
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Slipped, declaring


def power_slips_on(
    u: sp.Expr, x: sp.Symbol, base: sp.Expr, n: sp.Expr, scale: sp.Expr, then: sp.Expr
) -> list[Slipped]:
    """The power rule on scale·base^n slipped, each result times ``then`` (the chain factor)."""
    right = inline(n * base ** (n - 1))

    def times(*factors: sp.Expr) -> sp.Expr:
        kept = [f for f in (scale, *factors, then) if f != 1]
        return mul(*kept) if kept else sp.S.One

    return [
        Slipped(
            "wrong_power",
            f"Power rule: the exponent drops by one, d/d{x} {inline(base**n)} = {right}; this "
            f"line keeps the exponent {inline(n)}.",
            times(n, power(base, n)),
        ),
        Slipped(
            "wrong_power",
            f"Power rule: the exponent drops by one, {inline(n)} − 1 = {inline(n - 1)}, it does "
            f"not grow to {inline(n + 1)}: d/d{x} {inline(base**n)} = {right}.",
            times(n, power(base, n + 1)),
        ),
        Slipped(
            "power_factor",
            f"Power rule: bring the exponent down as a factor, d/d{x} {inline(base**n)} = "
            f"{right}; the factor {inline(n)} is missing.",
            times(power(base, n - 1)),
        ),
    ]


def power_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """The power rule on x^n with the exponent kept, raised, or not brought down."""
    return power_slips_on(u, x, u.base, u.exp, sp.S.One, sp.S.One)


def constant_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """A constant kept as its own derivative."""
    if u == 0:
        return []
    return [
        Slipped(
            "constant_not_zero",
            f"The derivative of a constant is 0: d/d{x}({inline(u)}) = 0, not {inline(u)}.",
            u,
        )
    ]


def linear_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """A line's slope with its sign lost, or its constant kept."""
    slope = rewrite.after
    slips: list[Slipped] = []
    if slope.could_extract_minus_sign():  # d/dx(−x) = 1: a sign lost; never 1 -> −1
        slips.append(
            Slipped(
                "lost_sign", f"d/d{x}({inline(u)}) = {inline(slope)}: the sign was lost.", -slope
            )
        )
    offset = sp.expand(u).coeff(x, 0)
    if offset != 0:
        slips.append(
            Slipped(
                "constant_not_zero",
                f"In d/d{x}({inline(u)}) the constant {inline(offset)} has derivative 0.",
                slope + offset,
            )
        )
    return slips


def constant_multiple_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """The constant factor lost."""
    const, rest = u.as_independent(x, as_Add=False)
    return [
        Slipped(
            "constant_factor",
            f"The constant factor {inline(const)} was lost: d/d{x}({inline(const)}·u) = "
            f"{inline(const)}·u′.",
            derivative(rest, x),
        )
    ]


def sum_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """A term's derivative left out of the sum."""
    return [
        Slipped(
            "term_missing",
            f"The derivative of the term {inline(t)} is missing: the sum rule "
            "differentiates every term.",
            add(*(derivative(s, x) for s in u.args if s is not t)),
        )
        for t in u.args
        if t.has(x)
    ]


@declaring(
    "constant_rule",
    "Constant rule",
    name="the constant rule",
    rewrite="d/dx c → 0",
    when="c does not depend on x (every name but the variable is a constant)",
    example="3",
    slips=constant_slips,
)
def constant_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(c) -> 0, for any c free of x."""
    if u.has(x):
        return None
    return Rewrite(
        Rule.CONSTANT_RULE,
        "Constant rule",
        f"{inline(u)} does not depend on {x}, so it does not change as {x} changes: "
        f"its derivative is 0.",
        sp.S.Zero,
    )


@declaring(
    "linear_rule",
    "Linear rule",
    name="the linear rule",
    rewrite="d/dx (a·x + b) → a",
    when="a polynomial of degree 1 in x",
    example="2x + 1",
    slips=linear_slips,
)
def linear_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(a*x + b) -> a, for a, b free of x."""
    if isinstance(u, (sp.Function, sp.Pow)):  # f(w), w^n: never a line (a constant went first)
        return None
    # Read off term by term: sp.degree would expand (x + 1)**3000 just to say "not linear".
    slope = sp.S.Zero
    for term in sp.Add.make_args(u):
        if not term.has(x):
            continue
        coefficient, rest = term.as_independent(x, as_Add=False)
        if rest != x:
            return None
        slope += coefficient
    if slope == 0:
        return None
    if u == x:
        words = f"The derivative of {x} with respect to itself is 1."
    else:
        words = (
            f"{inline(u)} is linear in {x}, a straight line with slope {inline(slope)}; "
            f"the derivative of a line is its slope."
        )
    return Rewrite(Rule.LINEAR_RULE, "Linear rule", words, slope)


@declaring(
    "power_rule",
    "Power rule",
    name="the power rule",
    rewrite="d/dx xⁿ → n·xⁿ⁻¹",
    when="the base is the variable, n does not depend on x (integer, negative, fractional or "
    "symbolic: √x, x^k)",
    example="x^3",
    slips=power_slips,
)
def power_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(x**n) -> n*x**(n - 1), for n free of x."""
    if not (isinstance(u, sp.Pow) and u.base == x and not u.exp.has(x)):
        return None
    n = u.exp
    lowered = x ** (n - 1)
    return Rewrite(
        Rule.POWER_RULE,
        "Power rule",
        f"Power rule: d/d{x} {x}^n = n·{x}^(n−1), here with n = {inline(n)}.",
        mul(n, lowered) if lowered != 1 else n,
    )


@declaring(
    "constant_multiple_rule",
    "Constant multiple rule",
    name="the constant multiple rule",
    rewrite="d/dx (c·f) → c·f′",
    when="a constant factor c ≠ 1",
    example="3x^2",
    slips=constant_multiple_slips,
)
def constant_multiple_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(c*f) -> c*f', for c free of x."""
    if not isinstance(u, sp.Mul):
        return None
    const, rest = u.as_independent(x, as_Add=False)
    if const == 1 or rest == 1:
        return None
    return Rewrite(
        Rule.CONSTANT_MULTIPLE_RULE,
        "Constant multiple rule",
        f"The constant factor {inline(const)} stays in front of the derivative.",
        mul(const, derivative(rest, x)),
    )


@declaring(
    "sum_rule",
    "Sum rule",
    name="the sum rule",
    rewrite="d/dx (f + g + …) → f′ + g′ + …",
    when="a sum",
    example="x^2 + x",
    slips=sum_slips,
)
def sum_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(f + g + ...) -> f' + g' + ..."""
    if not isinstance(u, sp.Add):
        return None
    terms = u.args
    return Rewrite(
        Rule.SUM_RULE,
        "Sum rule",
        "The derivative of a sum is the sum of the derivatives of its terms.",
        add(*(derivative(t, x) for t in terms)),
    )
