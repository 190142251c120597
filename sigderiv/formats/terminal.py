"""The terminal view: a rich renderable of the derivation, unicode or plain ASCII."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import sympy as sp
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.rule import Rule as Ruler
from rich.segment import Segment
from rich.text import Text

from sigderiv.formats.base import (
    LETTERS,
    Format,
    Formatter,
    in_its_variable,
    lone_local,
    result_sides,
    shown_substeps,
    substep_sides,
    tally,
    title,
)
from sigderiv.formats.safe import printable, printable_lines
from sigderiv.model.steps import CheckStatus, Derivation, Step
from sigderiv.model.words import Words
from sigderiv.printing.inline import ascii_text, inline
from sigderiv.printing.layout import fit
from sigderiv.printing.order import in_variable

_MARKS = {
    False: {CheckStatus.VERIFIED: "✓", CheckStatus.UNVERIFIED: "?", CheckStatus.FAILED: "✗"},
    True: {CheckStatus.VERIFIED: "[ok]", CheckStatus.UNVERIFIED: "[?]", CheckStatus.FAILED: "[x]"},
}
_STYLES = {
    CheckStatus.VERIFIED: "bold green",
    CheckStatus.UNVERIFIED: "bold yellow",
    CheckStatus.FAILED: "bold red",
}


#: Joins the parts of one piece of inline math, so a paragraph never breaks inside it.
_KEEP = "\u00a0"


def _unbroken(expr: sp.Basic) -> str:
    """Return ``expr`` as inline math whose spaces do not break a line (until it is laid out)."""
    return inline(expr).replace(" ", _KEEP)


@dataclass(frozen=True)
class Math:
    """Two-dimensional math joined by ``=``, indented, broken to fit the console's width.

    It breaks where a teacher would (see :mod:`sigderiv.printing.layout`), never inside a
    piece: only a piece wider than the width on its own runs past it, and is never cropped.
    """

    exprs: tuple[sp.Expr, ...]
    ascii: bool = False
    indent: int = 4

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        pad = " " * self.indent
        width = max(20, options.max_width - self.indent)
        for line in printable_lines(fit(*self.exprs, width=width, ascii=self.ascii)).split("\n"):
            yield Segment((pad + line).rstrip())
            yield Segment.line()


@dataclass(frozen=True)
class Heading:
    """A step's heading: its label, then its words and mark, wrapped under the words."""

    label: Text
    words: Text
    indent: int = 0

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        hang = self.indent + self.label.cell_len
        for i, line in enumerate(self.words.wrap(console, max(20, options.max_width - hang))):
            line.rstrip()
            yield Segment(" " * self.indent)
            yield from (self.label if i == 0 else Text(" " * self.label.cell_len)).render(console)
            yield from line.render(console)
            yield Segment.line()


@dataclass(frozen=True)
class Titled:
    """A rule across the view with its heading in it, or above the heading when it is long.

    Rich's rule would cut a long heading short with …; a heading is never cut.
    """

    text: str
    characters: str = "─"

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        if len(self.text) + 6 <= options.max_width:
            yield Ruler(Text(self.text), characters=self.characters, style="bold")
            return
        yield Ruler(characters=self.characters, style="bold")
        yield Prose(self.text, 0, "bold")


@dataclass(frozen=True)
class Prose:
    """A paragraph wrapped to the console width, indented, with no trailing spaces."""

    text: str
    indent: int = 3
    style: str = ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = max(20, options.max_width - self.indent)
        for line in textwrap.wrap(self.text, width) or [""]:
            yield Segment(" " * self.indent)
            yield Segment(
                line.replace(_KEEP, " "), console.get_style(self.style) if self.style else None
            )
            yield Segment.line()


