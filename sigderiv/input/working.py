"""Read a learner's working: the function, then one claimed form of its derivative per line.

Plain text goes through :func:`sigderiv.input.parse.parse`; LaTeX first through our own
:mod:`sigderiv.input.latex`. On top of the parser this module reads what a derivation
adds: ``d/dx (...)`` for a pending derivative, ``=`` at the start of a line or between
forms, labels such as ``f(x) =``, ``f'(x) =`` or ``dy/dx =``, blank lines and ``#`` comments.
Errors point at the column of the line the learner typed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import sympy as sp

from sigderiv.errors import LimitError, ParseError
from sigderiv.expr.functions import lookup
from sigderiv.input import guard
from sigderiv.input.latex import looks_like_latex, translate
from sigderiv.input.limits import check_lines
from sigderiv.input.parse import FUNCTIONS, parse, read

__all__ = ["MAX_LINES", "Working", "Written", "read_working"]

#: Most claimed forms one check reads.
MAX_LINES = 100


@dataclass(frozen=True)
class Written:
    """One expression as the learner wrote it: where, the text, its value and its shape."""

    number: int  # 1-based line number in the input
    text: str  # the line as typed, comment and surrounding spaces removed
    value: sp.Expr  # the expression, evaluated the usual SymPy way
    form: sp.Expr | None = None  # the same, unevaluated: 1 + e^(−x) − 1 stays as written


@dataclass(frozen=True)
class Working:
    """The function to differentiate and the forms claimed equal to its derivative."""

    variable: sp.Symbol
    function: sp.Expr
    given: Written  # the first line; its value is the function
    claims: tuple[Written, ...]
    one_names: tuple[str, ...] = ()  # words read as one symbol each (xy when y is unknown)

    @property
    def start(self) -> sp.Expr:
        """The derivative every claim is compared with, unevaluated: d/dx f."""
        return sp.Derivative(self.function, self.variable, evaluate=False)


@dataclass(frozen=True)
class _Text:
    """A piece of a line with, for each character, its column in the line."""

    text: str
    cols: tuple[int, ...]

    def col(self, index: int) -> int:
        if 0 <= index < len(self.cols):
            return self.cols[index]
        return self.cols[-1] + 1 if self.cols else 0

    def __getitem__(self, item: slice) -> _Text:
        return _Text(self.text[item], self.cols[item])

    def strip(self) -> _Text:
        start = len(self.text) - len(self.text.lstrip())
        return self[start : len(self.text.rstrip())]

    def __add__(self, other: _Text) -> _Text:
        return _Text(self.text + other.text, self.cols + other.cols)


def _plain(text: str, col: int) -> _Text:
    return _Text(text, (col,) * len(text))


_OPEN, _CLOSE = "([{", ")]}"
_DERIVATIVE = re.compile(
    r"\(\s*d\s*/\s*d\s*([A-Za-z][A-Za-z0-9_]*)\s*\)|(?<![A-Za-z0-9_])d\s*/\s*d\s*([A-Za-z][A-Za-z0-9_]*)"
)
_NAME = r"[A-Za-zσ][A-Za-z0-9_]*"
_PRIME = r"(?:'|′|\^\s*\\?prime)+"
_PLACEHOLDER = "Dpending"


def _labels(var: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return (label of a function, label of a derivative) patterns for the variable."""
    at = rf"(?:\s*\(\s*{re.escape(var)}\s*\))?"
    function = re.compile(rf"\s*{_NAME}{at}\s*")
    derivative = re.compile(
        rf"\s*(?:{_NAME}\s*{_PRIME}{at}|d\s*{_NAME}?\s*/\s*d\s*{re.escape(var)})\s*"
    )
    return function, derivative


