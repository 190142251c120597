"""doit() for a proof: pending derivatives taken by SymPy's own rules, without its zero test."""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp
from sympy.core.function import AppliedUndef

#: The node types rebuilt here, their arguments done first: evaluating them is their doit.
_REBUILT: tuple[type[sp.Basic], ...] = (sp.Add, sp.Mul, sp.Pow)


def done(expr: sp.Expr) -> sp.Expr:
    """Return ``expr.doit()``'s value: each first derivative in one symbol taken directly.

    ``Derivative(u, x).doit()`` takes d/dx u by u's own ``_eval_derivative`` and then asks
    whether the result is zero (an early exit for derivatives in several variables). With
    unknown functions V(x) in u that question walks SymPy's assumptions for most of the
    time the derivative takes (tanh(V)′: 20 ms of 23). Here the same rule is applied and the
    question not asked; the value is the same, so a proof built on it proves the same
    identity. Anything else (several variables, Subs, Integral, ...) goes to ``doit``.
    """
    if not expr.has(sp.Derivative):
        return expr.doit() if expr.args else expr
    if isinstance(expr, sp.Derivative):
        return _derivative(expr)
    if isinstance(expr, _REBUILT) or (
        isinstance(expr, sp.Function) and not isinstance(expr, (sp.Piecewise, AppliedUndef))
    ):
        return expr.func(*(done(a) for a in expr.args))
    return expr.doit()


def _derivative(node: sp.Derivative) -> sp.Expr:
    """d/dx u for one symbol x once, u done first; ``doit`` for any other derivative."""
    dispatch = getattr(sp.Derivative, "_dispatch_eval_derivative_n_times", None)
    (variable, count), *more = node.variable_count
    if more or count != 1 or not isinstance(variable, sp.Symbol) or dispatch is None:
        return node.doit()
    return _first(done(node.expr), variable, dispatch)


def _first(u: sp.Expr, x: sp.Symbol, dispatch: Callable[..., sp.Expr | None]) -> sp.Expr:
    """d/dx u, u done: sums and products by SymPy's own sum and product rules, taken here.

    ``Add._eval_derivative`` and ``Mul._eval_derivative_n_times`` (the general Leibniz rule)
    differentiate each term and factor through ``diff``, a full Derivative construction for
    each; here each is taken by the same rules directly, and the terms are built as SymPy
    builds them (``Add`` of the ``Mul`` with one factor differentiated, in order), so the
    value is the same expression. Any other node is differentiated by its own rule.
    """
    if x not in u.free_symbols:
        return sp.S.Zero
    if u == x:
        return sp.S.One
    if isinstance(u, sp.Add):
        return sp.Add(*(_first(term, x, dispatch) for term in u.args))
    if isinstance(u, sp.Mul):
        factors = u.args
        return sp.Add(
            *(
                sp.Mul(*factors[:i], _first(factor, x, dispatch), *factors[i + 1 :])
                for i, factor in enumerate(factors)
            )
        )
    taken = dispatch(u, x, 1)
    if taken is None:
        return sp.Derivative(u, x)
    return taken.replace(lambda n: isinstance(n, sp.Derivative), lambda n: n.canonical)
