"""LaTeX equations that fit the page: ``align*`` rows at ``=``, then between terms.

The terms are cut from the printer's own LaTeX at its top level (outside every brace, every
``\\left … \\right`` and every ``\\begin … \\end``, which cannot span two rows), so the rows
hold exactly what the printer wrote. Widths are estimated in em from the LaTeX itself: a
letter is half an em, a fraction as wide as its wider part, a script smaller; it errs wide.
"""

from __future__ import annotations

import re

import sympy as sp

from sigderiv.printing.latex import latex
from sigderiv.printing.layout import Cut, plan

__all__ = ["WIDTH", "aligned_rows", "carried", "em"]

#: The width of display math in an 11pt article, in em of its text (345 pt at 10.95 pt).
WIDTH = 31.0

_COMMAND = re.compile(r"\\([a-zA-Z]+|.)")
_NAMES = {"log": 1.4, "ln": 1.0, "sin": 1.3, "cos": 1.5, "tan": 1.5, "exp": 1.6, "tanh": 2.0}
_SILENT = {"left", "right", "quad", "qquad", "displaystyle", ","}


def _group(tex: str, at: int) -> tuple[str, int]:
    """The brace group starting at ``tex[at]``, and where it ends (one character if no brace)."""
    if at >= len(tex) or tex[at] != "{":
        return tex[at : at + 1], at + 1
    depth = 0
    for i in range(at, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        if depth == 0:
            return tex[at + 1 : i], i + 1
    return tex[at + 1 :], len(tex)


def em(tex: str, scale: float = 1.0) -> float:
    """Return an estimate of the width of ``tex`` set as display math, in em."""
    width, i = 0.0, 0
    while i < len(tex):
        char = tex[i]
        if tex.startswith(r"\frac", i):
            top, i = _group(tex, i + 5)
            bottom, i = _group(tex, i)
            width += max(em(top, scale), em(bottom, scale)) + 0.3 * scale
        elif char in "^_":
            script, i = _group(tex, i + 1)
            width += em(script, scale * 0.7)
        elif char == "\\":
            found = _COMMAND.match(tex, i)
            name = found.group(1) if found else ""
            i = found.end() if found else i + 1
            if name not in _SILENT:
                width += scale * (_NAMES.get(name, 0.6) + (0.45 if name == "cdot" else 0))
        elif char in "{} ":
            i += 1
        else:
            width += scale * (0.9 if char in "+-=" else 0.55)
            i += 1
    return width


def _terms(tex: str) -> list[tuple[str, str]]:
    """The top-level terms of ``tex`` with the `` + `` or `` - `` before each (none first)."""
    pieces: list[tuple[str, str]] = []
    depth, start, lead = 0, 0, ""
    i = 0
    while i < len(tex):
        opens = next((w for w in (r"\left", r"\begin") if tex.startswith(w, i)), None)
        closes = next((w for w in (r"\right", r"\end") if tex.startswith(w, i)), None)
        if opens or closes:  # a pair that cannot span two rows: \left…\right, \begin…\end
            depth, i = depth + (1 if opens else -1), i + len(opens or closes or "")
            continue
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        if depth == 0 and i > start and tex[i - 1 : i + 2] in (" + ", " - "):
            pieces.append((lead, tex[start : i - 1]))
            lead, start = tex[i - 1 : i + 2], i + 2
        i += 1
    pieces.append((lead, tex[start:]))
    return pieces


def aligned_rows(*exprs: sp.Expr, width: float = WIDTH) -> list[str]:
    """Return the rows of an ``align*`` for ``exprs`` joined by ``=``, each about ``width`` em.

    A row is ``lhs &= …``, ``&= …`` or ``&\\quad {} + …`` (a term carried on), so every
    ``=`` stands under the first and a carried term under the first right-hand side.
    """
    sides = [_terms(latex(e)) for e in exprs]
    cuts = [[Cut(em(lead), em(lead), em(body), 0) for lead, body in pieces] for pieces in sides]
    laid = plan(cuts, width, 1.8, 1.3, 1.0)

    def text(side: int, start: int, stop: int) -> str:
        pieces = sides[side][start:stop]
        head = pieces[0][1] if start == 0 else f"{{}}{pieces[0][0].rstrip()} {pieces[0][1]}"
        return head + "".join(lead + body for lead, body in pieces[1:])

    if laid.mode == "line":
        whole = [text(line.side, line.start, line.stop) for line in laid.lines]
        return [" &= ".join(whole) if len(whole) > 1 else f"& {whole[0]}"]
    rows: list[str] = []
    for line in laid.lines:
        body = text(line.side, line.start, line.stop)
        if laid.mode == "aligned":
            left = text(0, 0, len(sides[0])) + " " if not rows else ""
            rows.append(f"{left}&= {body}" if line.start == 0 else f"&\\quad {body}")
        elif line.side == 0:
            rows.append(f"& {body}" if line.start == 0 else f"&\\qquad {body}")
        else:
            rows.append(f"&\\quad= {body}" if line.start == 0 else f"&\\qquad {body}")
    return rows


def carried(expr: sp.Expr, width: float) -> list[str]:
    """Return ``expr`` as the pieces of rows ``width`` em wide: its terms, carried on."""
    pieces = _terms(latex(expr))
    cuts = [[Cut(em(lead), em(lead), em(body), 0) for lead, body in pieces]]
    rows = []
    for line in plan(cuts, width, 1.8, 1.3, 0.0).lines:
        part = pieces[line.start : line.stop]
        head = part[0][1] if line.start == 0 else f"{{}}{part[0][0].rstrip()} {part[0][1]}"
        rows.append(head + "".join(lead + body for lead, body in part[1:]))
    return rows
