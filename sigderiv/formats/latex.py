"""LaTeX: a standalone document (pdflatex, amsmath only) or an ``align*`` block for a paper."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar

import sympy as sp
from sympy.printing.pretty.pretty_symbology import greek_unicode

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
from sigderiv.printing.latex_layout import WIDTH, aligned_rows, carried, em

# Capital Greek letters that look like Latin ones have no command of their own in LaTeX.
_LATIN_LOOKALIKES = {
    "Alpha": "A",
    "Beta": "B",
    "Epsilon": "E",
    "Zeta": "Z",
    "Eta": "H",
    "Iota": "I",
    "Kappa": "K",
    "Mu": "M",
    "Nu": "N",
    "Omicron": "O",
    "Rho": "P",
    "Tau": "T",
    "Chi": "X",
    "omicron": "o",
}

# Text-mode spellings of what prose may contain: TeX's specials and the unicode of inline math.
_TEXT: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
    "<": r"$<$",
    ">": r"$>$",
    "|": r"$|$",
    "−": "$-$",
    "·": r"$\cdot$",
    "⋅": r"$\cdot$",
    "×": r"$\times$",
    "′": "$'$",
    "²": "$^2$",
    "³": "$^3$",
    "√": r"$\surd$",
    "≠": r"$\neq$",
    "≤": r"$\leq$",
    "≥": r"$\geq$",
    "±": r"$\pm$",
    "∞": r"$\infty$",
    "→": r"$\to$",
    "…": r"\ldots{}",
    "–": "--",
    "—": "---",
    "“": "``",
    "”": "''",
    "‘": "`",
    "’": "'",
    "✓": "",
    **{
        char: "$" + _LATIN_LOOKALIKES.get(name, "\\" + name) + "$"
        for name, char in greek_unicode.items()
        if name not in ("lamda", "Lamda")
    },
}
_TEXT_SPECIAL = re.compile("|".join(re.escape(k) for k in sorted(_TEXT, key=len, reverse=True)))

_STATUS_SHORT = {
    CheckStatus.VERIFIED: "proven",
    CheckStatus.UNVERIFIED: "not proven",
    CheckStatus.FAILED: "failed",
}


def text(words: str | Words) -> str:
    """Return prose as LaTeX text: one line, specials escaped, each slot of Words as ``\\(…\\)``."""
    if isinstance(words, Words):
        return words.render(lambda expr: rf"\({latex(expr)}\)", text)
    escaped = _TEXT_SPECIAL.sub(lambda m: _TEXT[m.group()], printable(words))
    # Anything else outside ASCII: its closest ASCII letters, so pdflatex never stops on it.
    plain = unicodedata.normalize("NFKD", escaped).encode("ascii", "ignore").decode()
    return plain.replace("$$", "")


def equation(*exprs: sp.Expr) -> str:
    """Return ``exprs`` joined by ``=`` as an ``align*`` block, broken to fit the page.

    A long one goes on at ``=`` first, each ``=`` under the first, then between terms
    (:func:`sigderiv.printing.latex_layout.aligned_rows`); a line break only between two
    rows, so no row is empty.
    """
    body = " \\\\\n  ".join(aligned_rows(*exprs))
    return f"\\begin{{align*}}\n  {body}\n\\end{{align*}}"


def comment(words: str | Words, indent: str = "") -> str:
    """Return ``words`` as one ``%`` comment line: a line break could end it, so none is left."""
    return f"{indent}% {printable(str(words))}"


def _short(step: Step) -> str:
    return "not checked" if step.check is None else _STATUS_SHORT[step.check.status]


#: A standalone document's lines up to its body: pdflatex and amsmath only.
PREAMBLE = (
    f"% Made by sigderiv {__version__}: every step checked by SymPy.",
    r"\documentclass[11pt]{article}",
    r"\usepackage{amsmath}",
    r"\setlength{\parindent}{0pt}",
    r"\setlength{\parskip}{0.5\baselineskip}",
    # prose holds inline math, which breaks only after = and +: let a line stretch a little
    # more rather than run past the margin
    r"\setlength{\emergencystretch}{3em}",
    r"\begin{document}",
)


@dataclass(frozen=True)
class LatexFormatter(Formatter):
    """A standalone ``article`` (pdflatex, amsmath only), or with ``fragment`` an align* block."""

    format: ClassVar[Format] = Format.LATEX
    fragment: bool = False

    @in_its_variable
    def render(self, derivation: Derivation) -> str:
        """Return the document, or the ``align*`` block when ``fragment`` is set."""
        return self._fragment(derivation) if self.fragment else self._document(derivation)

    def render_step(self, step: Step) -> str:
        """Return one step as LaTeX text and display math (no preamble)."""
        return "\n".join(self._step(None, step))

    # ---- the standalone document --------------------------------------------------------------

    def _document(self, derivation: Derivation) -> str:
        return "\n".join([*PREAMBLE, "", self.body(derivation), r"\end{document}", ""])

    @in_its_variable
    def body(self, derivation: Derivation) -> str:
        """Return the derivation's part of a document (a sheet's problem): title to result."""
        lines = [f"\\section*{{{text(title(derivation))}}}"]
        lines += [f"\\emph{{Note: {text(w)}}}" for w in warnings(derivation)]
        for named, definition in derivation.definitions:
            lines += ["where", equation(named, definition)]
        lines += ["Start from", equation(derivation.start)]
        for number, step in enumerate(derivation.steps, start=1):
            lines += ["", *self._step(number, step)]
        lhs, rhs = result_sides(derivation)
        lines += [
            "",
            r"\subsection*{Result}",
            equation(lhs, rhs),
            f"{text(str(tally(derivation)))}.",
            "",
        ]
        return "\n".join(lines)

    def _step(self, number: int | None, step: Step) -> list[str]:
        def head(part: Step, letter: str | None) -> list[str]:
            if letter is not None:
                heading = f"\\subsubsection*{{({letter}) {text(part.title)}}}"
            elif number is None:
                heading = f"\\subsection*{{{text(part.title)}}}"
            else:
                heading = f"\\subsection*{{Step {number}. {text(part.title)}}}"
            status = f"\\emph{{{text(status_words(part.check))}.}}"
            return [heading, status, text(part.explanation)]

        return step_parts(step, head, equation)

    # ---- the align* block -----------------------------------------------------------------------

    def _fragment(self, derivation: Derivation) -> str:
        lines = [comment(f"{title(derivation)}, by sigderiv {__version__}; {tally(derivation)}.")]
        lines += [comment(f"Note: {w}") for w in warnings(derivation)]
        for named, definition in derivation.definitions:
            lines.append(comment(f"where {latex(named)} = {latex(definition)}"))
        lines.append(r"\begin{align*}")
        last = len(derivation.steps)
        for number, step in enumerate(derivation.steps, start=1):
            lhs = latex(derivation.start) if number == 1 else ""
            tag = f"Step {number}: {text(step.title)} ({_short(step)})"
            end = "" if number == last else r" \\"
            # the tag stays on the step's first row: its terms leave it room, and a tag that
            # leaves too little is the step's number (its title is in the comment above)
            left = WIDTH - em(latex(derivation.start)) - 3.0  # the left column, every row
            if left - 0.5 * len(tag) < min(em(latex(step.after)), 12.0):
                tag = f"Step {number} ({_short(step)})"
            room = left - 0.5 * len(tag)
            first, *more = carried(step.after, max(room, 8.0))
            rows = [f"  {lhs} &= {first} \\tag*{{{tag}}}".replace("   &", "  &")]
            rows += [f"  &\\quad {row}" for row in more]
            lines += [
                comment(
                    f"Step {number}. {step.title} [{status_words(step.check, method=True)}]", "  "
                ),
                comment(step.explanation, "  "),
                " \\\\\n".join(rows) + end,
            ]
        lines += [r"\end{align*}", ""]
        return "\n".join(lines)
