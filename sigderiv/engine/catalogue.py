"""The activation catalogue derived: each function's definition and derivative, by the engine."""

from __future__ import annotations

from sigderiv.engine.deriver import derive
from sigderiv.expr.functions import CATALOGUE, CatalogueRow
from sigderiv.input.guard import variable
from sigderiv.model.bounds import CHECK_TIMEOUT

__all__ = ["CatalogueRow", "catalogue"]


def catalogue(var: str = "x", *, timeout: float = CHECK_TIMEOUT) -> tuple[CatalogueRow, ...]:
    """Derive every catalogue entry; return the rows in catalogue order."""
    x = variable(var)
    rows = []
    for entry in CATALOGUE.values():
        derivation = derive(entry.name, x, check_timeout=timeout)
        rows.append(CatalogueRow(entry, entry.apply(x), entry.definition(x), derivation))
    return tuple(rows)
