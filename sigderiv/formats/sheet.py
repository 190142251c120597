"""An exercise sheet: many problems' derivations in one page, document, article or JSON Lines.

A sheet is a title and each problem's section in input order: the section is the problem's
derivation as the single-derivation format writes it (the HTML page's article, the LaTeX
document's body, the Markdown article a level down), or the error that stopped it. Each
section is rendered where its problem was derived (:func:`piece`, in the bounded worker);
:func:`sheet` only puts them together. JSON Lines has no sheet: each problem is one line,
:func:`record`, written as it finishes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePath
from typing import Any

from sigderiv._version import __version__
from sigderiv.model.steps import Derivation

__all__ = ["SheetEntry", "SheetFormat", "piece", "record", "sheet"]


class SheetFormat(str, Enum):
    """What a sheet is written as; the output file's extension chooses."""

    HTML = "html"
    LATEX = "latex"
    MARKDOWN = "markdown"
    JSONL = "jsonl"

    @classmethod
    def from_path(cls, path: str | PurePath) -> SheetFormat | None:
        """Return the format a file name's extension asks for (.html .tex .md .jsonl)."""
        return _SUFFIXES.get(PurePath(path).suffix.lower())


_SUFFIXES = {
    ".html": SheetFormat.HTML,
    ".htm": SheetFormat.HTML,
    ".tex": SheetFormat.LATEX,
    ".md": SheetFormat.MARKDOWN,
    ".markdown": SheetFormat.MARKDOWN,
    ".jsonl": SheetFormat.JSONL,
}


@dataclass(frozen=True)
class SheetEntry:
    """One problem on the sheet: its line and text, and its section or its error."""

    line: int
    text: str
    piece: str | None = None  # the derivation's section, from :func:`piece`
    kind: str | None = None  # the error's class name, when there is no derivation
    message: str | None = None


def piece(chosen: SheetFormat, line: int, derivation: Derivation) -> Any:
    """Return the problem's section in ``chosen`` (the JSON document's data for JSON Lines)."""
    if chosen is SheetFormat.HTML:
        from sigderiv.formats.html import HtmlFormatter

        html = HtmlFormatter(fragment=True, styled=False, plot=False, anchor=f"line{line}-")
        return html.article(derivation)
    if chosen is SheetFormat.LATEX:
        from sigderiv.formats.latex import LatexFormatter

        return LatexFormatter().body(derivation)
    if chosen is SheetFormat.MARKDOWN:
        from sigderiv.formats.markdown import MarkdownFormatter

        return MarkdownFormatter(level=2).render(derivation)
    from sigderiv.formats.json import document

    return document(derivation)


def record(entry: SheetEntry, data: dict[str, Any] | None = None) -> str:
    """Return one JSON Lines record: line, input, then the JSON document or the error."""
    head: dict[str, Any] = {"line": entry.line, "input": entry.text}
    if data is None:
        head["error"] = {"kind": entry.kind, "message": entry.message}
    else:
        head.update(data)
    return json.dumps(head, ensure_ascii=False, allow_nan=False) + "\n"


def _heading(entries: Sequence[SheetEntry], source: str) -> tuple[str, str]:
    """The sheet's title and its line under it, as plain words."""
    failed = sum(1 for e in entries if e.piece is None)
    count = f"{len(entries)} problem{'s' if len(entries) != 1 else ''} from {source}"
    tail = f"; {failed} could not be derived" if failed else ""
    return "Exercise sheet", f"{count}, every step checked by SymPy{tail}."


def _problem(entry: SheetEntry) -> str:
    """The words that head a problem's section: its line and what it says there."""
    return f"Line {entry.line}: {entry.text}"


def _error(entry: SheetEntry) -> str:
    return f"Could not derive this line: {entry.message} ({entry.kind})"


def sheet(chosen: SheetFormat, entries: Sequence[SheetEntry], source: str) -> str:
    """Return the sheet: a title, then each entry's section in the order given."""
    ordered = sorted(entries, key=lambda e: e.line)
    if chosen is SheetFormat.HTML:
        return _html(ordered, source)
    if chosen is SheetFormat.LATEX:
        return _latex(ordered, source)
    if chosen is SheetFormat.MARKDOWN:
        return _markdown(ordered, source)
    raise ValueError("JSON Lines is written a record at a time: see record()")


def _html(entries: Sequence[SheetEntry], source: str) -> str:
    from sigderiv.formats.html import escape, page

    heading, lede = _heading(entries, source)
    parts = ["<main>", "<header>", f"<h1>{escape(heading)}</h1>"]
    parts += [f'<p class="lede">{escape(lede)}</p>', "</header>"]
    for entry in entries:
        shown = entry.piece or f'<p class="note">{escape(_error(entry))}</p>'
        parts += [
            f'<section class="problem" id="line{entry.line}">',
            f'<p class="lede">Line {entry.line}: <code>{escape(entry.text)}</code></p>',
            shown,
            "</section>",
        ]
    parts += [f"<footer>Made by sigderiv {escape(__version__)}.</footer>", "</main>"]
    return page(escape(heading), "\n".join(parts))


def _latex(entries: Sequence[SheetEntry], source: str) -> str:
    from sigderiv.formats.latex import PREAMBLE, text

    heading, lede = _heading(entries, source)
    lines = [*PREAMBLE, "", f"{{\\LARGE\\bfseries {text(heading)}}}", "", text(lede), ""]
    for entry in entries:
        lines += [r"\bigskip", f"\\emph{{{text(_problem(entry))}}}", ""]
        lines += [entry.piece if entry.piece is not None else text(_error(entry)), ""]
    lines += [r"\end{document}", ""]
    return "\n".join(lines)


def _markdown(entries: Sequence[SheetEntry], source: str) -> str:
    from sigderiv.formats.markdown import prose

    heading, lede = _heading(entries, source)
    parts = [f"# {prose(heading)}", prose(lede)]
    for entry in entries:
        parts.append(f"*{prose(_problem(entry))}*")
        if entry.piece is not None:
            parts.append(entry.piece.rstrip("\n"))
        else:
            parts.append(f"> **{prose(_error(entry))}**")
    parts.append(f"*Made by sigderiv {__version__}.*")
    return "\n\n".join(parts) + "\n"
