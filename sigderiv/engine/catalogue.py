"""The activation catalogue derived: each function's definition and derivative, by the engine."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from sigderiv.engine.deriver import derive
from sigderiv.expr.functions import CATALOGUE, CatalogueEntry
from sigderiv.input.guard import variable
from sigderiv.model.bounds import CHECK_TIMEOUT
from sigderiv.model.steps import Derivation


@dataclass(frozen=True)
class CatalogueRow:
    """One catalogue function with its derivation by the engine."""

    entry: CatalogueEntry
    named: sp.Expr  # f(x) as a named application: σ(x), tanh(x), ELU(x)
    definition: sp.Expr
    derivation: Derivation

    @property
    def derivative(self) -> sp.Expr:
        """The derivative as the engine wrote it last (its compact form)."""
        return self.derivation.steps[-1].after

    @property
    def in_terms_of_itself(self) -> bool:
        """True when the derivative is written with the function's own value."""
        return self.derivation.result.has(self.named)


def catalogue(var: str = "x", *, timeout: float = CHECK_TIMEOUT) -> tuple[CatalogueRow, ...]:
    """Derive every catalogue entry; return the rows in catalogue order."""
    x = variable(var)
    rows = []
    for entry in CATALOGUE.values():
        derivation = derive(entry.name, x, check_timeout=timeout)
        rows.append(CatalogueRow(entry, entry.apply(x), entry.definition(x), derivation))
    return tuple(rows)
