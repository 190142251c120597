"""Differentiation rules: each rewrites d/dx(u) for every u of its shape, or returns None."""

from __future__ import annotations

import sympy as sp

from ..display import add, derivative, fraction, inline, mul, power
from ..functions import NamedFunction
from ..steps import Rule
from .base import DiffRule, Rewrite


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


def linear_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(a*x + b) -> a, for a, b free of x."""
    if not u.is_polynomial(x) or sp.degree(u, x) != 1:
        return None
    slope = sp.expand(u).coeff(x, 1)
    if u == x:
        words = f"The derivative of {x} with respect to itself is 1."
    else:
        words = (
            f"{inline(u)} is linear in {x}, a straight line with slope {inline(slope)}; "
            f"the derivative of a line is its slope."
        )
    return Rewrite(Rule.LINEAR_RULE, "Linear rule", words, slope)


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


def exponential_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(e**x) -> e**x."""
    if u != sp.exp(x):
        return None
    return Rewrite(
        Rule.EXPONENTIAL_RULE,
        "Exponential rule",
        f"e^{x} is its own derivative.",
        u,
    )


def quotient_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(u/v) -> (u'v - uv')/v**2, when v depends on x and u/v is not c*x**n."""
    num, den = sp.fraction(u, exact=True)
    if not den.has(x):
        return None
    _, rest = u.as_independent(x, as_Add=False)
    if isinstance(rest, sp.Pow) and rest.base == x and not rest.exp.has(x):
        return None  # c*x**n, e.g. 3/x**2 or 1/(2x): the power rule says it better
    numerator = add(mul(derivative(num, x), den), mul(sp.S.NegativeOne, num, derivative(den, x)))
    return Rewrite(
        Rule.QUOTIENT_RULE,
        "Quotient rule",
        f"The function is a quotient u/v with numerator u = {inline(num)} and denominator "
        f"v = {inline(den)}. The quotient rule says d/d{x}(u/v) = (u′·v − u·v′)/v².",
        fraction(numerator, power(den, 2)),
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


def _outer_and_inner(u: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """Split u = a + b*h(w) into (the applied function h(w), the inner function w)."""
    _, rest = u.as_independent(x, as_Add=True)
    _, core = rest.as_independent(x, as_Add=False)
    if isinstance(core, sp.exp):
        inner = core.args[0]
    elif isinstance(core, sp.Pow) and not core.exp.has(x):
        inner = core.base
    elif isinstance(core, NamedFunction):
        inner = core.args[0]
    else:
        return None
    if inner == x or not inner.has(x):
        return None
    return core, inner


def _fresh_symbol(u: sp.Expr) -> sp.Symbol:
    names = {s.name for s in u.free_symbols}
    for name in ("y", "u", "w", "t", "s"):
        if name not in names:
            return sp.Symbol(name)
    return sp.Dummy("y")


def chain_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(g(w)) -> g'(w) * dw/dx, where g is the outer function and w != x the inner one."""
    parts = _outer_and_inner(u, x)
    if parts is None:
        return None
    _, inner = parts
    y = _fresh_symbol(u)
    outer = u.xreplace({inner: y})
    if outer.has(x):
        return None
    # The outer function is a + b*h(y) with h exponential, a power or a named function,
    # so SymPy's derivative of it is the table entry; the whole step is checked anyway.
    outer_prime = sp.diff(outer, y)
    inner_derivative = derivative(inner, x)
    return Rewrite(
        Rule.CHAIN_RULE,
        "Chain rule",
        f"{inline(u)} is the outer function g({y}) = {inline(outer)} applied to the inner "
        f"function {y} = {inline(inner)}. The chain rule says d/d{x} g({inline(inner)}) = "
        f"g′({inline(inner)})·d/d{x}({inline(inner)}), and here g′({y}) = {inline(outer_prime)}.",
        mul(outer_prime.xreplace({y: inner}), inner_derivative),
        inner=(inner_derivative,),
    )


#: The differentiation rules in the order they are tried; the first that applies wins.
DIFFERENTIATION_RULES: tuple[DiffRule, ...] = (
    constant_rule,
    linear_rule,
    power_rule,
    exponential_rule,
    quotient_rule,
    chain_rule,
    constant_multiple_rule,
    product_rule,
    sum_rule,
)


def first_rewrite(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """Return the rewrite of d/dx(u) by the first rule that applies, or None."""
    for rule in DIFFERENTIATION_RULES:
        rewrite = rule(u, x)
        if rewrite is not None:
            return rewrite
    return None
