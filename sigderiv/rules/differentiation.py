"""Differentiation rules: each rewrites d/dx(u) for every u of its shape, or returns None."""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from sigderiv.expr.build import add, derivative, fraction, mul, power
from sigderiv.expr.functions import Defined
from sigderiv.expr.walk import names_in
from sigderiv.model.steps import Rule
from sigderiv.printing.inline import inline
from sigderiv.rules.base import DiffRule, Rewrite
from sigderiv.rules.table import known


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


_FAMILY_TITLES = {
    Rule.EXPONENTIAL_RULE: "Exponential rule",
    Rule.LOG_RULE: "Logarithm rule",
    Rule.TRIG_RULE: "Trigonometric rule",
    Rule.INVERSE_TRIG_RULE: "Inverse trigonometric rule",
    Rule.HYPERBOLIC_RULE: "Hyperbolic rule",
    Rule.INVERSE_HYPERBOLIC_RULE: "Inverse hyperbolic rule",
    Rule.ERF_RULE: "Error function rule",
    Rule.ABS_RULE: "Absolute value rule",
    Rule.NAMED_FUNCTION_RULE: "Named function rule",
}


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
    words = entry.words.format(y=x)
    return Rewrite(
        entry.rule,
        _FAMILY_TITLES[entry.rule],
        f"From the table of derivatives: {words}.",
        entry.derivative(x),
    )


def exponential_base_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(a**x) -> a**x * ln(a), for a constant base a."""
    if not (isinstance(u, sp.Pow) and u.exp == x and not u.base.has(x)):
        return None
    return Rewrite(
        Rule.EXPONENTIAL_RULE,
        "Exponential rule",
        f"For a constant base a, d/d{x} a^{x} = a^{x}·ln a, here with a = {inline(u.base)}.",
        mul(u, sp.log(u.base)),
    )


def log_differentiation(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(u**v) -> u**v * d(v*ln(u)), when both the base and the exponent depend on x."""
    if not (isinstance(u, sp.Pow) and u.base.has(x) and u.exp.has(x)):
        return None
    inside = u.exp * sp.log(u.base)
    return Rewrite(
        Rule.LOG_DIFFERENTIATION,
        "Logarithmic differentiation",
        f"Both the base {inline(u.base)} and the exponent {inline(u.exp)} depend on {x}. Write "
        f"{inline(u)} = e^({inline(inside)}); by the chain rule its derivative is "
        f"{inline(u)}·d/d{x}({inline(inside)}).",
        mul(u, derivative(inside, x)),
    )


def _breakpoints(conditions: list[sp.Basic], x: sp.Symbol) -> list[sp.Expr]:
    points: list[sp.Expr] = []
    for condition in conditions:
        for relation in condition.atoms(sp.core.relational.Relational):
            edge = relation.lhs - relation.rhs
            if edge.has(x) and edge.is_polynomial(x) and sp.degree(edge, x) == 1:
                point = sp.solve(edge, x)[0]
                if point not in points:
                    points.append(point)
    return points


