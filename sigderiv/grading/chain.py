"""The engine's own derivation as a chain of proven forms, to name and prove a learner's lines.

``derive(f)`` writes d/dx f = e1 = e2 = … = f′, one form after each rule (the leaves of the
step tree), each step proven by the verifier. A learner's line written as one of these forms
(terms and factors in any order, see :func:`~sigderiv.grading.moves.form_key`) *is* that
form, so it is equal to d/dx f as far as the engine's checks reach: a proof by equality to a
proven form, with no new identity check. The move from a line at one form of the chain to a
line at a later one is the engine's rule (or rules) between them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import sympy as sp

from sigderiv.expr.functions import Defined
from sigderiv.grading.moves import DIFFERENTIATING, Move, form_key, summary
from sigderiv.model.steps import Check, CheckStatus, Derivation, Step

__all__ = ["Chain", "FormKey", "chain_of", "key_of"]

#: The check method of a line proven by equality to a proven form.
SAME_FORM = "same form"

#: A form's key for a proof: its form key, and the definitions of the named functions in it.
FormKey = tuple[str, frozenset[tuple[sp.Basic, sp.Basic]]]


def key_of(expr: sp.Expr) -> FormKey | None:
    """Return the key two forms must share to be one expression; None if it is ambiguous.

    :func:`form_key` names a function given by its definition by its name alone; the
    definitions go in the key too, and a name defined twice in one form gets no key.
    """
    definitions = frozenset((d.args[0], d.args[1]) for d in expr.atoms(Defined))
    if len({name for name, _ in definitions}) != len(definitions):
        return None
    return form_key(expr), definitions


def _leaves(steps: Sequence[Step]) -> Iterator[Step]:
    for step in steps:
        if step.substeps:
            yield from _leaves(step.substeps)
        else:
            yield step


@dataclass(frozen=True)
class Chain:
    """d/dx f = e1 = … as forms[0], forms[1], …; leaves[i] leads from forms[i] to forms[i + 1].

    Only the proven stretch is kept: every form here is proven equal to forms[0] = d/dx f by
    the checks of the leaves before it.
    """

    forms: tuple[sp.Expr, ...]
    leaves: tuple[Step, ...]
    keys: tuple[FormKey | None, ...]

    def index(self, key: FormKey | None) -> int | None:
        """Return the first position in the chain of the form with ``key``, or None."""
        if key is None:
            return None
        return next((i for i, k in enumerate(self.keys) if k == key), None)

    def proof(self, at: int, seconds: float = 0.0) -> Check:
        """The check of a line written as forms[at]: proven by the engine's steps up to there."""
        rules = ", ".join(dict.fromkeys(str(leaf.rule) for leaf in self.leaves[:at]))
        detail = (
            "written as the engine's form after its step "
            f"{at} ({self.leaves[at - 1].rule}), proven equal to the derivative by the "
            f"engine's checks of {rules}"
            if at
            else "written as the derivative itself"
        )
        return Check(CheckStatus.VERIFIED, SAME_FORM, seconds, detail)

    def move(self, start: int, end: int) -> Move | None:
        """The engine's move from forms[start] to forms[end]: one rule, or a run of rules
        that all differentiate; None for a run that also does algebra (left to the search)."""
        run = self.leaves[start:end]
        if not run:
            return None
        if len(run) == 1:
            return Move(run[0].rule, run[0].title)
        if not all(leaf.rule in DIFFERENTIATING for leaf in run):
            return None
        rule, title = summary(run)
        return Move(rule, title)


def chain_of(derivation: Derivation | None, start: sp.Expr) -> Chain | None:
    """Return the proven chain of ``derivation``, which must start at ``start``; else None."""
    if derivation is None or not derivation.steps:
        return None
    first = derivation.steps[0].before
    if first != start and (key_of(first) is None or key_of(first) != key_of(start)):
        return None
    forms: list[sp.Expr] = [first]
    keys: list[FormKey | None] = [key_of(first)]
    leaves: list[Step] = []
    for leaf in _leaves(derivation.steps):
        joined = leaf.before == forms[-1] or key_of(leaf.before) == keys[-1]
        if not leaf.verified or not joined:
            break  # a step not proven, or not joined to the one before: the chain ends there
        forms.append(leaf.after)
        keys.append(key_of(leaf.after))
        leaves.append(leaf)
    return Chain(tuple(forms), tuple(leaves), tuple(keys))
