"""Turn user text into a SymPy expression through a strict whitelist, never through eval."""

from __future__ import annotations

import ast
import keyword
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from sigderiv.errors import LimitError, ParseError, SigderivError
from sigderiv.expr.functions import NAMES

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_NUMBER_DIGITS",
    "parse",
]

#: Longest input accepted, in characters.
MAX_LENGTH = 2000
#: Deepest nesting of parentheses, prefix signs, square roots and powers.
MAX_DEPTH = 60
#: Most expression nodes (numbers, names, operators, calls) in one input.
MAX_NODES = 2000
#: Most digits in one number literal (and largest exponent in its ``e`` notation).
MAX_DIGITS = 100
#: Largest absolute value of a numeric exponent.
MAX_EXPONENT = 10000
#: Most decimal digits of any exact number built (Python refuses to print ints over 4300).
MAX_NUMBER_DIGITS = 4000

#: Signature of a whitelisted function: the SymPy callable and the argument counts it takes.
FunctionSpec = tuple[Callable[..., sp.Expr], tuple[int, ...]]

#: Unknown functions a learner writes as f(x), g(x), h(x): their derivative stays f′.
UNDEFINED_FUNCTIONS: tuple[str, ...] = ("f", "g", "h")

_BUILTIN_FUNCTIONS: dict[str, FunctionSpec] = {
    **{name: (sp.Function(name), (1,)) for name in UNDEFINED_FUNCTIONS},  # safe: our own names
    "exp": (sp.exp, (1,)),
    "log": (sp.log, (1, 2)),
    "ln": (sp.log, (1,)),
    "sqrt": (sp.sqrt, (1,)),
    "cbrt": (sp.cbrt, (1,)),
    "root": (sp.root, (2,)),
    "sin": (sp.sin, (1,)),
    "cos": (sp.cos, (1,)),
    "tan": (sp.tan, (1,)),
    "cot": (sp.cot, (1,)),
    "sec": (sp.sec, (1,)),
    "csc": (sp.csc, (1,)),
    "asin": (sp.asin, (1,)),
    "acos": (sp.acos, (1,)),
    "atan": (sp.atan, (1,)),
    "acot": (sp.acot, (1,)),
    "asec": (sp.asec, (1,)),
    "acsc": (sp.acsc, (1,)),
    "arcsin": (sp.asin, (1,)),
    "arccos": (sp.acos, (1,)),
    "arctan": (sp.atan, (1,)),
    "arccot": (sp.acot, (1,)),
    "arcsec": (sp.asec, (1,)),
    "arccsc": (sp.acsc, (1,)),
    "sinh": (sp.sinh, (1,)),
    "cosh": (sp.cosh, (1,)),
    "tanh": (sp.tanh, (1,)),
    "coth": (sp.coth, (1,)),
    "sech": (sp.sech, (1,)),
    "csch": (sp.csch, (1,)),
    "asinh": (sp.asinh, (1,)),
    "acosh": (sp.acosh, (1,)),
    "atanh": (sp.atanh, (1,)),
    "acoth": (sp.acoth, (1,)),
    "asech": (sp.asech, (1,)),
    "acsch": (sp.acsch, (1,)),
    "arcsinh": (sp.asinh, (1,)),
    "arccosh": (sp.acosh, (1,)),
    "arctanh": (sp.atanh, (1,)),
    "arccoth": (sp.acoth, (1,)),
    "arcsech": (sp.asech, (1,)),
    "arccsch": (sp.acsch, (1,)),
    "erf": (sp.erf, (1,)),
    "erfc": (sp.erfc, (1,)),
    "abs": (sp.Abs, (1,)),
    "Abs": (sp.Abs, (1,)),
    "sign": (sp.sign, (1,)),
}


def _catalogue_arity(function: Callable[[sp.Expr], sp.Expr]) -> tuple[int, ...]:
    """Return the argument counts a catalogue function accepts (1 unless it says otherwise)."""
    nargs = getattr(function, "nargs", None)
    if isinstance(nargs, sp.FiniteSet):
        return tuple(sorted(int(n) for n in nargs))
    return (1,)


#: The function whitelist: every callable name, with its SymPy callable and allowed arities.
FUNCTIONS: dict[str, FunctionSpec] = {
    **_BUILTIN_FUNCTIONS,
    **{
        name: (entry.function, _catalogue_arity(entry.function))
        for name, entry in NAMES.items()
        if name not in _BUILTIN_FUNCTIONS
    },
}

