"""The one error family that sigderiv raises."""

from __future__ import annotations

import os
import traceback
import unicodedata


class SigderivError(Exception):
    """Base of every error sigderiv raises on purpose; the CLI maps it to an exit code."""

    exit_code: int = 2


class ParseError(SigderivError):
    """Text that is not an expression we accept; ``position`` is a 0-based column."""

    def __init__(self, message: str, text: str = "", position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = position

    def caret(self) -> str:
        """Return the input line with a caret under the offending character, or ''.

        The line is safe to print: control and invisible characters show as ``?`` (so no
        terminal escape sequence gets through), wide characters move the caret two columns,
        and a long line is cut to a window around the position.
        """
        if self.position is None or not self.text or not 0 <= self.position <= len(self.text):
            return ""
        start = self.text.rfind("\n", 0, self.position) + 1
        stop = self.text.find("\n", self.position)
        line = self.text[start : len(self.text) if stop < 0 else stop]
        column = self.position - start
        left = max(0, column - _CARET_WINDOW // 2)
        right = min(len(line), left + _CARET_WINDOW)
        shown = ("..." if left else "") + "".join(_shown(c) for c in line[left:right])
        shown += "..." if right < len(line) else ""
        before = ("..." if left else "") + "".join(_shown(c) for c in line[left:column])
        return f"{shown}\n{' ' * _width(before)}^"


#: Characters of the input shown around the position of a parse error.
_CARET_WINDOW = 72


def _shown(char: str) -> str:
    """Return ``char`` as it is safe to print in one line: invisible ones become '?'."""
    category = unicodedata.category(char)
    if char == "\t" or category == "Zs":
        return " "
    if category[0] in "CZ" or category in ("Mn", "Me"):
        return "?"
    return char


def _width(text: str) -> int:
    """Return the terminal columns ``text`` takes: wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class LimitError(SigderivError):
    """Input or work beyond one of our documented limits."""


class UnsupportedError(SigderivError):
    """A well-formed expression that the engine has no rule for yet."""


class VerificationError(SigderivError):
    """A step whose identity check failed: a bug in a rule, never shown as output."""

    exit_code = 70  # sysexits' EX_SOFTWARE: an internal error


class TimeoutError(SigderivError):
    """Work that ran out of its time bound."""

    exit_code = 3


def raised_in_sympy(exc: BaseException) -> bool:
    """True when ``exc`` was raised inside SymPy's code (lerchphi(x) with one argument)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and f"{os.sep}sympy{os.sep}" in frames[-1].filename