class _View:
    """Builds the renderables of one derivation in unicode or ASCII."""

    def __init__(self, ascii: bool) -> None:
        self.ascii = ascii

    def words(self, text: str | Words) -> str:
        """The one way words reach the view: on one line, no control characters.

        The math in Words is written inline (unicode, or its ASCII spelling).
        """
        said = text.render(inline) if isinstance(text, Words) else text
        return printable(ascii_text(said) if self.ascii else said)

    def prose(self, text: str | Words, indent: int) -> Prose:
        """A paragraph that breaks between words, never inside a piece of math."""
        said = text.render(_unbroken) if isinstance(text, Words) else text
        return Prose(self.words(said), indent)

    def math(self, *exprs: sp.Expr, indent: int = 4) -> Math:
        return Math(exprs, self.ascii, indent)

    def ruler(self, heading: str | Words = "") -> Titled:
        """A rule across the view; its heading is Text, never read as rich markup."""
        return Titled(self.words(heading), "-" if self.ascii else "─")

    def mark(self, step: Step) -> Text:
        if step.check is None:
            return Text("")
        status = step.check.status
        label = _MARKS[self.ascii][status]
        detail = "" if status is CheckStatus.VERIFIED else f" {step.check.status}"
        if step.check.detail and status is not CheckStatus.VERIFIED:
            detail += f": {step.check.detail}"
        return Text(f"{label}{self.words(detail)}", style=_STYLES[status])

    def heading(self, derivation: Derivation) -> Iterator[RenderableType]:
        yield self.ruler(title(derivation))
        yield Text("")
        for named, definition in derivation.definitions:
            yield Text(self.words("where"), style="dim")
            yield self.math(named, definition)
        yield Text(self.words("Start from"), style="dim")
        yield self.math(derivation.start)

    def step(self, number: int, step: Step) -> Iterator[RenderableType]:
        words = Text(self.words(step.title), style="bold")
        words.append("  ")
        words.append_text(self.mark(step))
        yield Text("")
        yield Heading(Text(f"Step {number}. ", style="bold cyan"), words)
        yield self.prose(step.explanation, 3)
        shown = shown_substeps(step)
        local = lone_local(step)
        if local is not None:
            yield self.math(*local, indent=6)
        for letter, sub in zip(LETTERS, shown, strict=False):
            yield from self.substep(letter, sub)
        if shown:
            yield Text("   " + self.words("Together:"), style="dim")
        yield self.math(step.before, step.after)

    def substep(self, letter: str, sub: Step) -> Iterator[RenderableType]:
        words = Text(self.words(sub.title), style="bold")
        words.append("  ")
        words.append_text(self.mark(sub))
        yield Heading(Text(f"({letter}) ", style="cyan"), words, 3)
        yield self.prose(sub.explanation, 7)
        yield self.math(*substep_sides(sub), indent=8)

    def result(self, derivation: Derivation) -> Iterator[RenderableType]:
        yield Text("")
        yield self.ruler("Result")
        yield self.math(*result_sides(derivation))
        proofs = tally(derivation)
        yield Text(self.words(str(proofs)), style="green" if proofs.complete else "yellow")


def terminal_view(derivation: Derivation, *, ascii: bool = False) -> RenderableType:
    """Return the derivation as one rich renderable: heading, numbered steps, result."""
    view = _View(ascii)
    parts: list[RenderableType] = [*view.heading(derivation)]
    for number, step in enumerate(derivation.steps, start=1):
        parts.extend(view.step(number, step))
    parts.extend(view.result(derivation))
    return Group(*parts)


def plain_text(renderable: RenderableType, width: int) -> str:
    """Return a rich renderable as plain text without colour, ``width`` columns wide."""
    console = Console(
        file=io.StringIO(), width=width, color_system=None, force_terminal=False, emoji=False
    )
    with console.capture() as capture:
        console.print(renderable, crop=False)
    return capture.get()


def render_text(derivation: Derivation, *, ascii: bool = True, width: int = 80) -> str:
    """Return the terminal view as plain text without colour (ASCII unless told otherwise)."""
    with in_variable(derivation.variable, derivation.partial):
        return plain_text(terminal_view(derivation, ascii=ascii), width)


@dataclass(frozen=True)
class TerminalFormatter(Formatter):
    """The terminal view as a string: unicode math, with ANSI colour unless ``color`` is off."""

    format: ClassVar[Format] = Format.TERMINAL
    ascii: bool = False
    color: bool = True
    width: int = 80

    @in_its_variable
    def render(self, derivation: Derivation) -> str:
        """Return the terminal view, as the terminal would show it."""
        return printed(terminal_view(derivation, ascii=self.ascii), self)


def printed(renderable: RenderableType, like: TerminalFormatter) -> str:
    """Return a renderable as ``like`` prints: its width, colour and ASCII setting."""
    console = Console(
        file=io.StringIO(),  # never this process's stdout: a worker may have none
        width=like.width,
        color_system="standard" if like.color else None,
        force_terminal=like.color,
        no_color=not like.color,
        highlight=False,
        emoji=False,
        safe_box=like.ascii,
    )
    with console.capture() as capture:
        console.print(renderable, crop=False)
    return capture.get()


def gradient_view(
    rows: tuple[tuple[sp.Expr, sp.Expr], ...], summary: tuple[sp.Expr, ...], *, ascii: bool
) -> RenderableType:
    """The gradient after its derivations: each partial derivative, then the vector."""
    view = _View(ascii)
    parts: list[RenderableType] = [Text(""), view.ruler("Gradient")]
    parts += [view.math(lhs, rhs) for lhs, rhs in rows]
    parts.append(view.math(*summary))
    return Group(*parts)


@dataclass(frozen=True)
class TextFormatter(Formatter):
    """Plain text without colour, ASCII unless told otherwise: for pipes and logs."""

    format: ClassVar[Format] = Format.TEXT
    ascii: bool = True
    width: int = 80

    def render(self, derivation: Derivation) -> str:
        """Return the terminal view as plain text (render_text orders by its variable)."""
        return render_text(derivation, ascii=self.ascii, width=self.width)
