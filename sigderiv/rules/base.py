"""What a rule returns: the rewrite of one expression and the words that explain it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from sigderiv.model.steps import Rule
from sigderiv.model.words import Words


@dataclass(frozen=True)
class Rewrite:
    """``before -> after`` by ``rule``; ``inner`` lists derivatives left for a later pass."""

    rule: Rule
    title: Words
    explanation: Words
    after: sp.Expr
    inner: tuple[sp.Expr, ...] = ()


#: A differentiation rule: given ``u`` and ``x``, the rewrite of d/dx(u), or None.
DiffRule = Callable[[sp.Expr, sp.Symbol], "Rewrite | None"]
