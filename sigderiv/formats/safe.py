"""Text that is safe to print: no control characters, no bidi overrides, no line breaks.

A derivation's words (titles, explanations, warnings, the name) and the messages of errors
can come from elsewhere: a JSON document, a learner's file, a library caller. Each output
format escapes its own markup (rich, LaTeX, Markdown) in one place; that place first passes
the words through :func:`printable`, so that no escape sequence reaches a terminal, no
newline ends a LaTeX comment or a Markdown paragraph, and no U+202E turns text around.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["printable", "printable_lines"]

#: Characters that reorder the text around them (the Unicode Bidi_Control property).
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Everything a terminal, TeX or a Markdown reader may take as the end of a line.
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK = re.compile(f"[{_BREAKS}\t]+")


def _shown(char: str) -> str:
    """Return a character that is unsafe to print as its Python escape, e.g. ``\\x1b``."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _unsafe(char: str) -> bool:
    """True for control characters (C0, DEL, C1), surrogates and bidi controls."""
    return char in _BIDI or unicodedata.category(char) in ("Cc", "Cs")


def printable(text: str) -> str:
    """Return ``text`` on one line, line breaks and tabs as spaces, controls as escapes."""
    flat = _BREAK.sub(" ", text)
    if all(c.isprintable() for c in flat):  # the common case: nothing to look at
        return flat
    return "".join(_shown(c) if _unsafe(c) else c for c in flat)


def printable_lines(text: str) -> str:
    """Return ``text`` with its lines kept, each made :func:`printable`."""
    return "\n".join(printable(line) for line in text.split("\n"))