def _split_equals(text: _Text, width: int) -> list[tuple[_Text, int, int]]:
    """Split at each '=' outside brackets; return (part, start, end) with typed columns.

    ``start:end`` is the part's span in the typed line (``width`` long without its
    comment), so a LaTeX part is shown as typed. '==', '<=', ... are left to the parser.
    """
    cuts: list[int] = []
    depth = 0
    s = text.text
    for i, char in enumerate(s):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
        elif char == "=" and depth == 0:
            neighbours = s[i - 1 : i] + s[i + 1 : i + 2]
            if "=" in neighbours or (i and s[i - 1] in "<>!"):
                continue
            cuts.append(i)
    bounds = [-1, *cuts, len(s)]
    parts = []
    for left, right in itertools.pairwise(bounds):
        start = 0 if left < 0 else text.col(left) + 1
        end = width if right == len(s) else text.col(right)
        parts.append((text[left + 1 : right], start, end))
    return parts


def _matching(s: str, open_at: int) -> int | None:
    """Return the index of the bracket closing the one at ``open_at``."""
    depth = 0
    for i in range(open_at, len(s)):
        if s[i] in _OPEN:
            depth += 1
        elif s[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return None


_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"


_WORD = re.compile(r"[0-9.]+|[A-Za-zσπ√][A-Za-z0-9_]*")
_NAME_POWER = re.compile(r"\s*(?:\^|\*\*)\s*[0-9]+|[²³⁴⁵⁶⁷⁸⁹]+")


def _bare_function(s: str, j: int) -> int | None:
    """If a function name written without brackets starts at ``j``, return where it ends."""
    match = _WORD.match(s, j)
    if match is None or match.group() not in FUNCTIONS:
        return None
    end = match.end()
    power = _NAME_POWER.match(s, end)
    after = power.end() if power is not None else end
    rest = s[after:].lstrip()
    return None if not rest or rest[0] in "(" else after


def _operand_end(s: str, i: int) -> int:
    """Return the end of the factor starting at ``i``: sin(x), x^2, e^(-x), 3, (…)^2.

    A function written without brackets takes its argument as the parser does (see
    docs/input.md): from ``sin 2x cos x`` the operand is ``sin 2x``.
    """
    j = _bare_function(s, i)
    if j is None:
        return _factor_end(s, i)
    end, started = j, False
    while True:
        k = j
        while k < len(s) and s[k].isspace():
            k += 1
        if k >= len(s) or s[k] in "+-*/,=)]}":
            return end
        bare = _bare_function(s, k)
        if bare is not None:
            if started:
                return end  # sin x cos x: cos starts a factor of its own
            j = end = bare  # sin sin x: the argument goes on
            continue
        after = _factor_end(s, k)
        if after == k:
            return end
        end = j = after
        started = True


def _factor_end(s: str, i: int) -> int:
    """Return the end of one factor starting at ``i``: sin(x), x^2, e^(-x), 3, (…)^2."""

    def primary(j: int) -> int:
        if j < len(s) and s[j] in _OPEN:
            close = _matching(s, j)
            return len(s) if close is None else close + 1
        match = _WORD.match(s, j)
        if match is None:
            return j
        j = match.end()
        if match.group() in FUNCTIONS and s[j:].lstrip().startswith("("):
            j = len(s) - len(s[j:].lstrip())  # sin (x), as the parser reads it
        if j < len(s) and s[j] == "(" and not match.group()[0].isdigit():
            close = _matching(s, j)
            return len(s) if close is None else close + 1
        return j

    end = primary(i)
    while end > i and end < len(s):
        if s[end] in _SUPERSCRIPTS:
            end += 1
            continue
        power = re.compile(r"\s*(?:\^|\*\*)\s*-?").match(s, end)
        if power is None:
            break
        after = primary(power.end())
        if after == power.end():
            break
        end = after
    return end


class _Reader:
    """Parses one line (or one part of it) into value and form, with pending derivatives."""

    def __init__(self, line: str, number: int, var: sp.Symbol, known: tuple[str, ...] = ()) -> None:
        self.line = line
        self.number = number
        self.var = var
        self.known = (var.name, *known)  # a word of these letters is their product: 2xy
        self.one_names: list[str] = []  # the words read as one symbol each

    def error(self, message: str, position: int | None) -> ParseError:
        return ParseError(f"line {self.number}: {message}", self.line, position)

    def read(self, text: _Text) -> tuple[sp.Expr, sp.Expr | None]:
        """Return (value, form) of ``text``; d/dx(u) becomes Derivative(u, x).

        Each d/dx(u) stands in the text as a placeholder name while it is parsed, so the
        name is refused in what the learner typed, before any placeholder is put in.
        """
        pieces: list[_Text] = []
        pending: dict[sp.Symbol, tuple[sp.Expr, sp.Expr | None]] = {}
        s = text.text
        if _PLACEHOLDER in s.replace(" ", ""):
            at = max(s.find(_PLACEHOLDER), 0)
            raise self.error(f"the name {_PLACEHOLDER} is reserved", text.col(at))
        i = 0
        for match in _DERIVATIVE.finditer(s):
            if match.start() < i:
                continue
            name = match.group(1) or match.group(2)
            if name != self.var.name:
                raise self.error(
                    f"d/d{name}: this derivation is in {self.var.name} (use var= to change it)",
                    text.col(match.start()),
                )
            j = match.end()
            while j < len(s) and s[j].isspace():
                j += 1
            if j < len(s) and s[j] in _OPEN:
                close = _matching(s, j)
                if close is None:
                    raise self.error(f"'{s[j]}' is never closed", text.col(j))
                inner, end = text[j + 1 : close], close + 1
            elif not s[: match.start()].strip():
                inner, end = text[j:], len(s)
            else:
                end = _operand_end(s, j)
                inner = text[j:end]
            if not inner.text.strip():
                raise self.error("nothing to differentiate after d/d" + name, text.col(j))
            if _DERIVATIVE.search(inner.text):
                raise self.error(
                    "one d/d" + name + " at a time: a derivative inside a derivative is not "
                    "supported",
                    text.col(match.start()),
                )
            symbol = sp.Symbol(f"{_PLACEHOLDER}{len(pending)}")
            pending[symbol] = self.read(inner)
            before = s[: match.start()].rstrip()
            star = "*" if before and (before[-1].isalnum() or before[-1] == "_") else ""
            pieces.append(text[i : match.start()])
            pieces.append(_plain(f"{star}({symbol.name})", text.col(match.start())))
            i = end
        pieces.append(text[i:])
        joined = pieces[0]
        for piece in pieces[1:]:
            joined = joined + piece
        return self.parse(joined, pending)

    def parse(
        self, text: _Text, pending: dict[sp.Symbol, tuple[sp.Expr, sp.Expr | None]]
    ) -> tuple[sp.Expr, sp.Expr | None]:
        """Parse ``text`` twice (evaluated and as written) and put the derivatives in."""
        try:
            reading = read(text.text, self.known)
        except ParseError as error:
            position = None if error.position is None else text.col(error.position)
            raise self.error(error.message, position) from None
        except LimitError as error:
            raise LimitError(f"line {self.number}: {error}") from None
        self.one_names.extend(n for n in reading.one_names if n not in self.one_names)
        x = self.var
        value = reading.expr.xreplace(
            {s: sp.Derivative(v, x, evaluate=False) for s, (v, _) in pending.items()}
        )
        form: sp.Expr | None
        try:
            with sp.evaluate(False):
                form = parse(text.text, self.known)
                if any(f is None for _, f in pending.values()):
                    form = None
                else:
                    form = form.xreplace(
                        {s: sp.Derivative(f, x, evaluate=False) for s, (_, f) in pending.items()}
                    )
        except Exception:  # the shape is a nicety: without it, rules are matched by value
            form = None
        return value, form


def _original(line: str, start: int, end: int) -> str:
    """Return the characters of ``line`` from ``start`` to ``end``, as typed."""
    return line[start:end].strip().removesuffix("\\\\").strip()


def _lines(lines: str | Iterable[str]) -> list[str]:
    """The lines of the text, or of the iterable; LimitError past MAX_INPUT_LINES."""
    if isinstance(lines, str):
        result = lines.removeprefix("\ufeff").splitlines()  # a byte order mark is no text
        check_lines(len(result), "the derivation")
        return result
    result = []
    for line in lines:
        if not isinstance(line, str):
            raise TypeError(f"check() expects lines of text, not {type(line).__name__}")
        result.extend(line.splitlines() or [""])
        check_lines(len(result), "the derivation")  # an endless iterable stops here
    return result


_LATEX_COMMENT = re.compile(r"(?<!\\)%")


def _content(line: str) -> tuple[_Text, int]:
    """The part of ``line`` before a comment (``#``; ``%`` in LaTeX), LaTeX translated, with
    columns; and its width."""
    cut = line.find("#")
    body = line if cut < 0 else line[:cut]
    if body.lstrip().startswith("%"):
        return _Text("", ()), 0
    if looks_like_latex(body):
        percent = _LATEX_COMMENT.search(body)
        body = body if percent is None else body[: percent.start()]
        return _Text(*_latex(body, line)), len(body)
    return _Text(body, tuple(range(len(body)))), len(body)


def _latex(body: str, line: str) -> tuple[str, tuple[int, ...]]:
    try:
        text, cols = translate(body.rstrip().removesuffix("\\\\"))
    except ParseError as error:
        raise ParseError(error.message, line, error.position) from None
    return text, tuple(cols)


def _symbols(function: sp.Expr) -> set[sp.Symbol]:
    """The symbols of the function, the names a later line's word such as xy is made of."""
    return {s for s in function.free_symbols if isinstance(s, sp.Symbol)}


def _variable(var: str | sp.Symbol) -> sp.Symbol:
    return guard.variable(var)


def read_working(lines: str | Iterable[str], var: str | sp.Symbol = "x") -> Working:
    """Read the function and the claimed forms; raise ParseError or LimitError if unreadable."""
    x = _variable(var)
    function_label, derivative_label = _labels(x.name)
    given: Written | None = None
    function: sp.Expr | None = None
    claims: list[Written] = []
    one_names: list[str] = []
    for number, line in enumerate(_lines(lines), start=1):
        try:
            content, width = _content(line)
        except ParseError as error:
            raise ParseError(f"line {number}: {error.message}", line, error.position) from None
        if not content.text.strip():
            continue
        known = () if function is None else tuple(sorted(s.name for s in _symbols(function)))
        reader = _Reader(line, number, x, known)
        parts = _split_equals(content, width)
        if given is None:
            if len(parts) > 1 and function_label.fullmatch(parts[0][0].text):
                parts = parts[1:]  # f(x) = ..., y = ...
            first = parts[0][0].strip()
            entry = lookup(first.text)
            if entry is not None:
                value, form = entry.apply(x), entry.apply(x)
            else:
                if not first.text:
                    raise reader.error("the first line is the function to differentiate", 0)
                value, form = reader.read(first)
                if isinstance(value, sp.Derivative):
                    value = value.expr
                    form = form.expr if isinstance(form, sp.Derivative) else None
                elif value.has(sp.Derivative):
                    raise reader.error(
                        "the first line is the function, or d/dx of it; nothing else",
                        first.col(0),
                    )
            function = value
            given = Written(number, _original(line, parts[0][1], parts[0][2]), value, form)
            parts = parts[1:]
        elif len(parts) > 1 and (
            not parts[0][0].text.strip() or derivative_label.fullmatch(parts[0][0].text)
        ):
            parts = parts[1:]  # = ..., f'(x) = ..., dy/dx = ...
        start = sp.Derivative(function, x, evaluate=False)
        for part, begin, end in parts:
            if not part.text.strip():
                raise reader.error("an expression is missing around '='", part.col(0) - 1)
            value, form = reader.read(part.strip())
            if value == start:
                continue  # d/dx f itself, restated
            claims.append(Written(number, _original(line, begin, end), value, form))
            if len(claims) > MAX_LINES:
                raise LimitError(f"more than MAX_LINES = {MAX_LINES} forms to check")
        one_names.extend(n for n in reader.one_names if n not in one_names)
    if given is None or function is None:
        raise ParseError("empty input: write the function on the first line", "", 0)
    if not claims:
        raise ParseError(
            "nothing to check: after the function, write one line per step of its derivative",
            given.text,
            None,
        )
    return Working(x, function, given, tuple(claims), tuple(one_names))
