"""Markdown: GitHub-flavoured, with ``$...$`` and ``$$...$$`` math; a heading per step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from sigderiv._version import __version__
from sigderiv.formats.base import (
    Format,
    Formatter,
    in_its_variable,
    result_sides,
    status_words,
    step_parts,
    tally,
    title,
    warnings,
)
from sigderiv.formats.safe import printable
from sigderiv.model.steps import CheckStatus, Derivation, Step
from sigderiv.model.words import Words
from sigderiv.printing.latex import latex

_MARKS = {CheckStatus.VERIFIED: "✓", CheckStatus.UNVERIFIED: "?", CheckStatus.FAILED: "✗"}
# Characters that Markdown (or GitHub's math) would read as markup inside prose.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|$#~])")


def prose(words: str) -> str:
    """Return plain words on one line, with Markdown's markup characters escaped."""
    return _SPECIAL.sub(r"\\\1", printable(words))


def said(words: Words) -> str:
    """Return Words on one line: the text escaped, each slot as inline math ``$...$``."""
    return words.render(inline_math, prose)


def inline_math(expr: sp.Expr) -> str:
    """Return ``expr`` as inline math, ``$...$``."""
    return f"${latex(expr)}$"


def display_math(*exprs: sp.Expr) -> str:
    """Return ``exprs`` joined by ``=`` as a display-math block, ``$$ ... $$``."""
    return "$$\n" + " = ".join(latex(e) for e in exprs) + "\n$$"


def _mark(step: Step) -> str:
    mark = "" if step.check is None else _MARKS[step.check.status]
    return f"{mark} *{prose(status_words(step.check))}*".strip()


@dataclass(frozen=True)
class MarkdownFormatter(Formatter):
    """A Markdown article: title, definitions, one ``##`` section per step, the result."""

    format: ClassVar[Format] = Format.MARKDOWN
    level: int = 1  # heading level of the title; steps are one level below

    @in_its_variable
    def render(self, derivation: Derivation) -> str:
        """Return the derivation as a Markdown article."""
        h = "#" * self.level
        parts = [f"{h} {said(title(derivation))}"]
        parts += [f"> **Note:** {prose(w)}" for w in warnings(derivation)]
        for named_f, definition in derivation.definitions:
            parts += ["where", display_math(named_f, definition)]
        parts += ["Start from", display_math(derivation.start)]
        for number, step in enumerate(derivation.steps, start=1):
            parts.append(self._step(step, f"Step {number}. ", self.level + 1))
        lhs, rhs = result_sides(derivation)
        parts += [
            f"{h}# Result",
            display_math(lhs, rhs),
            f"{tally(derivation)}. *Made by sigderiv {__version__}.*",
        ]
        return "\n\n".join(parts) + "\n"

    def render_step(self, step: Step) -> str:
        """Return one step as a Markdown section."""
        return self._step(step, "", self.level + 1) + "\n"

    def _step(self, step: Step, prefix: str, level: int) -> str:
        h = "#" * level

        def head(part: Step, letter: str | None) -> list[str]:
            label = f"#{h} ({letter}) " if letter is not None else f"{h} {prefix}"
            return [f"{label}{said(part.title)} {_mark(part)}", said(part.explanation)]

        return "\n\n".join(step_parts(step, head, display_math))
