"""Plots with matplotlib (the ``plot`` extra): f, f′ and f′ from f's own value, one figure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sigderiv.errors import UnsupportedError
from sigderiv.model.plot import Line, y_window
from sigderiv.model.steps import Derivation
from sigderiv.printing.inline import inline

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: File types the plot can be saved as (.jpg by Pillow, which matplotlib depends on).
SUFFIXES = (".png", ".svg", ".pdf", ".jpg", ".jpeg")


def figure(
    derivation: Derivation, drawn: Sequence[Line], lo: float = -6.0, hi: float = 6.0
) -> Figure:
    """Return a matplotlib Figure of the lines ``drawn`` (sampled before: engine.sample).

    Raises UnsupportedError without matplotlib.
    """
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise UnsupportedError("plotting needs matplotlib: pip install 'sigderiv[plot]'") from None
    fig = Figure(figsize=(8, 4.8), dpi=150, layout="constrained")
    ax = fig.add_subplot()
    colours = ("#0b5cad", "#c2410c", "#15803d")
    window = y_window([line.samples for line in drawn])
    # f on top and thinner, f′ wider below it: where they coincide (exp) both still show.
    widths, layers = (1.8, 3.6, 2.0), (4, 2, 3)
    for line, colour, width, layer in zip(drawn, colours, widths, layers, strict=False):
        shown = line.samples if window is None else line.samples.clipped(*window)
        ys = [math.nan if y is None else y for y in shown.ys]
        ax.plot(
            line.samples.xs,
            ys,
            line.style,
            color=colour,
            linewidth=width,
            label=line.label,
            zorder=layer,
        )
        for dot in line.dots:
            ax.plot(
                [dot.x],
                [dot.y],
                "o",
                markersize=6,
                markeredgewidth=1.6,
                color=colour,
                markerfacecolor=colour if dot.closed else "white",
                zorder=layer + 3,
            )
    if window is not None:
        ax.set_ylim(*window)
    ax.set_xlim(lo, hi)
    ax.axhline(0, color="#57606a", linewidth=0.8)
    ax.axvline(0, color="#57606a", linewidth=0.8)
    ax.grid(True, color="#d0d7de", linewidth=0.6)
    ax.set_xlabel(str(derivation.variable))
    ax.set_title(f"f and its derivative, f′ = {inline(derivation.steps[-1].after)}")
    ax.legend(loc="best", frameon=False)
    return fig


def format_of(path: str) -> str:
    """Return the image format (png, svg, pdf, jpg, jpeg) that the suffix of ``path`` asks for."""
    suffix = path[path.rfind(".") :].lower() if "." in path else ""
    if suffix not in SUFFIXES:
        raise UnsupportedError(f"a plot is saved as {', '.join(SUFFIXES)}, not {path!r}")
    return suffix[1:]


def save(
    derivation: Derivation, drawn: Sequence[Line], path: str, lo: float = -6.0, hi: float = 6.0
) -> None:
    """Draw the lines ``drawn`` and save them to ``path`` (one of SUFFIXES, by its extension)."""
    figure(derivation, drawn, lo, hi).savefig(path, metadata=metadata(format_of(path)))


def metadata(chosen: str) -> dict[str, None] | None:
    """Return savefig's metadata for ``chosen``: no date, so the same plot gives the same file."""
    return (
        {"Date": None} if chosen == "svg" else {"CreationDate": None} if chosen == "pdf" else None
    )
