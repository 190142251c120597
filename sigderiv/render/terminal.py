"""The terminal view: a rich renderable of the derivation, unicode or plain ASCII."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

import sympy as sp
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.rule import Rule as Ruler
from rich.segment import Segment
from rich.text import Text

from ..display import ascii_text, derivative, inline, pretty
from ..steps import CheckStatus, Derivation, Step

_MARKS = {
    False: {CheckStatus.VERIFIED: "✓", CheckStatus.UNVERIFIED: "?", CheckStatus.FAILED: "✗"},
    True: {CheckStatus.VERIFIED: "[ok]", CheckStatus.UNVERIFIED: "[?]", CheckStatus.FAILED: "[x]"},
}
_STYLES = {
    CheckStatus.VERIFIED: "bold green",
    CheckStatus.UNVERIFIED: "bold yellow",
    CheckStatus.FAILED: "bold red",
}


@dataclass(frozen=True)
class Math:
    """A block of two-dimensional math, indented and never wrapped or cropped."""

    text: str
    indent: int = 4

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        pad = " " * self.indent
        for line in self.text.splitlines():
            yield Segment(pad + line.rstrip())
            yield Segment.line()


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
            yield Segment(line, console.get_style(self.style) if self.style else None)
            yield Segment.line()


class _View:
    """Builds the renderables of one derivation in unicode or ASCII."""

    def __init__(self, ascii: bool) -> None:
        self.ascii = ascii

    def words(self, text: str) -> str:
        return ascii_text(text) if self.ascii else text

    def prose(self, text: str, indent: int) -> Prose:
        return Prose(self.words(text), indent)

    def math(self, *exprs: sp.Expr, indent: int = 4) -> Math:
        return Math(pretty(*exprs, ascii=self.ascii), indent)

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
        x = derivation.variable
        named = derivation.named_function
        what = (
            inline(derivation.function)
            if named is None
            else f"the {derivation.name} {inline(named)}"
        )
        title = f"The derivative of {what}"
        title += f" with respect to {x}"
        yield Ruler(self.words(title), characters="-" if self.ascii else "─", style="bold")
        yield Text("")
        for named, definition in derivation.definitions:
            yield Text(self.words("where"), style="dim")
            yield self.math(named, definition)
        yield Text(self.words("Start from"), style="dim")
        yield self.math(derivation.start)

    def step(self, number: int, step: Step) -> Iterator[RenderableType]:
        title = Text(f"Step {number}. ", style="bold cyan")
        title.append(self.words(step.title), style="bold")
        title.append("  ")
        title.append_text(self.mark(step))
        yield Text("")
        yield title
        yield self.prose(step.explanation, 3)
        shown = step.substeps if len(step.substeps) > 1 else ()
        if len(step.substeps) == 1 and step.substeps[0].local is not None:
            yield self.math(*step.substeps[0].local, indent=6)
        for letter, sub in zip("abcdefghijklmnopqrstuvwxyz", shown, strict=False):
            yield from self.substep(letter, sub)
        if shown:
            yield Text("   " + self.words("Together:"), style="dim")
        yield self.math(step.before, step.after)

    def substep(self, letter: str, sub: Step) -> Iterator[RenderableType]:
        line = Text(f"   ({letter}) ", style="cyan")
        line.append(self.words(sub.title), style="bold")
        line.append("  ")
        line.append_text(self.mark(sub))
        yield line
        yield self.prose(sub.explanation, 7)
        shown = sub.local if sub.local is not None else (sub.before, sub.after)
        yield self.math(*shown, indent=8)

    def result(self, derivation: Derivation) -> Iterator[RenderableType]:
        final = derivation.steps[-1].after
        yield Text("")
        yield Ruler(self.words("Result"), characters="-" if self.ascii else "─", style="bold")
        named = derivation.named_function
        lhs = derivation.start if named is None else derivative(named, derivation.variable)
        yield self.math(lhs, final)
        total = sum(1 for _ in derivation.walk())
        proven = sum(1 for s in derivation.walk() if s.verified)
        summary = f"{proven} of {total} steps proven by SymPy"
        style = "green" if proven == total else "yellow"
        yield Text(self.words(summary), style=style)


def terminal_view(derivation: Derivation, *, ascii: bool = False) -> RenderableType:
    """Return the derivation as one rich renderable: heading, numbered steps, result."""
    view = _View(ascii)
    parts: list[RenderableType] = [*view.heading(derivation)]
    for number, step in enumerate(derivation.steps, start=1):
        parts.extend(view.step(number, step))
    parts.extend(view.result(derivation))
    return Group(*parts)


def render_text(derivation: Derivation, *, ascii: bool = True, width: int = 100) -> str:
    """Return the terminal view as plain text without colour (ASCII unless told otherwise)."""
    console = Console(width=width, color_system=None, force_terminal=False, record=True)
    with console.capture() as capture:
        console.print(terminal_view(derivation, ascii=ascii), crop=False)
    return capture.get()
