"""Substitution of named functions: their definition, wherever it appears, becomes the name."""

from __future__ import annotations

import sympy as sp

from ..display import inline, rewrite
from ..functions import NamedFunction, named_functions
from ..steps import Rule
from .base import Rewrite

_ARG = sp.Wild("u")


def _named_match(node: sp.Expr, functions: tuple[type[NamedFunction], ...]) -> sp.Expr | None:
    """Return F(u) when ``node`` is the definition of a named function F at some u."""
    if node.is_Atom or isinstance(node, sp.UnevaluatedExpr):
        return None
    for function in functions:
        found = node.match(function.definition(_ARG))
        if found and _ARG in found and function.definition(found[_ARG]) == node:
            return function(found[_ARG])
    return None


def _unwrap_plain(node: sp.Expr) -> sp.Expr | None:
    """Drop an UnevaluatedExpr wrapper whose content is no longer a fraction."""
    if type(node) is sp.UnevaluatedExpr and not any(
        isinstance(e, sp.Pow) and e.exp.is_negative for e in sp.preorder_traversal(node.args[0])
    ):
        return node.args[0]
    return None


def substitute_named(
    expr: sp.Expr, functions: tuple[type[NamedFunction], ...] | None = None
) -> Rewrite | None:
    """definition(u) -> F(u) for each named function F, e.g. 1/(1 + e**(-u)) -> σ(u)."""
    functions = named_functions() if functions is None else functions
    found: list[tuple[sp.Expr, sp.Expr]] = []

    def swap(node: sp.Expr) -> sp.Expr | None:
        named = _named_match(node, functions)
        if named is not None:
            found.append((node, named))
        return named

    after = rewrite(expr, swap)
    if not found:
        return None
    after = _flatten_unwrapped(after)
    pairs = list(dict.fromkeys(found))
    said = "; ".join(f"{inline(named)} = {inline(node)} by definition" for node, named in pairs)
    return Rewrite(
        Rule.SUBSTITUTE,
        f"Substitute {', '.join(inline(n) for _, n in pairs)}",
        f"Swap the named function back in: {said}.",
        after,
    )


def _flatten_unwrapped(expr: sp.Expr) -> sp.Expr:
    """Unwrap plain UnevaluatedExpr factors left in products."""

    def unwrap_in_mul(node: sp.Expr) -> sp.Expr | None:
        if isinstance(node, sp.Mul) and any(isinstance(a, sp.UnevaluatedExpr) for a in node.args):
            args = [_unwrap_plain(a) or a for a in node.args]
            return sp.Mul(*args, evaluate=False)
        return None

    return rewrite(expr, unwrap_in_mul)
