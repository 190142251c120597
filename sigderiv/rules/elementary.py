"""The elementary rules: constants, lines, powers, constant multiples and sums."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import add, derivative, mul, power
from sigderiv.expr.letters import equation, letters, primed
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Slipped, declaring


def power_slips_on(
    u: sp.Expr, x: sp.Symbol, base: sp.Expr, n: sp.Expr, scale: sp.Expr, then: sp.Expr
) -> list[Slipped]:
    """The power rule on scale·base^n slipped, each result times ``then`` (the chain factor)."""
    rule = equation(derivative(base**n, x), n * base ** (n - 1))

    def times(*factors: sp.Expr) -> sp.Expr:
        kept = [f for f in (scale, *factors, then) if f != 1]
        return mul(*kept) if kept else sp.S.One

    return [
        Slipped(
            "wrong_power",
            words(
                "Power rule: the exponent drops by one, {rule}; this line keeps the exponent {n}.",
                rule=rule,
                n=n,
            ),
            times(n, power(base, n)),
        ),
        Slipped(
            "wrong_power",
            words(
                "Power rule: the exponent drops by one, {lowered}, it does not grow to {raised}: "
                "{rule}.",
                lowered=equation(add(n, sp.S.NegativeOne), n - 1),
                raised=n + 1,
                rule=rule,
            ),
            times(n, power(base, n + 1)),
        ),
        Slipped(
            "power_factor",
            words(
                "Power rule: bring the exponent down as a factor, {rule}; the factor {n} is "
                "missing.",
                rule=rule,
                n=n,
            ),
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
            words(
                "The derivative of a constant is 0: {rule}, not {u}.",
                rule=equation(derivative(u, x), sp.S.Zero),
                u=u,
            ),
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
                "lost_sign",
                words("{rule}: the sign was lost.", rule=equation(derivative(u, x), slope)),
                -slope,
            )
        )
    offset = sp.expand(u).coeff(x, 0)
    if offset != 0:
        slips.append(
            Slipped(
                "constant_not_zero",
                words(
                    "In {derivative} the constant {offset} has derivative 0.",
                    derivative=derivative(u, x),
                    offset=offset,
                ),
                slope + offset,
            )
        )
    return slips


def constant_multiple_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """The constant factor lost."""
    const, rest = u.as_independent(x, as_Add=False)
    (f,) = letters(u, "f")
    return [
        Slipped(
            "constant_factor",
            words(
                "The constant factor {c} was lost: {rule}.",
                c=const,
                rule=equation(derivative(mul(const, f), x), mul(const, primed(f))),
            ),
            derivative(rest, x),
        )
    ]


def sum_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """A term's derivative left out of the sum."""
    return [
        Slipped(
            "term_missing",
            words(
                "The derivative of the term {term} is missing: the sum rule differentiates "
                "every term.",
                term=t,
            ),
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
        Words.plain("Constant rule"),
        words(
            "{u} does not depend on {x}, so it does not change as {x} changes: its derivative "
            "is 0.",
            u=u,
            x=x,
        ),
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
        said = words("The derivative of {x} with respect to itself is 1.", x=x)
    else:
        said = words(
            "{u} is linear in {x}, a straight line with slope {slope}; the derivative of a "
            "line is its slope.",
            u=u,
            x=x,
            slope=slope,
        )
    return Rewrite(Rule.LINEAR_RULE, Words.plain("Linear rule"), said, slope)


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
    (letter,) = letters(u, "n")
    return Rewrite(
        Rule.POWER_RULE,
        Words.plain("Power rule"),
        words(
            "Power rule: {rule}, here with {n}.",
            rule=equation(derivative(power(x, letter), x), mul(letter, power(x, letter - 1))),
            n=equation(letter, n),
        ),
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
        Words.plain("Constant multiple rule"),
        words("The constant factor {c} stays in front of the derivative.", c=const),
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
        Words.plain("Sum rule"),
        Words.plain("The derivative of a sum is the sum of the derivatives of its terms."),
        add(*(derivative(t, x) for t in terms)),
    )
