"""Hostile words in every text field of a derivation, and what each format must make of them."""

from __future__ import annotations

import re
from dataclasses import replace

from sigderiv import Derivation, render
from sigderiv.model.steps import Check, Step

#: Every format a derivation renders to, with its options.
FORMATS: dict[str, dict[str, object]] = {
    "terminal": {},
    "terminal-ascii": {"ascii": True},
    "text": {},
    "latex": {},
    "latex-fragment": {"fragment": True},
    "markdown": {},
    "html": {"plot": False},
    "html-fragment": {"fragment": True, "plot": False},
}

#: The colour codes the terminal format writes itself: SGR, ESC [ ... m.
_SGR = re.compile(r"\x1b\[[0-9;]*m")
#: What must never reach a terminal or a file: C0 and C1 controls but newline, and bidi controls.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: TeX commands that read files, run programs or redefine things, live outside a comment.
_LIVE_TEX = re.compile(r"(?<!\\textbackslash\{\})\\(input|include|write|immediate|def|catcode)\b")


def with_words(derivation: Derivation, words: str) -> Derivation:
    """Return ``derivation`` with ``words`` in every text field a renderer shows."""

    def step(s: Step) -> Step:
        check = s.check
        if check is not None:
            check = Check(check.status, words, check.seconds, words, check.counterexample)
        return replace(
            s,
            title=words,
            explanation=words,
            check=check,
            substeps=tuple(step(sub) for sub in s.substeps),
        )

    return replace(
        derivation,
        steps=tuple(step(s) for s in derivation.steps),
        warnings=(words, f"{words} again"),
        name=words,
    )


def rendered(derivation: Derivation) -> dict[str, str]:
    """Return the derivation in every format of FORMATS."""
    out = {}
    for label, options in FORMATS.items():
        fmt = label.split("-")[0]
        out[label] = render(derivation, fmt, **options)
    return out


def live_tex(document: str) -> list[str]:
    """Return the lines of a LaTeX text with what is left of each once its comment is cut."""
    return [re.split(r"(?<!\\)%", line, maxsplit=1)[0] for line in document.splitlines()]


def assert_safe(label: str, output: str, clean: str) -> None:
    """``output`` (hostile words) is as safe as ``clean`` (the same derivation, usual words)."""
    shown = _SGR.sub("", output) if label.startswith("terminal") else output
    assert not _UNSAFE.search(shown), (label, _UNSAFE.search(shown))
    assert "\x1b]8" not in output  # no OSC 8 hyperlink
    if label.startswith("latex"):
        assert not any(_LIVE_TEX.search(line) for line in live_tex(output)), label
        # words never add a line: each field stays on the line (or the comment) it was given
        assert len(output.splitlines()) == len(clean.splitlines()), label
    if label.startswith("html"):
        assert "<script" not in output.replace("<script>", "", output.count("<script>"))
        assert output.count("<") == clean.count("<"), label  # words add no element
    if label == "markdown":
        assert len(output.split("\n\n")) == len(clean.split("\n\n"))
