"""trigsimp with SymPy's own result, not asked about the parts it provably leaves alone."""

from __future__ import annotations

import importlib

import sympy as sp
from sympy.core.traversal import bottom_up
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from sigderiv.expr import memory

# ``sympy.simplify.trigsimp`` is also the name of the function that package exports.
_TRIGSIMP = importlib.import_module("sympy.simplify.trigsimp")
_FU = importlib.import_module("sympy.simplify.fu")


def trigsimp(expr: sp.Expr) -> sp.Expr:
    """Return ``sympy.trigsimp(expr)``: futrig's steps, a lone function of a plain angle kept.

    SymPy's default trigsimp is ``futrig``: bottom up, each node with a trigonometric
    function goes through a greedy tree of Fu's rewrites (about 10 ms each with a cold cache,
    even for sin(x)), and the tree's result replaces the node only when it scores lower on
    (trigonometric functions, operations, nodes, arguments); the node itself wins ties.
    A node f(u), f(u)ⁿ (n ≥ 2) or c·f(u)ⁿ with c free of them, where u is c·x·y² (c
    rational) or a·x + b (coprime integers), cannot score lower: any equal form keeps one
    trigonometric function and takes no fewer operations. (An angle such as x² − 3x or
    3x/2 + 1/3 can: factor writes it x(x − 3), (9x + 2)/6.) Those nodes are kept as they
    are, and tests/expr/test_trigsimp.py compares each kind with SymPy's own step; every
    other node goes through SymPy's own tree, once per distinct node in a derivation (the
    identity search asks about each form it reaches, and the forms share their parts).
    """
    if getattr(expr, "_eval_trigsimp", None) is not None or not expr.args:
        return sp.trigsimp(expr)
    old = expr
    expr = bottom_up(expr, _node)
    if expr.has(HyperbolicFunction):
        expr, back = _FU.hyper_as_trig(expr)
        expr = back(bottom_up(expr, _node))
    if expr != old and expr.is_Mul and expr.args[0].is_Rational:
        expr = sp.Mul(*expr.as_coeff_Mul())  # as futrig does: the coefficient over a sum
    return expr


def _node(expr: sp.Expr) -> sp.Expr:
    """futrig's step on one node: skipped for the nodes it keeps, taken once per node."""
    return expr if _kept(expr) else futrig_step(expr)


@memory.remembered  # the derivation's: the same node gives the same step
def futrig_step(expr: sp.Expr) -> sp.Expr:
    """SymPy's futrig step on one node."""
    step: sp.Expr = _TRIGSIMP._futrig(expr)
    return step


def _kept(expr: sp.Expr) -> bool:
    """Whether ``expr`` is f(u), f(u)ⁿ with n ≥ 2, or a product of one of them and no trig."""
    if expr.is_Mul:
        _, expr = expr.as_independent(TrigonometricFunction)
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 1:
        expr = expr.base
    return isinstance(expr, TrigonometricFunction) and _plain(expr.args[0])


def _plain(angle: sp.Expr) -> bool:
    """Whether ``angle`` is c·x·y² (c rational) or a·x + b (coprime integers a, b)."""
    if angle.is_Add:
        if len(angle.args) != 2:
            return False
        b, term = angle.as_coeff_Add()
        a, s = term.as_coeff_Mul()
        return isinstance(s, sp.Symbol) and b.is_Integer and a.is_Integer and sp.igcd(a, b) == 1
    c, rest = angle.as_coeff_Mul()
    return c.is_Rational and all(_symbol_power(f) for f in sp.Mul.make_args(rest))


def _symbol_power(factor: sp.Expr) -> bool:
    """Whether ``factor`` is a symbol or a symbol to a positive integer power."""
    if factor.is_Pow:
        return isinstance(factor.base, sp.Symbol) and factor.exp.is_Integer and factor.exp > 0
    return isinstance(factor, sp.Symbol)
