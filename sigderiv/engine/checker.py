"""Checking a step's identity as it is made, once for each identity claimed twice."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from sigderiv.engine.general import check_rewrite
from sigderiv.engine.strategies import Applied
from sigderiv.engine.verify import check_identity
from sigderiv.errors import VerificationError
from sigderiv.expr import walk
from sigderiv.expr.functions import Defined, NamedFunction, write_out
from sigderiv.model.steps import Check, CheckStatus, Rule, Step
from sigderiv.model.words import Words
from sigderiv.printing.inline import inline
from sigderiv.rules.base import Rewrite

#: The named functions whose definitions a step may write out.
NAMED = (NamedFunction, Defined)


class Checker:
    """Checks step identities, reusing the result where two steps claim the same identity."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._seen: dict[tuple[sp.Expr, sp.Expr], Check] = {}
        self._general: dict[tuple[sp.Expr, sp.Expr], Check | None] = {}

    def step(
        self,
        rule: Rule,
        title: Words,
        explanation: Words,
        before: sp.Expr,
        after: sp.Expr,
        substeps: Sequence[Step] = (),
        local: tuple[sp.Expr, sp.Expr] | None = None,
    ) -> Step:
        """Return the checked step; raise VerificationError if its identity is false."""
        key = (before, after)
        check = self._seen.get(key)
        if check is None:
            check = self._cheap(before, after, substeps, local)
        if check is None:
            check = check_identity(before, after, self.timeout)
        self._seen[key] = check
        if check.status is CheckStatus.FAILED:
            where = ", ".join(f"{k} = {v}" for k, v in check.counterexample)
            raise VerificationError(
                f"step '{title}' ({rule}) does not hold: {inline(before)} ≠ {inline(after)}"
                + (f" at {where}" if where else "")
            )
        return Step(rule, title, explanation, before, after, tuple(substeps), check, local)

    def _cheap(
        self,
        before: sp.Expr,
        after: sp.Expr,
        substeps: Sequence[Step],
        local: tuple[sp.Expr, sp.Expr] | None,
    ) -> Check | None:
        """Prove a step from its parts, when they settle it: no work on the whole expression.

        A step made of proven substeps that join from its ``before`` to its ``after`` holds
        by transitivity; a step that rewrites one derivative holds when that rewrite does
        (substitution of equals), and the rewrite is proven once in general.
        """
        if (
            substeps
            and all(s.verified for s in substeps)
            and substeps[0].before == before
            and substeps[-1].after == after
        ):
            return Check(CheckStatus.VERIFIED, "transitivity of its proven substeps")
        if local is not None and isinstance(local[0], sp.Derivative):
            return check_rewrite(*local, self._general)
        if not substeps and before.has(*NAMED) and write_out(before) == write_out(after):
            # a named function by its definition, the proof's own meaning (check_identity's
            # first test): before SymPy evaluates both sides, d/dx σ(x) as σ(x)(1 − σ(x)) and
            # d/dx 1/(1 + e^(−x)) by its whole differentiation, to find them unequal
            return Check(CheckStatus.VERIFIED, "structural")
        if not substeps and (
            walk.same(before, after) or walk.same(walk.evaluated(before), walk.evaluated(after))
        ):
            # one expression already (f′ of an unknown f stays d/dx f(x)), or made one by
            # SymPy's own evaluation, which keeps values
            return Check(CheckStatus.VERIFIED, "structural")
        return None

    def applied(self, applied: Applied) -> Step:
        """Return the checked step for one lifted rewrite."""
        rewrite: Rewrite = applied.rewrite
        return self.step(
            rewrite.rule,
            rewrite.title,
            rewrite.explanation,
            applied.before,
            applied.after,
            local=applied.local,
        )
