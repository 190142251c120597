"""The activation catalogue derived: each function's definition and derivative, by the engine."""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from sigderiv.engine.batch import Problem, derive_all
from sigderiv.expr.functions import CATALOGUE, CatalogueRow, write_out
from sigderiv.input.guard import variable
from sigderiv.model.bounds import CHECK_TIMEOUT
from sigderiv.model.steps import Derivation

__all__ = ["CatalogueRow", "catalogue"]


def catalogue(
    var: str = "x",
    *,
    timeout: float = CHECK_TIMEOUT,
    jobs: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> tuple[CatalogueRow, ...]:
    """Derive every catalogue entry, ``jobs`` at once (default: the cores); rows in order.

    Each entry is derived as ``derive(name, var, check_timeout=timeout)`` derives it, in its
    own bounded worker; ``progress(done, total)`` is called as each one finishes. The first
    entry that fails raises its error, once the others are done.
    """
    x = variable(var)
    entries = list(CATALOGUE.values())
    # the largest definitions first, where the longest derivations are: no core is left
    # with one long entry to finish alone at the end (longest processing time first)
    problems = sorted(
        (Problem(n, entry.name) for n, entry in enumerate(entries)),
        key=lambda p: -sp.count_ops(write_out(entries[p.line].definition(x))),
    )
    derived: dict[int, Derivation] = {}
    errors: dict[int, Exception] = {}
    for done, outcome in enumerate(
        derive_all(problems, x, jobs=jobs, check_timeout=timeout), start=1
    ):
        if outcome.derivation is not None:
            derived[outcome.problem.line] = outcome.derivation
        elif outcome.error is not None:
            errors[outcome.problem.line] = outcome.error
        if progress is not None:
            progress(done, len(problems))
    if errors:
        raise errors[min(errors)]
    return tuple(
        CatalogueRow(entry, entry.apply(x), entry.definition(x), derived[n])
        for n, entry in enumerate(entries)
    )
