"""A command's output made in the bounded worker, within what is left of the command's bound.

The command line derives in the bounded worker, then renders there too: the page, the
terminal view (for a console like the caller's, see :class:`Screen`) or the plot image
comes back as text or bytes, and the caller only writes it. So ``--timeout`` bounds the
whole command, rendering and plotting included, and a renderer that would take minutes
ends in a TimeoutError at the deadline like a derivation does.
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from sigderiv.errors import TimeoutError
from sigderiv.formats.base import Format
from sigderiv.input.limits import MEMORY
from sigderiv.model.steps import Derivation
from sigderiv.sandbox.bound import run_bounded

__all__ = ["Deadline", "Screen", "formatted", "plot_image", "terminal_text"]


@dataclass(frozen=True)
class Screen:
    """How the caller's terminal shows rich output, for a console in the worker to copy."""

    width: int
    color_system: str | None
    terminal: bool
    no_color: bool
    ascii: bool
    encoding: str = "utf-8"


class _Buffer(io.StringIO):
    """A text buffer that says which encoding it stands for (rich picks glyphs by it)."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def terminal_text(derivation: Derivation, screen: Screen) -> str:
    """Return the terminal view as the caller's console would print it."""
    from rich.console import Console

    from sigderiv.formats.terminal import terminal_view
    from sigderiv.printing.order import in_variable

    console = Console(
        file=_Buffer(screen.encoding),
        width=screen.width,
        color_system=screen.color_system,  # type: ignore[arg-type]
        force_terminal=screen.terminal,
        no_color=screen.no_color,
        highlight=False,
        emoji=False,
        safe_box=screen.ascii,
    )
    with in_variable(derivation.variable, derivation.partial):
        console.print(terminal_view(derivation, ascii=screen.ascii), crop=False)
    return console.file.getvalue()  # type: ignore[attr-defined]


def formatted(derivation: Derivation, chosen: Format, options: dict[str, Any]) -> str:
    """Return the derivation in the format ``chosen``, its formatter built with ``options``."""
    from sigderiv.formats import formatter
    from sigderiv.formats.data import prepared

    return prepared(formatter(chosen, **options), derivation).render(derivation)


def plot_image(
    derivation: Derivation,
    suffix: str,
    lo: float,
    hi: float,
    given: Mapping[str, float] | None = None,
) -> bytes:
    """Return the plot of :mod:`sigderiv.formats.plot` as the bytes of an image file.

    ``given`` values the names other than the variable (``{"k": 2.0}``).
    """
    from sigderiv.formats.data import figure_lines
    from sigderiv.formats.plot import figure, format_of, metadata

    chosen = format_of(suffix)
    drawn = figure_lines(derivation, lo, hi, given)  # sampled first: the figure only draws
    buffer = io.BytesIO()
    figure(derivation, drawn, lo, hi).savefig(buffer, format=chosen, metadata=metadata(chosen))
    return buffer.getvalue()


@dataclass(frozen=True)
class Deadline:
    """The wall-clock bound of one whole command, shared by the calls that make it up."""

    timeout: float
    started: float

    @classmethod
    def start(cls, timeout: float) -> Deadline:
        """Return the deadline ``timeout`` seconds from now."""
        return cls(timeout, time.monotonic())

    def run(self, fn: Any, *args: Any, what: str) -> Any:
        """Return ``fn(*args)`` from the bounded worker, within what is left of the bound."""
        left = self.timeout - (time.monotonic() - self.started)
        if left <= 0:
            raise TimeoutError(f"{what} ran out of its time bound of {self.timeout:.3g} s")
        try:
            return run_bounded(partial(fn, *args), left, memory=MEMORY, what=what)
        except TimeoutError:
            raise TimeoutError(
                f"{what} ran out of its time bound of {self.timeout:.3g} s"
            ) from None
