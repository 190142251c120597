"""Translate the small LaTeX a learner types into the plain text our parser reads.

Our own translator, never SymPy's LaTeX parser: it knows a short list of commands
(``\\frac``, ``\\sqrt``, ``\\left(``, ``\\cdot``, ``\\sigma``, ``\\exp``, ``\\ln``, ``\\tanh``,
``\\frac{d}{dx}``, ...), turns braces into parentheses and refuses every other command with
a :class:`~sigderiv.errors.ParseError` that names it and points at it. The result goes
through :func:`sigderiv.input.parse.parse` like any typed text.
"""

from __future__ import annotations

import re

from sigderiv.errors import ParseError
from sigderiv.input.parse import CONSTANTS, FUNCTIONS

__all__ = ["looks_like_latex", "translate"]

#: Function commands, written as the name our parser knows.
FUNCTION_COMMANDS: dict[str, str] = {
    **{
        name: name
        for name in [
            "exp",
            "ln",
            "log",
            "sin",
            "cos",
            "tan",
            "cot",
            "sec",
            "csc",
            "sinh",
            "cosh",
            "tanh",
            "coth",
            "arcsin",
            "arccos",
            "arctan",
            "arcsinh",
            "arccosh",
            "arctanh",
            "erf",
        ]
    },
    "sigma": "σ",
    "operatorname": "",  # \operatorname{softplus}: the name in braces (handled below)
}

#: Symbol commands and what they stand for in plain text.
SYMBOL_COMMANDS: dict[str, str] = {
    "cdot": "*",
    "times": "*",
    "ast": "*",
    "div": "/",
    "pi": "pi",
    **{
        name: name
        for name in [
            "alpha",
            "beta",
            "gamma",
            "delta",
            "epsilon",
            "zeta",
            "eta",
            "theta",
            "iota",
            "kappa",
            "mu",
            "nu",
            "xi",
            "rho",
            "tau",
            "phi",
            "chi",
            "psi",
            "omega",
        ]
    },
}

#: Commands that only change spacing or size: dropped.
SPACING = frozenset(
    [",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "textstyle", "limits"]
)
_SIZES = frozenset(
    [
        "big",
        "Big",
        "bigg",
        "Bigg",
        "bigl",
        "Bigl",
        "biggl",
        "Biggl",
        "bigr",
        "Bigr",
        "biggr",
        "Biggr",
        "left",
        "right",
    ]
)
_OPENERS = {"(": "(", "[": "(", "\\{": "(", "\\lbrace": "(", "\\langle": "(", "|": "abs("}
_CLOSERS = {")": ")", "]": ")", "\\}": ")", "\\rbrace": ")", "\\rangle": ")", "|": ")"}

_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.S)
_BARE_ARGUMENT = re.compile(r"[0-9.]*[A-Za-z]*")
_OPERATORS = frozenset(["cdot", "times", "ast", "div"])
_WORD = re.compile(r"[A-Za-z]+")
_DERIVATIVE_BELOW = re.compile(r"d([A-Za-z]\w*)")


def looks_like_latex(text: str) -> bool:
    """True when ``text`` uses LaTeX: a backslash command or braces."""
    return "\\" in text or "{" in text or "}" in text


