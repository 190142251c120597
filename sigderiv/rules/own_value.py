"""Write a derivative in terms of the function's own value: f' = c0 + c1·f + c2·f²."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import tidy
from sigderiv.expr.functions import operations, write_out
from sigderiv.expr.letters import equation
from sigderiv.expr.points import POINTS, at, close, point
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Family, declaring


def _varies(expr: sp.Expr, x: sp.Symbol) -> bool:
    """True when ``expr`` visibly takes two values at two sample points of x."""
    values = [at(expr, point(expr, x, v)) for v in (POINTS[0], POINTS[2])]
    if values[0] is None or values[1] is None:
        return False
    return not close(values[0], values[1])


def _constant(expr: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Return ``expr`` in closed form when exact algebra shows it is free of x, else None.

    A quick numeric look rejects most candidates before any algebra; the algebra is the
    cheap exact kind only (simplify would cost seconds on a mish-sized expression).
    """
    if _varies(expr, x):
        return None
    for route in (lambda e: sp.cancel(sp.together(e)), sp.expand, sp.trigsimp):
        value = route(expr)
        if not value.has(x):
            return value
    return None


def relation(d: sp.Expr, f: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr, sp.Expr] | None:
    """Return (c0, c1, c2), free of x, with d = c0 + c1·f + c2·f², or None.

    Differentiating d = P(f) gives d′/f′ = P′(f): constant for a line, linear in f for a
    parabola; the coefficients follow from the quotients.
    """
    d, f = write_out(d), write_out(f)
    df = sp.diff(f, x)
    if df == 0:
        return None
    q1 = sp.cancel(sp.diff(d, x) / df)
    c1 = _constant(q1, x)
    if c1 is not None:
        c0 = _constant(d - c1 * f, x)
        return None if c0 is None else (c0, c1, sp.S.Zero)
    c2 = _constant(sp.diff(q1, x) / df / 2, x)
    if c2 is None or c2 == 0:
        return None
    c1 = _constant(q1 - 2 * c2 * f, x)
    if c1 is None:
        return None
    c0 = _constant(d - c1 * f - c2 * f**2, x)
    return None if c0 is None else (c0, c1, c2)


def _in_terms(d: sp.Expr, f: sp.Expr, own: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, Words] | None:
    if not d.has(x) or not f.has(x) or d.has(own):
        return None
    found = relation(d, f, x)
    if found is None:
        return None
    c0, c1, c2 = found
    new = c0 + c1 * own + c2 * own**2
    if operations(new) > operations(d) + 1:
        return None
    return new, words("{own}, so {derivative}", own=equation(own, f), derivative=equation(d, new))


@declaring(
    "own_value",
    "Write in terms of the function",
    name="writing in terms of the function's own value",
    family=Family.ALGEBRA,
    rewrite="d → c₀ + c₁·f + c₂·f² with constant c's, piece by piece, where f is the "
    "function's own value",
    when="α·eˣ → ELU(x) + α on x ≤ 0",
    example="elu",
)
def own_value(expr: sp.Expr, own: sp.Expr, definition: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d -> c0 + c1·f + c2·f², piece by piece, where f = ``own`` is the function's value."""
    value = sp.piecewise_fold(expr.doit())
    definition = sp.piecewise_fold(definition)
    said: list[Words] = []
    if isinstance(value, sp.Piecewise) and isinstance(definition, sp.Piecewise):
        if [c for _, c in value.args] != [c for _, c in definition.args]:
            return None
        pieces = []
        for (d, cond), (f, _) in zip(value.args, definition.args, strict=True):
            found = _in_terms(d, f, own, x)
            if found is not None:
                d = found[0]
                said.append(words("where {condition}, {found}", condition=cond, found=found[1]))
            pieces.append((tidy(d), cond))
        after = sp.Piecewise(*pieces, evaluate=False)
    else:
        found = _in_terms(value, definition, own, x)
        if found is None:
            return None
        after = tidy(found[0])
        said.append(found[1])
    if not said:
        return None
    return Rewrite(
        Rule.OWN_VALUE,
        words("Write in terms of {own}", own=own),
        words(
            "Reuse the function's own value, as a backward pass does: {said}.",
            said=sum(("; " + s for s in said[1:]), said[0]),
        ),
        after,
    )
