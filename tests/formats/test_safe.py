"""Words made safe to print: one line, control characters and bidi controls as escapes."""

from __future__ import annotations

import pytest

from sigderiv.formats.safe import printable, printable_lines


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        ("The quotient rule", "The quotient rule"),
        ("σ(x)(1 − σ(x)) 😀", "σ(x)(1 − σ(x)) 😀"),
        ("a\nb\r\nc\x85d\u2028e\u2029f\vg\fh\ti", "a b c d e f g h i"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("\x9b2J", "\\x9b2J"),
        ("abc\u202edef\u2066", "abc\\u202edef\\u2066"),
        ("\x00\x07\x7f", "\\x00\\x07\\x7f"),
        ("\ud800", "\\ud800"),
    ],
)
def test_printable(words: str, shown: str) -> None:
    assert printable(words) == shown


def test_printable_lines_keeps_the_lines_of_math() -> None:
    assert printable_lines(" 1\n---\nx\x1b") == " 1\n---\nx\\x1b"
