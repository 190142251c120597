"""The one error family that sigderiv raises."""

from __future__ import annotations


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
        """Return the input line with a caret under the offending character, or ''."""
        if self.position is None or not self.text or "\n" in self.text:
            return ""
        return f"{self.text}\n{' ' * self.position}^"


class LimitError(SigderivError):
    """Input or work beyond one of our documented limits."""


class UnsupportedError(SigderivError):
    """A well-formed expression that the engine has no rule for yet."""


class VerificationError(SigderivError):
    """A step whose identity check failed: a bug in a rule, never shown as output."""

    exit_code = 1


class TimeoutError(SigderivError):
    """Work that ran out of its time bound."""

    exit_code = 3
