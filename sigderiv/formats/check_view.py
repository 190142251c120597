"""The views of a checked derivation: the terminal (rich, unicode or ASCII) and JSON."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sympy as sp
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment
from rich.text import Text

from sigderiv.expr.build import tidy
from sigderiv.expr.letters import equation
from sigderiv.formats.json import words_data
from sigderiv.formats.safe import printable
from sigderiv.formats.terminal import Titled, plain_text
from sigderiv.grading.check import Line, Report, Verdict
from sigderiv.grading.slips import KINDS
from sigderiv.model.words import Words, words
from sigderiv.printing.inline import ascii_text, inline
from sigderiv.printing.latex import latex

__all__ = ["check_data", "check_json", "check_text", "check_view"]

#: The version of the JSON shape (documented in docs/check.md).
SCHEMA = "sigderiv.check/1"


_MARKS = {
    False: {Verdict.CORRECT: "✓", Verdict.WRONG: "✗", Verdict.UNKNOWN: "?"},
    True: {Verdict.CORRECT: "[ok]", Verdict.WRONG: "[x]", Verdict.UNKNOWN: "[?]"},
}
_STYLES = {Verdict.CORRECT: "bold green", Verdict.WRONG: "bold red", Verdict.UNKNOWN: "bold yellow"}


@dataclass(frozen=True)
class _Row:
    """One line of the working: number, mark and text (never wrapped or cropped), and its
    note at the right when there is room, else on the next line."""

    number: str
    mark: Text
    text: str
    width: int  # of the mark column
    note: str = ""
    style: str = ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        yield Segment(f"{self.number:>4} ")
        yield from self.mark.render(console)
        yield Segment(" " * (self.width - self.mark.cell_len + 1) + self.text)
        used = 5 + self.width + 1 + len(self.text)
        style = console.get_style(self.style) if self.style else None
        if self.note and used + 3 + len(self.note) <= options.max_width:
            yield Segment(" " * (options.max_width - used - len(self.note)))
            yield Segment(self.note, style)
        elif self.note:
            yield Segment.line()
            yield Segment(" " * (5 + self.width + 1))
            yield Segment(self.note, style)
        yield Segment.line()


@dataclass(frozen=True)
class _Note:
    """Words under a line, wrapped to the console width and indented under its text."""

    text: str
    indent: int
    style: str = ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = max(20, options.max_width - self.indent)
        style = console.get_style(self.style) if self.style else None
        for line in textwrap.wrap(self.text, width) or [""]:
            yield Segment(" " * self.indent)
            yield Segment(line, style)
            yield Segment.line()


def _derivative(report: Report) -> sp.Expr:
    """d/dx σ(x), d/dx (x² + 1): the derivative the lines are claimed equal to."""
    return sp.Derivative(report.function, report.variable, evaluate=False)


class _View:
    def __init__(self, ascii: bool) -> None:
        self.ascii = ascii
        self.width = max(len(m) for m in _MARKS[ascii].values())
        self.indent = 5 + self.width + 1

    def words(self, text: str | Words) -> str:
        """The one way words reach the view: on one line, no control characters.

        The math in Words is written inline (unicode, or its ASCII spelling).
        """
        said = text.render(inline) if isinstance(text, Words) else text
        return printable(ascii_text(said) if self.ascii else said)

    def ruler(self, heading: str | Words = "") -> Titled:
        """A rule across the view; its heading is Text, never read as rich markup."""
        return Titled(self.words(heading), "-" if self.ascii else "─")

    def heading(self, report: Report) -> Iterator[RenderableType]:
        title = words("Checking {derivative}, line by line", derivative=_derivative(report))
        yield self.ruler(title)
        yield _Row(
            str(report.function_number),
            Text(""),
            self.words(report.function_text),
            self.width,
            self.words("the function"),
            "dim",
        )

    def line(self, line: Line) -> Iterator[RenderableType]:
        mark = Text(_MARKS[self.ascii][line.status], style=_STYLES[line.status])
        text = self.words(line.text)
        if line.status is Verdict.CORRECT:
            yield _Row(str(line.number), mark, text, self.width, self.words(line.title), "dim")
            return
        yield _Row(str(line.number), mark, text, self.width)
        if line.status is Verdict.UNKNOWN:
            said = line.title + "; " + line.hint if line.title else line.hint
            yield _Note(self.words(said), self.indent, "yellow")
            return
        yield _Note(self.words(line.hint), self.indent, "red")
        example = line.counterexample
        if example is not None:
            yield _Note(
                self.words(
                    f"At {example.where()} this line is {example.line}; the derivative is "
                    f"{example.derivative}."
                ),
                self.indent,
                "dim",
            )

    def summary(self, report: Report) -> Iterator[RenderableType]:
        total = len(report.lines)
        right = report.count(Verdict.CORRECT)
        undecided = report.count(Verdict.UNKNOWN)
        yield self.ruler()
        if report.first_error is not None:
            first = next(line for line in report.lines if line.status is Verdict.WRONG)
            what = KINDS.get(first.slip or "", "")
            said = f"First error on line {report.first_error}" + (f": {what}." if what else ".")
            yield _Note(self.words(said), 0, "bold red")
        plural = "s" if total != 1 else ""
        counts = f"{right} of {total} line{plural} proven correct"
        if undecided:
            counts += f", {undecided} not decided in time"
        style = "green" if report.correct else "yellow"
        yield _Note(self.words(counts + "."), 0, style)
        result = words("{result}", result=equation(_derivative(report), tidy(report.derivative)))
        yield _Note(self.words(result), 0, "dim")


def check_view(report: Report, *, ascii: bool = False) -> RenderableType:
    """Return the checked derivation as one rich renderable: heading, lines, summary."""
    view = _View(ascii)
    parts: list[RenderableType] = [*view.heading(report)]
    for line in report.lines:
        parts.extend(view.line(line))
    parts.extend(view.summary(report))
    return Group(*parts)


def check_text(report: Report, *, ascii: bool = False, width: int = 80) -> str:
    """Return the terminal view as plain text without colour."""
    return plain_text(check_view(report, ascii=ascii), width)


def _expr(expr: sp.Expr) -> dict[str, str]:
    return {"text": inline(expr), "sympy": str(expr), "latex": latex(expr)}


def _line(line: Line) -> dict[str, Any]:
    example = line.counterexample
    return {
        "number": line.number,
        "text": line.text,
        "expr": _expr(line.expr),
        "status": line.status.value,
        "rule": line.rule.value if line.rule is not None else None,
        "title": str(line.title) or None,
        "slip": line.slip,
        "hint": str(line.hint) or None,
        "hint_parts": words_data(line.hint) if line.hint else None,
        "counterexample": None
        if example is None
        else {
            "point": dict(example.point),
            "line": example.line,
            "derivative": example.derivative,
        },
        "check": None
        if line.check is None
        else {"status": line.check.status.value, "method": line.check.method},
    }


def check_data(report: Report) -> dict[str, Any]:
    """Return the report as plain data (the JSON shape of docs/check.md)."""
    return {
        "schema": SCHEMA,
        "variable": report.variable.name,
        "function": {
            "number": report.function_number,
            "text": report.function_text,
            "expr": _expr(report.function),
        },
        "derivative": _expr(tidy(report.derivative)),
        "status": report.status.value,
        "first_error": report.first_error,
        "lines": [_line(line) for line in report.lines],
        "warnings": list(report.warnings),
    }


def check_json(report: Report) -> str:
    """Return the report as indented JSON, unicode kept."""
    return json.dumps(check_data(report), indent=2, ensure_ascii=False) + "\n"
