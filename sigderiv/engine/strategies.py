"""How rules are combined: first that applies, a pass over pending derivatives, a sequence."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from sigderiv.errors import LimitError, UnsupportedError
from sigderiv.expr.walk import fold, rebuilt
from sigderiv.rules.base import Rewrite

#: Upper bound on rule applications in one derivation (the stepping loop's guard).
MAX_REWRITES = 500


@dataclass(frozen=True)
class Applied:
    """One rewrite lifted to the whole expression: ``before -> after`` with the local change."""

    rewrite: Rewrite
    before: sp.Expr
    after: sp.Expr
    local: tuple[sp.Expr, sp.Expr] | None = None


def is_final(node: sp.Expr, var: sp.Symbol) -> bool:
    """True for f′(x) = d/dx f(x) of an undefined function f: nothing more can be done."""
    return isinstance(node.expr, AppliedUndef) and node.expr.args == (var,)


def _derivatives(
    node: sp.Basic, inside: Callable[[sp.Basic], frozenset[sp.Basic]]
) -> frozenset[sp.Basic]:
    if isinstance(node, sp.Derivative):
        return frozenset((node,))
    return frozenset().union(*map(inside, node.args))


class _Derivatives:
    """Where the pending derivatives of an expression are, remembered across a pass's steps.

    Each step changes one derivative and keeps the rest of the expression as it was, so
    the subtrees that hold no derivative at all (most of them, and the same objects from
    step to step) are found out once and never walked again.
    """

    def __init__(self, var: sp.Symbol) -> None:
        self.var = var
        self._inside: dict[sp.Basic, frozenset[sp.Basic]] = {}

    def inside(self, node: sp.Basic) -> frozenset[sp.Basic]:
        """Return the unevaluated derivatives in ``node`` (itself, if it is one)."""
        known = self._inside.get(node)  # asked of every node a search passes: answer at once
        return fold(self._inside, node, _derivatives) if known is None else known

    def holds(self, node: sp.Basic) -> bool:
        """True when ``node`` has an unevaluated derivative somewhere in it."""
        return bool(self.inside(node))

    def first(self, expr: sp.Expr, skip: set[sp.Expr]) -> sp.Expr | None:
        """Return the first unevaluated derivative in reading order still to be rewritten."""
        seen: set[sp.Basic] = set()  # a subtree met before has nothing new
        known = self._inside.get

        def search(node: sp.Basic) -> sp.Expr | None:
            seen.add(node)
            if isinstance(node, sp.Derivative):
                var = self.var
                pending = node.variables == (var,) and node not in skip and not is_final(node, var)
                return node if pending else None
            for arg in node.args:
                # the terms a pass has done hold no derivative: passed over without a call
                held = known(arg)
                if held is None:
                    held = self.inside(arg)
                if not held or arg in seen:
                    continue
                found = search(arg)
                if found is not None:
                    return found
            return None

        return search(expr) if self.holds(expr) else None

    def replace(self, expr: sp.Expr, old: sp.Expr, new: sp.Expr) -> sp.Expr:
        """Return ``expr`` with every ``old`` replaced by ``new``, form kept (see display).

        Only the parts that hold ``old`` are entered and rebuilt (as :func:`rewrite` rebuilds
        them); every other part is kept as it is, known from the derivatives it holds.
        """
        known = self._inside.get
        done: dict[sp.Basic, sp.Basic] = {}

        def enter(node: sp.Basic) -> sp.Basic:
            held = known(node)
            if held is None:
                held = self.inside(node)
            return walk(node) if old in held else node

        def walk(node: sp.Basic) -> sp.Basic:
            if node == old:
                return new
            known = done.get(node)
            if known is None:
                known = done[node] = rebuilt(node, enter)
            return known

        return enter(expr)


def derivative_passes(
    start: sp.Expr,
    var: sp.Symbol,
    rewrite_of: Callable[[sp.Expr, sp.Symbol], Rewrite | None],
) -> Iterator[list[Applied]]:
    """Yield the rewrites of each pass: a pass differentiates everything outside the inner
    functions that its chain rules leave behind; the next pass takes those inner functions."""
    expr, count = start, 0
    derivatives = _Derivatives(var)
    while True:
        deferred: set[sp.Expr] = set()
        applied: list[Applied] = []
        while (node := derivatives.first(expr, deferred)) is not None:
            count += 1
            if count > MAX_REWRITES:
                raise LimitError(f"the derivation needs more than {MAX_REWRITES} rule steps")
            rewrite = rewrite_of(node.expr, var)
            if rewrite is None:
                raise UnsupportedError(
                    f"no differentiation rule yet for {node.expr} (in the variable {var})"
                )
            after = derivatives.replace(expr, node, rewrite.after)
            applied.append(Applied(rewrite, expr, after, (node, rewrite.after)))
            deferred.update(rewrite.inner)
            expr = after
        if not applied:
            return
        yield applied
        if not deferred:
            return


def in_sequence(
    expr: sp.Expr, rules: Iterable[Callable[[sp.Expr], Rewrite | None]]
) -> list[Applied]:
    """Apply each rule once, in order, to the running expression; skip those that do not apply."""
    applied: list[Applied] = []
    for rule in rules:
        rewrite = rule(expr)
        if rewrite is not None:
            applied.append(Applied(rewrite, expr, rewrite.after))
            expr = rewrite.after
    return applied
