"""Rules for special shapes: u^v, functions in pieces, and SymPy's derivative as a fallback."""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from sigderiv.expr.build import derivative, mul
from sigderiv.expr.letters import equation
from sigderiv.expr.real import real_symbols
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import declaring


@declaring(
    "log_differentiation",
    "Logarithmic differentiation",
    name="logarithmic differentiation",
    rewrite="d/dx uᵛ → uᵛ·d/dx(v·ln u)",
    when="base and exponent both depend on x",
    example="x^x",
)
def log_differentiation(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(u**v) -> u**v * d(v*ln(u)), when both the base and the exponent depend on x."""
    if not (isinstance(u, sp.Pow) and u.base.has(x) and u.exp.has(x)):
        return None
    inside = u.exp * sp.log(u.base)
    return Rewrite(
        Rule.LOG_DIFFERENTIATION,
        Words.plain("Logarithmic differentiation"),
        words(
            "Both the base {base} and the exponent {exponent} depend on {x}. Write {written}; "
            "by the chain rule its derivative is {derivative}.",
            base=u.base,
            exponent=u.exp,
            x=x,
            written=equation(u, sp.exp(inside, evaluate=False)),
            derivative=mul(u, derivative(inside, x)),
        ),
        mul(u, derivative(inside, x)),
    )


#: Highest degree of a polynomial edge (x² ≤ x) whose real roots are named as breakpoints.
_SOLVED_DEGREE = 4


def _breakpoints(conditions: list[sp.Basic], x: sp.Symbol) -> list[sp.Expr]:
    points: list[sp.Expr] = []
    for condition in conditions:
        for relation in condition.atoms(sp.core.relational.Relational):
            edge = relation.lhs - relation.rhs
            if not (edge.has(x) and edge.is_polynomial(x)):
                continue
            if sp.degree(edge, x) == 1:
                found = sp.solve(edge, x)
            elif edge.free_symbols == {x} and sp.degree(edge, x) <= _SOLVED_DEGREE:
                roots = sp.solveset(edge, x, sp.S.Reals)
                found = sorted(roots, key=sp.default_sort_key) if roots.is_FiniteSet else []
            else:
                found = []
            points.extend(point for point in found if point not in points)
    return points


@declaring(
    "piecewise_rule",
    "Piecewise rule",
    name="the piecewise rule",
    rewrite="d/dx {f if c else g} → {f′ if c else g′}, breakpoints named",
    when="a `Piecewise`",
    example="relu",
)
def piecewise_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d{f if c else g} -> {f' if c else g'}, away from the breakpoints."""
    if not isinstance(u, sp.Piecewise):
        return None
    pieces = [(derivative(e, x), c) for e, c in u.args]
    points = _breakpoints([c for _, c in u.args], x)
    note = Words()
    for i, point in enumerate(points):
        lead = f" At the breakpoint{'s' if len(points) > 1 else ''} " if i == 0 else ", "
        note += words("{lead}{point}", lead=lead, point=equation(x, point))
    if points:
        note += (
            " this gives each side's one-sided derivative; the derivative exists there only "
            "where both sides agree."
        )
    return Rewrite(
        Rule.PIECEWISE_RULE,
        Words.plain("Piecewise rule"),
        "A function defined in pieces is differentiated piece by piece, each on its own "
        "interval." + note,
        sp.Piecewise(*pieces, evaluate=False),
    )


def real_valued(u: sp.Expr) -> bool:
    """True when u is real wherever it is defined, for real symbols and real unknown f(x).

    sin(x), x² − 1, e^x, σ(x): yes; √x, ln x, asin x: no, they turn complex for some real x.
    """
    swap: dict[sp.Basic, sp.Basic] = {f: sp.Dummy(real=True) for f in u.atoms(AppliedUndef)}
    swap.update(real_symbols(u))
    return u.xreplace(swap).is_extended_real is True


@declaring(
    "fallback",
    "SymPy's derivative (no step-by-step rule yet)",
    name="SymPy's derivative",
    rewrite='SymPy\'s derivative, labelled "no step-by-step rule yet", still checked',
    when="a construct SymPy differentiates in closed form that no rule names (the special "
    "functions have their own rule; polar_lift of a composite argument falls here)",
    example="sympy.polar_lift(x**2 + 1)",
)
def fallback_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(u) -> SymPy's derivative of u, for a function with no step-by-step rule yet.

    Taken, like every derivative here, for real symbols: re(x) is then x and |√x| a real
    function of x; the result is given back in the original symbols.
    """
    if not isinstance(u, sp.Function) or isinstance(u, AppliedUndef):
        return None
    real = real_symbols(u)
    result = sp.diff(u.xreplace(real), real.get(x, x)).xreplace({r: s for s, r in real.items()})
    if result.has(sp.Derivative, sp.Subs):
        return None
    return Rewrite(
        Rule.FALLBACK,
        Words.plain("SymPy's derivative (no step-by-step rule yet)"),
        Words.plain(
            f"sigderiv has no rule of its own for {type(u).__name__} yet, so this step takes "
            "SymPy's derivative as it is; like every step, it is checked."
        ),
        result,
    )
