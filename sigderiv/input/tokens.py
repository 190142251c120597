"""The tokenizer: text to tokens, unicode operators, superscripts, implicit products, refusals."""

from __future__ import annotations

import keyword
import re
import unicodedata
from dataclasses import dataclass

from sigderiv.errors import LimitError, ParseError
from sigderiv.input.vocabulary import CONSTANTS, FUNCTIONS, UNDEFINED_VALUES, close_match

# Non-ASCII names we accept (π, σ, ...), longest first so the tokenizer matches greedily.
_UNICODE_NAMES: tuple[str, ...] = tuple(
    sorted((n for n in (*FUNCTIONS, *CONSTANTS) if not n.isascii()), key=len, reverse=True)
)

#: Single characters that are tokens of their own, with their kind.
_PUNCTUATION: dict[str, str] = {"(": "lpar", ")": "rpar", ",": "comma"}

#: The comparisons a condition of ``piecewise(...)`` is made of: <, <=, >, >=, ≤, ≥.
_COMPARISONS: dict[str, str] = {"<": "<", ">": ">", "\u2264": "<=", "\u2265": ">="}

_UNICODE_OPERATORS: dict[str, str] = {
    "\u2212": "-",  # − MINUS SIGN
    "\u2013": "-",  # – EN DASH
    "\u00d7": "*",  # × MULTIPLICATION SIGN
    "\u00b7": "*",  # · MIDDLE DOT
    "\u22c5": "*",  # ⋅ DOT OPERATOR
    "\u2217": "*",  # ∗ ASTERISK OPERATOR
    "\u00f7": "/",  # ÷ DIVISION SIGN
    "\u221a": "~",  # √ SQUARE ROOT (a prefix operator; '~' never comes from the user)
}

_SUPERSCRIPT_DIGITS: dict[str, str] = {
    "\u2070": "0",
    "\u00b9": "1",
    "\u00b2": "2",
    "\u00b3": "3",
    "\u2074": "4",
    "\u2075": "5",
    "\u2076": "6",
    "\u2077": "7",
    "\u2078": "8",
    "\u2079": "9",
}
_SUPERSCRIPT_MINUS = "\u207b"

_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_PLACEHOLDER = re.compile(r"_(\d+)", re.ASCII)
_ASCII_SPACE = frozenset(" \t\n\r")
_DIGITS = frozenset("0123456789")

_KEYWORD_MESSAGES: dict[str, str] = {
    "lambda": "lambda expressions are not allowed",
    "and": "boolean operators are not allowed ('and')",
    "or": "boolean operators are not allowed ('or')",
    "not": "boolean operators are not allowed ('not')",
    "if": "conditional expressions are not allowed ('if')",
    "else": "conditional expressions are not allowed ('else')",
    "for": "comprehensions and loops are not allowed ('for')",
    "in": "comparisons are not allowed ('in')",
    "is": "comparisons are not allowed ('is')",
}

_ASCII_MESSAGES: dict[str, str] = {
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    "`": "strings are not allowed",
    "[": "square brackets are not allowed (no subscripts or lists)",
    "]": "square brackets are not allowed (no subscripts or lists)",
    "{": "braces are not allowed (no sets or dicts)",
    "}": "braces are not allowed (no sets or dicts)",
    "&": "bitwise operators are not allowed",
    "|": "bitwise operators are not allowed",
    "~": "bitwise operators are not allowed",
}


#: Deepest nesting of parentheses, prefix signs, square roots and powers.
MAX_DEPTH = 60


@dataclass(slots=True)
class _Token:
    """One token: its kind, its canonical value, the original text and original column."""

    kind: str  # "num", "name", "op", "lpar", "rpar" or "comma"
    value: str  # canonical text: digits, name, "+", "-", "*", "/", "**", "~", "(", ")", ","
    text: str  # the characters the user typed
    pos: int  # 0-based column of ``text`` in the original input
    superscript: bool = False  # a number written with superscript digits
    call: bool = False  # an opening parenthesis that starts a function's arguments

    @property
    def end(self) -> int:
        """Return the column just after this token in the original input."""
        return self.pos + len(self.text)