#: Names that stand for mathematical constants rather than symbols.
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "π": sp.pi, "e": sp.E, "E": sp.E}

# Non-ASCII names we accept (π, σ, ...), longest first so the tokenizer matches greedily.
_UNICODE_NAMES: tuple[str, ...] = tuple(
    sorted((n for n in (*FUNCTIONS, *CONSTANTS) if not n.isascii()), key=len, reverse=True)
)

#: Single characters that are tokens of their own, with their kind.
_PUNCTUATION: dict[str, str] = {"(": "lpar", ")": "rpar", ",": "comma"}

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
    "<": "comparisons are not allowed",
    ">": "comparisons are not allowed",
    "&": "bitwise operators are not allowed",
    "|": "bitwise operators are not allowed",
    "~": "bitwise operators are not allowed",
}

_BINARY_OPS: dict[type[ast.operator], Callable[[sp.Expr, sp.Expr], sp.Expr]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}

_UNARY_OPS: dict[type[ast.unaryop], Callable[[sp.Expr], sp.Expr]] = {
    ast.USub: lambda a: -a,
    ast.UAdd: lambda a: a,
    ast.Invert: sp.sqrt,  # only ever produced by '√'
}

_UNDEFINED: tuple[sp.Basic, ...] = (sp.zoo, sp.nan, sp.oo, -sp.oo)


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


def parse(text: str) -> sp.Expr:
    """Parse ``text`` into a SymPy expression, or raise ParseError / LimitError."""
    if not isinstance(text, str):
        raise TypeError(f"parse() expects a str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise LimitError(
            f"input is {len(text)} characters long; the limit is MAX_LENGTH = {MAX_LENGTH}"
        )
    tokens = _tokenize(text)
    if not tokens:
        raise ParseError("empty input: type an expression such as x^2 + 1", text, 0)
    tokens = _lift_function_powers(tokens, text)
    tokens = _check_and_join(tokens, text)
    source, colmap, atoms = _to_source(tokens)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        offset = (exc.offset or 1) - 1
        position = colmap[offset] if 0 <= offset < len(colmap) else len(text)
        raise ParseError("invalid syntax", text, position) from None
    except (RecursionError, MemoryError):
        raise LimitError(
            f"expression is too deeply nested; the limit is MAX_DEPTH = {MAX_DEPTH}"
        ) from None
    nodes = sum(isinstance(node, ast.expr) for node in ast.walk(tree))
    if nodes > MAX_NODES:
        raise LimitError(f"expression has {nodes} nodes; the limit is MAX_NODES = {MAX_NODES}")
    try:
        return _Builder(text, source, colmap, atoms).build(tree)
    except (RecursionError, MemoryError):
        raise LimitError(
            f"expression is too deeply nested; the limit is MAX_DEPTH = {MAX_DEPTH}"
        ) from None


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
                    raise ParseError(
                        f"unknown function '{prev.value}' (write {prev.value}*(...) to multiply)",
                        text,
                        prev.pos,
                    )
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


def _number(tok: _Token) -> sp.Rational:
    """Return the exact value of a number token, enforcing MAX_DIGITS."""
    literal = tok.value
    mantissa, _, exponent = literal.lower().partition("e")
    digits = sum(c.isdigit() for c in mantissa)
    if digits > MAX_DIGITS:
        raise LimitError(
            f"number at column {tok.pos} has {digits} digits; the limit is "
            f"MAX_DIGITS = {MAX_DIGITS}"
        )
    if exponent and abs(int(exponent)) > MAX_DIGITS:
        raise LimitError(
            f"number at column {tok.pos} has exponent {int(exponent)}; the limit is "
            f"MAX_DIGITS = {MAX_DIGITS}"
        )
    if exponent or "." in mantissa:
        value = Fraction(literal)
        return sp.Rational(value.numerator, value.denominator)
    return sp.Integer(int(literal))


def _magnitude(value: sp.Rational) -> float:
    """Return log10 of the larger of the numerator's and denominator's absolute values."""
    return max(math.log10(abs(int(value.p)) or 1), math.log10(int(value.q)))


def _digits(value: sp.Rational) -> int:
    """Return how many decimal digits the longer of numerator and denominator has."""
    return math.floor(_magnitude(value)) + 1


def _numeric_magnitude(value: sp.Basic) -> float:
    """Return log10 of the exact-number part of a product such as 3*sqrt(2), else 0."""
    total = 0.0
    for factor in sp.Mul.make_args(value):
        if isinstance(factor, sp.Rational) and factor != 0:
            total += _magnitude(factor)
        elif (
            isinstance(factor, sp.Pow)
            and isinstance(factor.base, sp.Rational)
            and isinstance(factor.exp, sp.Rational)
            and factor.base != 0
        ):
            total += _magnitude(factor.base) * float(abs(factor.exp))
    return total


