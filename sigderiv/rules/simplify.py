"""Named simplifications, shown as steps: factor out, combine, cancel, factor, identities."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from sigderiv.expr.build import tidy
from sigderiv.expr.functions import masked
from sigderiv.expr.walk import fewest_operations
from sigderiv.input.limits import MAX_EXPANDED_POWER
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Family, declaring

_TRIG_LIKE = (TrigonometricFunction, HyperbolicFunction)


@dataclass(frozen=True)
class Transform:
    """One named SymPy simplification and the words that explain it."""

    title: str
    explanation: str
    apply: Callable[[sp.Expr, sp.Symbol], sp.Expr]
    only_with: tuple[type, ...] = ()
    prefer: int = 0  # operations it may cost over the others and still be chosen: products
    # Beyond this many operations the transform is not tried: factor and trigsimp grow
    # exponentially (trigsimp takes minutes on the derivative of sin nested 16 deep).
    max_ops: int = 400
    expands: bool = False  # multiplies powers out: not tried on (x + 1)**3000


TRANSFORMS: tuple[Transform, ...] = (
    Transform(
        "Factor out the common factor",
        "Every term shares a factor; take it out in front of the bracket.",
        lambda e, x: sp.factor_terms(e, radical=True),
    ),
    Transform(
        "Collect the terms in the variable",
        "Gather the terms that share the same power of the variable.",
        lambda e, x: sp.collect(e, x),
    ),
    Transform(
        "Combine into one fraction",
        "Bring the terms over a common denominator and add them.",
        lambda e, x: sp.together(e),
        max_ops=150,
    ),
    Transform(
        "Cancel common factors",
        "Write the expression as one fraction and cancel what the numerator and the "
        "denominator have in common.",
        lambda e, x: sp.cancel(e),
        max_ops=150,
        expands=True,
    ),
    Transform(
        "Factor",
        "Factor the expression into a product.",
        lambda e, x: sp.factor(e),
        max_ops=80,
        expands=True,
    ),
    Transform(
        "Combine powers",
        "Combine powers of the same base: a^m·a^n = a^(m+n).",
        lambda e, x: sp.powsimp(e),
    ),
    Transform(
        "Use u·sign(u) = |u|",
        "For real u, u·sign(u) = |u|: a number times its sign is its size.",
        lambda e, x: _sign_to_abs(e),
        (sp.sign,),
    ),
    Transform(
        "Factor the polynomial",
        "The expression is a polynomial in one function; factor it.",
        lambda e, x: _factor_polynomial(e, x),
        prefer=1,
        max_ops=80,
        expands=True,
    ),
    Transform(
        "Apply an identity",
        "Use a trigonometric or hyperbolic identity (such as sin² + cos² = 1).",
        lambda e, x: sp.trigsimp(e),
        _TRIG_LIKE,
        max_ops=40,
    ),
)


def _sign_to_abs(expr: sp.Expr) -> sp.Expr:
    """Replace u·sign(u) by |u| in every product."""
    swaps = {u.args[0] * u: sp.Abs(u.args[0]) for u in expr.atoms(sp.sign)}
    return expr.subs(swaps) if swaps else expr


def _positive_constant(factor: sp.Expr) -> bool:
    constant = factor.as_coeff_Add()[0]
    return not (isinstance(factor, sp.Add) and constant.is_negative)


def _signed_product(coefficient: sp.Expr, factors: list[tuple[sp.Expr, int]]) -> sp.Expr:
    """Return coefficient·∏ base^power with each sum written constant-first and positive."""
    kept: list[sp.Expr] = []
    for base, power in factors:
        if not _positive_constant(base) and power % 2 == 1:
            base, coefficient = -base, -coefficient
        kept.append(base**power)
    product = sp.Mul(*kept, evaluate=False)
    if coefficient == 1:
        return product
    if coefficient == -1:
        return sp.Mul(sp.S.NegativeOne, product, evaluate=False)
    return sp.Mul(coefficient, *kept, evaluate=False)


def _factor_polynomial(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """Factor a polynomial in one function g of x, writing factors as 1 − g, not g − 1."""
    generators = [g for g in expr.atoms(sp.Function) if g.has(x)]
    if len(generators) != 1 or not expr.is_polynomial(generators[0]):
        return expr
    if expr.xreplace({generators[0]: sp.Dummy()}).has(x):
        return expr  # x also stands outside g: not a polynomial in g alone
    whole = sp.factor_list(expr)
    common = sp.factor_terms(sp.expand(expr))
    coefficient, rest = common.as_coeff_Mul()
    partial = (coefficient, [(f, 1) for f in sp.Mul.make_args(rest)])
    forms = [_signed_product(c, list(f)) for c, f in (whole, partial)]
    return min(forms, key=sp.count_ops)


def _kinds(expr: sp.Expr) -> set[type]:
    return {type(f) for f in expr.atoms(sp.Function)}


def _candidates(
    expr: sp.Expr, x: sp.Symbol, allowed: set[type]
) -> list[tuple[int, int, Transform, sp.Expr]]:
    found = []
    expr, back = masked(expr)
    if fewest_operations(expr) > max(t.max_ops for t in TRANSFORMS):
        return []  # more operations than any transform takes on, without counting them all
    ops = sp.count_ops(expr)
    big_powers = any(
        p.exp.is_Integer and abs(p.exp) > MAX_EXPANDED_POWER for p in expr.atoms(sp.Pow)
    )
    for order, transform in enumerate(TRANSFORMS):
        if transform.only_with and not expr.has(*transform.only_with):
            continue
        if ops > transform.max_ops or (transform.expands and big_powers):
            continue
        try:
            result = transform.apply(expr, x)
        except (sp.PolynomialError, TypeError, ValueError, NotImplementedError):
            continue
        if result == expr or not _kinds(result) <= _kinds(expr) | allowed:
            continue
        cost = sp.count_ops(result)
        # Opening a product up is worth it only for a real gain: products are what a
        # backward pass reuses, and what a reader can check factor by factor.
        needed = ops - 1 if isinstance(expr, sp.Mul) and not transform.prefer else ops
        if result.doit() == expr.doit() and not isinstance(result, sp.Mul):
            continue
        if cost < needed or (transform.prefer and cost <= ops and result.doit() != expr.doit()):
            found.append((cost - transform.prefer, order, transform, result.xreplace(back)))
    return sorted(found, key=lambda item: (item[0], -item[2].prefer, item[1]))


@declaring(
    "simplify",
    "Simplify",
    name="simplifying",
    family=Family.ALGEBRA,
    rewrite="one named SymPy transform: factor out the common factor, collect in x, combine "
    "into one fraction, cancel, factor, combine powers, u·sign(u) = |u|, a trigonometric "
    "identity, factor a polynomial in one function",
    when="chosen only when it lowers the operation count and brings in no function the input "
    "did not have",
    example="softsign",
)
def simplify_once(expr: sp.Expr, x: sp.Symbol, allowed: set[type] | None = None) -> Rewrite | None:
    """expr -> the simplest result of one named transform, when it has fewer operations."""
    candidates = _candidates(expr, x, allowed or set())
    if not candidates:
        return None
    _, _, transform, result = candidates[0]
    return Rewrite(
        Rule.SIMPLIFY,
        Words.plain(transform.title),
        Words.plain(transform.explanation) + words(" This gives {result}.", result=result),
        tidy(result),
    )