def _describe(char: str) -> str:
    """Return "character 'c' (NAME, U+XXXX)", escaping invisible characters."""
    category = unicodedata.category(char)
    code = ord(char)
    shown = char
    if category[0] in "CZ":
        shown = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
        if code > 0xFFFF:
            shown = f"\\U{code:08x}"
    name = unicodedata.name(char, "")
    if not name:
        name = "control character" if category == "Cc" else "unnamed character"
    return f"character '{shown}' ({name}, U+{code:04X})"


def _hint(char: str) -> str:
    """Return a short suggestion for a refused non-ASCII character, or ''."""
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and folded.isascii() and folded.isprintable() and folded.strip():
        return f"; did you mean '{folded}'?"
    name = unicodedata.name(char, "")
    for prefix, style in (("GREEK SMALL LETTER ", str.lower), ("GREEK CAPITAL LETTER ", str.title)):
        if name.startswith(prefix) and " " not in name[len(prefix) :]:
            return f"; write its name, '{style(name[len(prefix) :])}', instead"
    return ""


def _refuse_character(text: str, i: int, tokens: list[_Token]) -> ParseError:
    """Return the error for a character that no token can start with."""
    char = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if char == "=" or (char == "!" and nxt == "="):
        if nxt == "=" or char == "!":
            return ParseError("comparisons are not allowed", text, i)
        depth = sum(t.kind == "lpar" for t in tokens) - sum(t.kind == "rpar" for t in tokens)
        if depth > 0 and tokens and tokens[-1].kind == "name":
            return ParseError("keyword arguments are not allowed", text, i)
        return ParseError(
            "'=' is not allowed: enter an expression, not an equation or assignment", text, i
        )
    if char == ":" and nxt == "=":
        return ParseError("assignment expressions (':=') are not allowed", text, i)
    if char == ".":
        if tokens and tokens[-1].end == i and tokens[-1].kind in ("name", "rpar"):
            return ParseError("attribute access is not allowed", text, i)
        return ParseError("unexpected '.'", text, i)
    if char in _ASCII_MESSAGES:
        return ParseError(_ASCII_MESSAGES[char], text, i)
    return ParseError(f"{_describe(char)} is not allowed{_hint(char)}", text, i)


