"""The data a renderer shows, computed before it renders: the plots' samples.

Renderers only lay out what they are given. This is the one module of the formats that asks
the engine for something: :func:`prepared` hands a formatter the plot's samples (from
:func:`sigderiv.engine.sample.plot_curves`) before ``render`` runs, so ``render(d, "html")``
shows the plot and the renderer itself samples nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TypeVar

from sigderiv.model.plot import Line
from sigderiv.model.steps import Derivation

__all__ = ["figure_lines", "prepared"]

F = TypeVar("F")


def prepared(chosen: F, derivation: Derivation) -> F:
    """Return ``chosen`` with the data it shows computed for ``derivation``, if it lacks any."""
    if getattr(chosen, "plot", False) and getattr(chosen, "curves", ()) is None:
        from sigderiv.engine.sample import plot_curves

        lo, hi = chosen.plot_range  # type: ignore[attr-defined]
        curves = plot_curves(derivation, lo, hi, chosen.points)  # type: ignore[attr-defined]
        return replace(chosen, curves=curves)  # type: ignore[type-var]
    return chosen


def figure_lines(
    derivation: Derivation, lo: float, hi: float, given: Mapping[str, float] | None = None
) -> list[Line]:
    """The lines the matplotlib plot draws, sampled before it draws (engine.sample)."""
    from sigderiv.engine.sample import plot_lines

    return plot_lines(derivation, lo, hi, given)