def _check_numbers(value: sp.Basic, position: int) -> None:
    """Refuse huge exact numbers and roots of long numbers near the top of ``value``."""
    for node in (value, *value.args, *(grand for arg in value.args for grand in arg.args)):
        if isinstance(node, sp.Rational) and _digits(node) > MAX_NUMBER_DIGITS:
            raise LimitError(
                f"a number at column {position} has more than "
                f"MAX_NUMBER_DIGITS = {MAX_NUMBER_DIGITS} digits"
            )
        if (
            isinstance(node, sp.Pow)
            and isinstance(node.base, sp.Rational)
            and isinstance(node.exp, sp.Rational)
            and _digits(node.base) > MAX_DIGITS
        ):
            raise LimitError(
                f"a root at column {position} is of a number with more than "
                f"MAX_DIGITS = {MAX_DIGITS} digits"
            )


def _is_undefined(value: sp.Basic) -> bool:
    """Return whether ``value`` is, or directly contains, zoo, nan or an infinity."""
    return any(value is bad for bad in _UNDEFINED) or any(
        arg is bad for arg in value.args for bad in _UNDEFINED
    )


class _Builder:
    """Walk a parsed tree under the whitelist and build the SymPy expression bottom-up."""

    def __init__(self, text: str, source: str, colmap: list[int], atoms: list[_Token]) -> None:
        self.text = text
        self.source = source
        self.colmap = colmap
        self.atoms = atoms

    def error(self, message: str, position: int) -> ParseError:
        """Return a ParseError at ``position`` of the original text."""
        return ParseError(message, self.text, position)

    def column(self, offset: int) -> int:
        """Map a column of the generated source back to the original text."""
        if 0 <= offset < len(self.colmap):
            return self.colmap[offset]
        return len(self.text)

    def position(self, node: ast.AST) -> int:
        """Return the original column that best identifies ``node``."""
        if isinstance(node, ast.BinOp):
            start, stop = node.left.end_col_offset or 0, node.right.col_offset
            for offset in range(start, min(stop, len(self.source))):
                if self.source[offset] not in " ()":
                    return self.column(offset)
        if isinstance(node, ast.Call):
            return self.position(node.func)
        return self.column(getattr(node, "col_offset", 0))

    def atom(self, node: ast.AST) -> _Token:
        """Return the token behind a placeholder name, refusing anything else."""
        match = _PLACEHOLDER.fullmatch(node.id) if isinstance(node, ast.Name) else None
        if match is None or int(match.group(1)) >= len(self.atoms):
            raise self.error("unexpected name", self.position(node))
        return self.atoms[int(match.group(1))]

    def children(self, node: ast.AST) -> list[ast.expr]:
        """Check ``node`` against the whitelist and return the sub-expressions to build first."""
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_OPS:
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY_OPS:
            return [node.operand]
        if isinstance(node, ast.Name):
            return []
        if isinstance(node, ast.Call):
            if node.keywords:
                raise self.error("keyword arguments are not allowed", self.position(node))
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    raise self.error("starred arguments are not allowed", self.position(arg))
            func = self.atom(node.func)
            if func.kind != "name" or func.value not in FUNCTIONS:
                raise self.error("only named functions can be called", func.pos)
            arities = FUNCTIONS[func.value][1]
            if len(node.args) not in arities:
                wanted = " or ".join(str(a) for a in arities)
                plural = "" if arities == (1,) else "s"
                raise self.error(
                    f"{func.value} takes {wanted} argument{plural}, not {len(node.args)}",
                    func.pos,
                )
            return list(node.args)
        raise self.error(f"{type(node).__name__} is not allowed", self.position(node))

    def leaf(self, node: ast.AST) -> sp.Expr:
        """Return the value of a number or name."""
        tok = self.atom(node)
        if tok.kind == "num":
            return _number(tok)
        if tok.value in CONSTANTS:
            return CONSTANTS[tok.value]
        if tok.value in FUNCTIONS:
            raise self.error(f"{tok.value} is a function; write {tok.value}(...)", tok.pos)
        return sp.Symbol(tok.value)

    def combine(self, node: ast.AST, args: list[sp.Expr]) -> sp.Expr:
        """Build the value of ``node`` from its children's values."""
        position = self.position(node)
        if isinstance(node, ast.BinOp):
            left, right = args
            if isinstance(node.op, ast.Div) and right == 0:
                raise self.error("division by zero", position)
            if isinstance(node.op, ast.Pow):
                self.check_power(left, right, position)
                if left is sp.E:
                    self.check_exponential(right, position)
            return _BINARY_OPS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Invert):
                self.check_power(args[0], sp.Rational(1, 2), position)
            return _UNARY_OPS[type(node.op)](args[0])
        assert isinstance(node, ast.Call)
        function = FUNCTIONS[self.atom(node.func).value][0]
        if function is sp.exp:
            self.check_exponential(args[0], position)
        elif function is sp.sqrt:
            self.check_power(args[0], sp.Rational(1, 2), position)
        elif function is sp.cbrt:
            self.check_power(args[0], sp.Rational(1, 3), position)
        elif function is sp.root and isinstance(args[1], sp.Rational) and args[1] != 0:
            self.check_power(args[0], 1 / args[1], position)
        return function(*args)

    def check_power(self, base: sp.Expr, exponent: sp.Expr, position: int) -> None:
        """Refuse numeric exponents beyond MAX_EXPONENT and exact powers that would be huge."""
        if not isinstance(exponent, sp.Rational):
            return
        if abs(exponent) > MAX_EXPONENT:
            raise LimitError(
                f"exponent {exponent} at column {position} is too large; the limit is "
                f"MAX_EXPONENT = {MAX_EXPONENT}"
            )
        if base == 0 and exponent < 0:
            raise self.error("division by zero (0 to a negative power)", position)
        if _numeric_magnitude(base) * float(abs(exponent)) >= MAX_NUMBER_DIGITS:
            raise LimitError(
                f"the power at column {position} would have more than "
                f"MAX_NUMBER_DIGITS = {MAX_NUMBER_DIGITS} digits"
            )
        if (
            isinstance(base, sp.Rational)
            and not isinstance(exponent, sp.Integer)
            and _digits(base) > MAX_DIGITS
        ):
            raise LimitError(
                f"the root at column {position} is of a number with more than "
                f"MAX_DIGITS = {MAX_DIGITS} digits"
            )

    def check_exponential(self, argument: sp.Expr, position: int) -> None:
        """Refuse exp(c*log(n)) that SymPy would turn into a huge n^c or a costly root of n."""
        for log in argument.atoms(sp.log):
            value = log.args[0]
            if isinstance(value, sp.Rational) and _digits(value) > MAX_DIGITS:
                raise LimitError(
                    f"the exponential at column {position} is of the logarithm of a number "
                    f"with more than MAX_DIGITS = {MAX_DIGITS} digits"
                )
        for term in sp.Add.make_args(argument):
            coefficient, rest = term.as_coeff_Mul()
            if isinstance(rest, sp.log) and isinstance(rest.args[0], sp.Rational):
                size = float(abs(coefficient)) * _magnitude(rest.args[0])
                if size >= MAX_NUMBER_DIGITS:
                    raise LimitError(
                        f"the exponential at column {position} would have more than "
                        f"MAX_NUMBER_DIGITS = {MAX_NUMBER_DIGITS} digits"
                    )

    def build(self, tree: ast.Expression) -> sp.Expr:
        """Return the SymPy expression for ``tree``, walking it without recursion."""
        if not isinstance(tree, ast.Expression):
            raise self.error(f"{type(tree).__name__} is not allowed", 0)
        stack: list[tuple[ast.expr, bool]] = [(tree.body, False)]
        values: list[sp.Expr] = []
        while stack:
            node, ready = stack.pop()
            if not ready:
                kids = self.children(node)
                stack.append((node, True))
                stack.extend((kid, False) for kid in reversed(kids))
                continue
            if isinstance(node, ast.Name):
                values.append(self.leaf(node))
                continue
            if isinstance(node, ast.Call):
                count = len(node.args)
            else:
                count = 2 if isinstance(node, ast.BinOp) else 1
            args = values[len(values) - count :]
            del values[len(values) - count :]
            position = self.position(node)
            try:
                value = self.combine(node, args)
            except (SigderivError, RecursionError, MemoryError):
                raise
            except Exception as exc:  # SymPy refusing a well-formed input
                raise self.error(f"cannot evaluate this: {exc}", position) from None
            _check_numbers(value, position)
            if _is_undefined(value):
                raise self.error("undefined value here (division by zero or a pole)", position)
            values.append(value)
        (result,) = values
        return result