def piecewise_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d{f if c else g} -> {f' if c else g'}, away from the breakpoints."""
    if not isinstance(u, sp.Piecewise):
        return None
    pieces = [(derivative(e, x), c) for e, c in u.args]
    points = _breakpoints([c for _, c in u.args], x)
    where = ", ".join(f"{x} = {inline(p)}" for p in points)
    note = (
        f" At the breakpoint{'s' if len(points) > 1 else ''} {where} this gives each side's "
        "one-sided derivative; the derivative exists there only where both sides agree."
        if points
        else ""
    )
    return Rewrite(
        Rule.PIECEWISE_RULE,
        "Piecewise rule",
        "A function defined in pieces is differentiated piece by piece, each on its own "
        "interval." + note,
        sp.Piecewise(*pieces, evaluate=False),
    )


def _real_symbols(u: sp.Expr) -> dict[sp.Symbol, sp.Symbol]:
    return {
        s: sp.Symbol(s.name, real=True)
        for s in u.free_symbols
        if isinstance(s, sp.Symbol) and not s.is_real
    }


def real_valued(u: sp.Expr) -> bool:
    """True when u is real wherever it is defined, for real symbols and real unknown f(x).

    sin(x), x² − 1, e^x, σ(x): yes; √x, ln x, asin x: no, they turn complex for some real x.
    """
    swap: dict[sp.Basic, sp.Basic] = {f: sp.Dummy(real=True) for f in u.atoms(AppliedUndef)}
    swap.update(_real_symbols(u))
    return u.xreplace(swap).is_extended_real is True


def fallback_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(u) -> SymPy's derivative of u, for a function with no step-by-step rule yet.

    Taken, like every derivative here, for real symbols: re(x) is then x and |√x| a real
    function of x; the result is given back in the original symbols.
    """
    if not isinstance(u, sp.Function) or isinstance(u, AppliedUndef):
        return None
    real = _real_symbols(u)
    result = sp.diff(u.xreplace(real), real.get(x, x)).xreplace({r: s for s, r in real.items()})
    if result.has(sp.Derivative, sp.Subs):
        return None
    return Rewrite(
        Rule.FALLBACK,
        "SymPy's derivative (no step-by-step rule yet)",
        f"sigderiv has no rule of its own for {type(u).__name__} yet, so this step takes "
        f"SymPy's derivative as it is; like every step, it is checked.",
        result,
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
    if isinstance(core, sp.Pow) and not core.exp.has(x):
        inner = core.base  # w**n
    elif isinstance(core, sp.Pow) and not core.base.has(x):
        inner = core.exp  # a**w
    elif isinstance(core, sp.Function) and len(core.args) == 1:
        if not isinstance(core, AppliedUndef) and known(core) is None:
            return None
        inner = core.args[0]
        if isinstance(core, (sp.Abs, sp.sign)) and not real_valued(inner):
            return None  # d|w| = sign(w)·dw holds for real w only: not for |√x| at x < 0
    else:
        return None
    if inner == x or not inner.has(x):
        return None
    return core, inner


def _fresh_symbol(u: sp.Expr) -> sp.Symbol:
    names = names_in(u)
    for name in ("y", "u", "w", "t", "s"):
        if name not in names:
            return sp.Symbol(name)
    return sp.Dummy("y")


def _outer_derivative(core: sp.Expr, y: sp.Symbol) -> sp.Expr:
    """Return h'(y) for the applied function h(y) = core: from the table, or the power rules."""
    if isinstance(core, sp.Pow) and core.base == y:
        return core.exp * y ** (core.exp - 1)
    if isinstance(core, sp.Pow):
        return core * sp.log(core.base)
    if isinstance(core, AppliedUndef):
        return sp.Derivative(core, y)
    entry = known(core)
    assert entry is not None  # _outer_and_inner only lets known functions through
    return entry.derivative(y)


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
    _, rest = outer.as_independent(y, as_Add=True)
    scale, h = rest.as_independent(y, as_Add=False)
    outer_prime = scale * _outer_derivative(h, y)
    at_inner = outer_prime.subs(y, inner)
    inner_derivative = derivative(inner, x)
    w = inline(inner)
    return Rewrite(
        Rule.CHAIN_RULE,
        "Chain rule",
        f"{inline(u)} is the outer function g({y}) = {inline(outer)} applied to the inner "
        f"function {y} = {w}. The chain rule says d/d{x} g({w}) = g′({w})·d/d{x}({w}), and "
        f"here g′({y}) = {inline(outer_prime)}.",
        mul(at_inner, inner_derivative),
        inner=(inner_derivative,),
    )


#: The differentiation rules in the order they are tried; the first that applies wins.
DIFFERENTIATION_RULES: tuple[DiffRule, ...] = (
    constant_rule,
    linear_rule,
    power_rule,
    function_rule,
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