class _Out:
    """The translated text and, for each of its characters, the column it came from."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.cols: list[int] = []

    def emit(self, text: str, col: int) -> None:
        self.parts.append(text)
        self.cols.extend([col] * len(text))

    def extend(self, other: _Out) -> None:
        self.parts.extend(other.parts)
        self.cols.extend(other.cols)

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Translator:
    """A recursive walk over the LaTeX source that writes plain text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def error(self, message: str, position: int) -> ParseError:
        return ParseError(message, self.text, position)

    def peek_command(self) -> tuple[str, int] | None:
        """Return (name, end) of the command at the cursor, if one starts there."""
        match = _COMMAND.match(self.text, self.i)
        return (match.group(1), match.end()) if match else None

    def skip_space(self) -> None:
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1

    def sequence(self, closer: str | None) -> _Out:
        """Translate until ``closer`` (a '}' of the group being read) or the end."""
        out = _Out()
        while self.i < len(self.text):
            char = self.text[self.i]
            if char == "}":
                if closer == "}":
                    return out
                raise self.error("unmatched '}'", self.i)
            self.item(out)
        if closer is not None:
            raise self.error("'{' is never closed", len(self.text))
        return out

    def group(self) -> tuple[_Out, int]:
        """Read one argument: a braced group or a single character or command."""
        self.skip_space()
        start = self.i
        if self.i >= len(self.text):
            raise self.error("missing argument", self.i)
        if self.text[self.i] == "{":
            self.i += 1
            inner = self.sequence("}")
            self.i += 1  # the closing brace
            return inner, start
        out = _Out()
        self.item(out)
        return out, start

    def item(self, out: _Out) -> None:
        """Translate one item at the cursor into ``out``."""
        text, i = self.text, self.i
        char = text[i]
        if char == "\\":
            self.command(out)
        elif char == "{":
            inner, start = self.group()
            out.emit("(", start)
            out.extend(inner)
            out.emit(")", self.i - 1)
        elif char in "[]":
            out.emit("(" if char == "[" else ")", i)
            self.i += 1
        elif char == "^":
            self.superscript(out)
        elif char == "_":
            raise self.error("subscripts ('_') are not supported", i)
        elif char == "~":
            out.emit(" ", i)
            self.i += 1
        elif char.isascii() and char.isalpha():
            match = _WORD.match(text, i)
            assert match is not None
            word = match.group()
            if word in FUNCTIONS or word in CONSTANTS:
                out.emit(f" {word}", i)
            else:  # in LaTeX, letters side by side are a product: kx is k·x
                for k, letter in enumerate(word):
                    out.emit(letter + (" " if k + 1 < len(word) else ""), i + k)
            self.i = match.end()
        else:
            out.emit(char, i)
            self.i += 1

    def superscript(self, out: _Out) -> None:
        """x^2, x^{n+1}, e^{-x}, e^-x: the exponent in parentheses unless a plain number."""
        start = self.i
        out.emit("^", start)
        self.i += 1
        self.skip_space()
        sign = self.i < len(self.text) and self.text[self.i] == "-"  # e^-x, as people mean it
        if sign:
            self.i += 1
            self.skip_space()
        if self.i >= len(self.text):
            raise self.error("missing exponent after '^'", start)
        at = self.i
        char = self.text[at]
        if char in "{\\":
            inner, at = self.group()
        else:  # without braces, TeX takes one character: e^xy is e^x·y, x^23 is x^2·3
            inner = _Out()
            inner.emit(char, at)
            self.i += 1
        if inner.text.strip().isdigit() and not sign:
            out.emit(inner.text.strip(), at)
            out.emit(" ", at)
            return
        out.emit("(-" if sign else "(", at)
        out.extend(inner)
        out.emit(")", max(at, self.i - 1))

    def command(self, out: _Out) -> None:
        """Translate the command at the cursor."""
        found = self.peek_command()
        assert found is not None
        name, end = found
        start = self.i
        self.i = end
        if name in SPACING:
            out.emit(" ", start)
        elif name in ("frac", "dfrac", "tfrac"):
            self.fraction(out, start)
        elif name == "sqrt":
            self.root(out, start)
        elif name in _SIZES:
            self.delimiter(out, start, name)
        elif name in ("lvert", "rvert", "vert", "mid"):
            out.emit("abs(" if name == "lvert" else ")", start)
            if name in ("vert", "mid"):
                raise self.error(f"write |x| as \\left|x\\right|, not with \\{name}", start)
        elif name in ("{", "}"):
            out.emit("(" if name == "{" else ")", start)
        elif name == "\\":
            out.emit(" ", start)  # an align environment's line break
        elif name in ("mathrm", "text", "mathit", "operatorname"):
            inner, at = self.group()
            out.emit(f" {inner.text.replace(' ', '')}", at)
            self.function_argument(out, inner.text.replace(" ", ""))
        elif name in FUNCTION_COMMANDS:
            out.emit(f" {FUNCTION_COMMANDS[name]}", start)
            self.function_argument(out, name)
        elif name in SYMBOL_COMMANDS:
            out.emit(f" {SYMBOL_COMMANDS[name]} ", start)
        else:
            raise self.error(f"unknown LaTeX command \\{name}", start)

    def function_argument(self, out: _Out, name: str) -> None:
        """Read a bracketless argument as the parser does: \\ln x -> ln x, \\sin 2xy -> sin 2x y."""
        if name not in FUNCTIONS and name not in FUNCTION_COMMANDS:
            return  # \mathrm{e}, \mathrm{d}: not a function
        self.skip_space()
        if self.text.startswith("^", self.i):
            self.superscript(out)
            self.skip_space()
        if self.i >= len(self.text):
            return
        char = self.text[self.i]
        if char in "({[" or self.text.startswith(("\\left", "\\big", "\\Big"), self.i):
            return
        out.emit(" ", self.i)  # the parser applies it: \sin 2x \cos x is sin(2x)·cos(x)
        if char == "\\":
            return
        match = _BARE_ARGUMENT.match(self.text, self.i)
        if match is None or not match.group():
            return
        word = match.group()
        for k, letter in enumerate(word):  # 2xy is 2·x·y
            spaced = letter.isalpha() and k + 1 < len(word)
            out.emit(letter + (" " if spaced else ""), self.i + k)
        self.i = match.end()

    def fraction(self, out: _Out, start: int) -> None:
        """\\frac{a}{b} -> ((a)/(b)); \\frac{d}{dx} -> d/dx."""
        top, _ = self.group()
        bottom, bottom_at = self.group()
        upper = top.text.replace(" ", "")
        lower = bottom.text.replace(" ", "")
        below = _DERIVATIVE_BELOW.fullmatch(lower)
        if upper == "d" and below is not None:
            out.emit(f"d/d{below.group(1)}", start)
            out.emit(" ", self.i - 1)
            return
        if upper.startswith("d^") and lower.startswith("d"):
            raise self.error("only first derivatives can be checked", start)
        out.emit("((", start)
        out.extend(top)
        out.emit(")/(", bottom_at)
        out.extend(bottom)
        out.emit("))", self.i - 1)

    def root(self, out: _Out, start: int) -> None:
        """\\sqrt{a} -> sqrt(a); \\sqrt[n]{a} -> root(a, n)."""
        self.skip_space()
        index: _Out | None = None
        if self.i < len(self.text) and self.text[self.i] == "[":
            close = self.text.find("]", self.i)
            if close < 0:
                raise self.error("'[' is never closed", self.i)
            inner = _Translator(self.text[:close])
            inner.i = self.i + 1
            index = inner.sequence(None)
            self.i = close + 1
        body, _ = self.group()
        out.emit("sqrt(" if index is None else "root(", start)
        out.extend(body)
        if index is not None:
            out.emit(", ", self.i - 1)
            out.extend(index)
        out.emit(")", self.i - 1)

    def delimiter(self, out: _Out, start: int, name: str) -> None:
        """\\left( \\right) \\left[ \\right] \\left| \\bigl( ...: the bracket itself."""
        self.skip_space()
        found = self.peek_command() if self.text.startswith("\\", self.i) else None
        if found is not None:
            token, end = "\\" + found[0], found[1]
        elif self.i < len(self.text):
            token, end = self.text[self.i], self.i + 1
        else:
            raise self.error(f"\\{name} needs a delimiter after it", start)
        if token == ".":
            self.i = end
            return
        if name == "left" or name.endswith("l"):
            opening = True
        elif name == "right" or name.endswith("r"):
            opening = False
        elif token in _OPENERS and token not in _CLOSERS:
            opening = True
        elif token in _CLOSERS and token not in _OPENERS:
            opening = False
        else:
            raise self.error(f"write \\bigl{token} or \\bigr{token}: which side is it?", start)
        table = _OPENERS if opening else _CLOSERS
        if token not in table:
            raise self.error(f"unknown delimiter {token!r} after \\{name}", self.i)
        out.emit(table[token], start)
        self.i = end


def translate(text: str) -> tuple[str, list[int]]:
    """Return (plain text, column map) for LaTeX ``text``; raise ParseError on what we refuse.

    ``columns[i]`` is the column in ``text`` that character ``i`` of the plain text came
    from, so an error found later can point at the LaTeX the learner typed.
    """
    text = text.replace("&", " ")  # an align environment's alignment marks
    out = _Translator(text).sequence(None)
    return out.text, out.cols