def _tokenize(text: str) -> list[_Token]:
    """Split ``text`` into tokens, translating unicode operators and refusing everything else."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in _ASCII_SPACE or unicodedata.category(char) == "Zs":
            i += 1
        elif char in _DIGITS or (char == "." and i + 1 < n and text[i + 1] in _DIGITS):
            match = _NUMBER.match(text, i)
            assert match is not None
            if match.end() < n and text[match.end()] == ".":
                raise ParseError("malformed number: a second '.'", text, match.end())
            if (
                char == "."
                and tokens
                and tokens[-1].end == i
                and tokens[-1].kind in ("name", "rpar")
            ):
                raise ParseError("attribute access is not allowed", text, i)
            tokens.append(_Token("num", match.group(), match.group(), i))
            i = match.end()
        elif char.isascii() and (char.isalpha() or char == "_"):
            match = _NAME.match(text, i)
            assert match is not None
            word = match.group()
            if word.startswith("_"):
                raise ParseError(f"names starting with '_' are not allowed ('{word}')", text, i)
            if keyword.iskeyword(word):
                message = _KEYWORD_MESSAGES.get(
                    word, f"'{word}' is a Python keyword and is not allowed"
                )
                raise ParseError(message, text, i)
            if word.lower() in UNDEFINED_VALUES:
                raise ParseError(f"{word} {UNDEFINED_VALUES[word.lower()]}", text, i)
            tokens.append(_Token("name", word, word, i))
            i = match.end()
        elif char in "+-/":
            tokens.append(_Token("op", char, char, i))
            i += 1
        elif char == "*":
            op = "**" if text.startswith("**", i) else "*"
            tokens.append(_Token("op", op, op, i))
            i += len(op)
        elif char == "^":
            tokens.append(_Token("op", "**", char, i))
            i += 1
        elif char in _COMPARISONS:
            typed = text[i : i + 2] if char in "<>" and text.startswith("=", i + 1) else char
            tokens.append(_Token("op", _COMPARISONS[char] + typed[1:], typed, i))
            i += len(typed)
        elif char in _PUNCTUATION:
            tokens.append(_Token(_PUNCTUATION[char], char, char, i))
            i += 1
        elif char in _UNICODE_OPERATORS:
            tokens.append(_Token("op", _UNICODE_OPERATORS[char], char, i))
            i += 1
        elif char in _SUPERSCRIPT_DIGITS or char == _SUPERSCRIPT_MINUS:
            i = _superscript(text, i, tokens)
        else:
            name = next((u for u in _UNICODE_NAMES if text.startswith(u, i)), None)
            if name is None:
                raise _refuse_character(text, i, tokens)
            tokens.append(_Token("name", name, name, i))
            i += len(name)
    return tokens


def _superscript(text: str, i: int, tokens: list[_Token]) -> int:
    """Append tokens for a superscript exponent such as ``²`` or ``⁻¹``; return the next column."""
    start = i
    sign = text[i] == _SUPERSCRIPT_MINUS
    if sign:
        i += 1
    digits_start = i
    while i < len(text) and text[i] in _SUPERSCRIPT_DIGITS:
        i += 1
    if i == digits_start:
        raise ParseError(f"{_describe(text[start])} is not allowed here", text, start)
    raw = text[digits_start:i]
    tokens.append(_Token("op", "**", text[start:i], start))
    if sign:
        tokens.append(_Token("op", "-", text[start], start))
    digits = "".join(_SUPERSCRIPT_DIGITS[c] for c in raw)
    tokens.append(_Token("num", digits, raw, digits_start, superscript=True))
    return i


def _matching(tokens: list[_Token], open_index: int) -> int | None:
    """Return the index of the parenthesis closing the one at ``open_index``, if any."""
    depth = 0
    for index in range(open_index, len(tokens)):
        kind = tokens[index].kind
        if kind == "lpar":
            depth += 1
        elif kind == "rpar":
            depth -= 1
            if depth == 0:
                return index
    return None


def _lift_function_powers(tokens: list[_Token], text: str) -> list[_Token]:
    """Rewrite ``sin^2(x)`` and ``sin²(x)`` as ``sin(x)^2``; refuse ``sin^-1(x)`` as ambiguous."""
    out: list[_Token] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if (
            tok.kind == "name"
            and tok.value in FUNCTIONS
            and i + 1 < n
            and tokens[i + 1].value == "**"
        ):
            j = i + 2
            sign = tokens[j] if j < n and tokens[j].value in ("+", "-") else None
            if sign is not None:
                j += 1
            if (
                j + 1 < n
                and tokens[j].kind == "num"
                and tokens[j].value.isdigit()
                and tokens[j + 1].kind == "lpar"
            ):
                close = _matching(tokens, j + 1)
                if close is not None:
                    if sign is not None and sign.value == "-":
                        raise ParseError(
                            f"'{tok.text}' to a negative power is ambiguous: write "
                            f"1/{tok.text}(...) for the reciprocal or the inverse function",
                            text,
                            tokens[i + 1].pos,
                        )
                    inner = _lift_function_powers(tokens[j + 1 : close + 1], text)
                    out.extend([tok, *inner, *tokens[i + 1 : j + 1]])
                    i = close + 1
                    continue
        out.append(tok)
        i += 1
    return out


def _ends_operand(tok: _Token) -> bool:
    """Return whether ``tok`` can be the last token of an operand."""
    return tok.kind in ("num", "name", "rpar")


def _starts_operand(tok: _Token) -> bool:
    """Return whether ``tok`` can be the first token of an operand (excluding signs)."""
    return tok.kind in ("num", "name", "lpar") or tok.value == "~"


def _multiplies_parenthesis(name: str) -> bool:
    """Return whether ``name(...)`` means multiplication: one-letter names and constants."""
    return len(name) == 1 or name in CONSTANTS


def _unknown_function(name: str) -> str:
    """Return the message for ``name(...)``: the known function it is close to, else a product."""
    known = close_match(name, FUNCTIONS)
    if known is not None:
        return f"unknown function '{name}': did you mean {known}?"
    return f"unknown function '{name}' (write {name}*(...) to multiply)"


def _check_and_join(tokens: list[_Token], text: str) -> list[_Token]:
    """Check the token sequence, insert implicit multiplication and mark call parentheses."""
    out: list[_Token] = []
    parens: list[_Token] = []
    chains: list[int] = [0]  # per parenthesis level: prefix signs and '**' since last operator
    depth = 1

    def deeper(tok: _Token) -> None:
        """Count one more nesting level at ``tok`` and enforce MAX_DEPTH."""
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise LimitError(
                f"expression nests deeper than MAX_DEPTH = {MAX_DEPTH} levels (at column {tok.pos})"
            )

    for tok in tokens:
        prev = out[-1] if out else None
        if prev is not None and _ends_operand(prev) and _starts_operand(tok):
            if prev.kind == "name" and tok.kind == "lpar":
                if prev.value in FUNCTIONS:
                    tok.call = True
                elif not _multiplies_parenthesis(prev.value):
                    raise ParseError(_unknown_function(prev.value), text, prev.pos)
            elif prev.kind == "num" and tok.kind == "num" and not prev.superscript:
                raise ParseError("missing operator between two numbers", text, tok.pos)
            if not tok.call:
                out.append(_Token("op", "*", "", tok.pos))
                depth -= chains[-1]
                chains[-1] = 0
                prev = out[-1]
        operand_expected = prev is None or prev.kind in ("op", "lpar", "comma")
        if tok.kind == "op":
            if tok.value in ("+", "-", "~") and operand_expected:
                chains[-1] += 1
                deeper(tok)
            elif operand_expected:
                if prev is not None and prev.kind != "op" and parens and parens[-1].call:
                    raise ParseError("starred arguments are not allowed", text, tok.pos)
                raise ParseError(f"missing operand before '{tok.text}'", text, tok.pos)
            elif tok.value == "**":
                chains[-1] += 1
                deeper(tok)
            else:
                depth -= chains[-1]
                chains[-1] = 0
        elif tok.kind == "lpar":
            parens.append(tok)
            chains.append(0)
            deeper(tok)
        elif tok.kind == "rpar":
            if not parens:
                raise ParseError("unmatched ')'", text, tok.pos)
            if prev is not None and prev.kind in ("op", "comma"):
                what = "argument" if prev.kind == "comma" else "operand"
                raise ParseError(f"missing {what} after '{prev.text}'", text, prev.pos)
            if prev is not None and prev.kind == "lpar" and not prev.call:
                raise ParseError("empty parentheses", text, prev.pos)
            parens.pop()
            depth -= 1 + chains.pop()
        elif tok.kind == "comma":
            if not parens or not parens[-1].call:
                raise ParseError(
                    "commas are only allowed between function arguments", text, tok.pos
                )
            if prev is not None and prev.kind == "op":
                raise ParseError(f"missing operand after '{prev.text}'", text, prev.pos)
            if operand_expected:
                raise ParseError("missing argument before ','", text, tok.pos)
            depth -= chains[-1]
            chains[-1] = 0
        out.append(tok)
    if parens:
        raise ParseError("'(' is never closed", text, parens[-1].pos)
    last = out[-1]
    if last.kind in ("op", "comma"):
        raise ParseError(f"missing operand after '{last.text}'", text, last.pos)
    return out


def _to_source(tokens: list[_Token]) -> tuple[str, list[int], list[_Token]]:
    """Return Python source for ``tokens`` (numbers and names as ``_k``), its column map, atoms."""
    pieces: list[str] = []
    colmap: list[int] = []
    atoms: list[_Token] = []
    for tok in tokens:
        if tok.kind in ("num", "name"):
            piece = f"_{len(atoms)}"
            atoms.append(tok)
        else:
            piece = tok.value
        if pieces:
            pieces.append(" ")
            colmap.append(tok.pos)
        pieces.append(piece)
        colmap.extend([tok.pos] * len(piece))
    return "".join(pieces), colmap, atoms
