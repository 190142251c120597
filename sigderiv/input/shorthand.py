"""The shorthands learners type, read as textbooks mean them: ``2xy``, ``sin x``, ``sin^2 x``.

Two token passes between the tokenizer and the implicit products (see docs/input.md):

- :func:`split_names`: a name of letters only, such as ``xy``, is the product x·y when each
  of its letters is a known symbol (one the caller names, the variable, or a letter that
  stands on its own elsewhere in the input; Euler's ``e`` may be one of them). Function,
  constant and Greek names, and names with a digit or ``_``, are never split. Every other
  name of two letters or more stays one symbol and is reported, so the caller can warn.
- :func:`apply_bare`: a function name written without brackets applies to the juxtaposed
  factors after it, up to the next ``+``, ``-``, ``*``, ``/``, ``,``, closing bracket or
  another function name on the same level: ``sin 2x cos x`` is sin(2x)·cos(x). A power
  written on the name lifts onto the application: ``sin^2 x`` and ``sin²x`` are sin(x)².
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sigderiv.errors import ParseError
from sigderiv.input.tokens import _Token
from sigderiv.input.vocabulary import CONSTANTS, FUNCTIONS, GREEK_NAMES

__all__ = ["apply_bare", "is_one_name", "split_names"]


def _is_word(name: str) -> bool:
    """Return whether ``name`` is ASCII letters only."""
    return name.isascii() and name.isalpha()


def is_one_name(name: str) -> bool:
    """Return whether ``name`` reads as one symbol by its look: Greek, or with a digit or '_'."""
    return not _is_word(name) or name.lower() in GREEK_NAMES


def _splittable(name: str) -> bool:
    """Return whether ``name`` is a word the reading rules could take as a product of letters."""
    return (
        len(name) > 1
        and _is_word(name)
        and name not in FUNCTIONS
        and name not in CONSTANTS
        and not is_one_name(name)
    )


def split_names(tokens: list[_Token], known: Iterable[str]) -> tuple[list[_Token], list[str]]:
    """Split names whose letters are all known symbols; return the tokens and names kept whole.

    The names kept whole are the multi-letter words read as one symbol, in the order they
    appear (each once), except the ``known`` names the caller gave.
    """
    given = set(known)
    letters_known = given | {
        t.value
        for t in tokens
        if t.kind == "name" and len(t.value) == 1 and t.value not in FUNCTIONS | CONSTANTS
    }
    out: list[_Token] = []
    whole: list[str] = []
    for tok in tokens:
        name = tok.value
        if tok.kind != "name" or name in given or not _splittable(name):
            out.append(tok)
            continue
        letters = [c for c in name if c not in CONSTANTS]
        if letters and all(c in letters_known for c in name if c not in CONSTANTS):
            out.extend(_Token("name", c, c, tok.pos + k) for k, c in enumerate(name))
            continue
        out.append(tok)
        if name not in whole:
            whole.append(name)
    return out, whole


@dataclass
class _Open:
    """A function applied without brackets, waiting for the end of its argument."""

    level: int  # the bracket level inside its (inserted) parentheses
    power: list[_Token]  # a power written on the name (sin^2 x), put after the argument


def _opens_argument(tok: _Token) -> bool:
    """Return whether ``tok`` can start a bracketless argument: a number, a name or a root."""
    return tok.kind in ("num", "name") or tok.value == "~"


def _ends_operand(tok: _Token) -> bool:
    """Return whether ``tok`` can be the last token of an operand."""
    return tok.kind in ("num", "name", "rpar")


def _bare_start(tokens: list[_Token], i: int, text: str) -> tuple[int, list[_Token]] | None:
    """For a function name at ``i`` written without brackets: its argument's start and power."""
    n = len(tokens)
    j = i + 1
    power: list[_Token] = []
    if j < n and tokens[j].value == "**":
        k = j + 1
        sign = tokens[k] if k < n and tokens[k].value in ("+", "-") else None
        if sign is not None:
            k += 1
        if not (
            k + 1 < n
            and tokens[k].kind == "num"
            and tokens[k].value.isdigit()
            and _opens_argument(tokens[k + 1])
        ):
            return None
        if sign is not None and sign.value == "-":
            raise ParseError(
                f"'{tokens[i].text}' to a negative power is ambiguous: write "
                f"1/{tokens[i].text}(...) for the reciprocal or the inverse function",
                text,
                tokens[j].pos,
            )
        power, j = tokens[j : k + 1], k + 1
    if j < n and _opens_argument(tokens[j]):
        return j, power
    return None


def apply_bare(tokens: list[_Token], text: str) -> list[_Token]:
    """Put brackets around the arguments of functions written without them (``sin x``)."""
    out: list[_Token] = []
    waiting: list[_Open] = []
    level = 0

    def close(at: int) -> None:
        """Close every application waiting at the current level."""
        nonlocal level
        while waiting and waiting[-1].level == level:
            done = waiting.pop()
            out.append(_Token("rpar", ")", "", at))
            out.extend(done.power)
            level -= 1

    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        prev = out[-1] if out else None
        ends = prev is not None and _ends_operand(prev)
        is_function = tok.kind == "name" and tok.value in FUNCTIONS
        if tok.kind in ("rpar", "comma") or (
            ends and (is_function or (tok.kind == "op" and tok.value in "+-*/"))
        ):
            close(prev.end if prev is not None else tok.pos)
        if is_function:
            start = _bare_start(tokens, i, text)
            if start is not None:
                j, power = start
                out.append(tok)
                out.append(_Token("lpar", "(", "", tokens[j].pos))
                level += 1
                waiting.append(_Open(level, list(power)))
                i = j
                continue
        if tok.kind == "lpar":
            level += 1
        elif tok.kind == "rpar":
            level -= 1
        out.append(tok)
        i += 1
    end = out[-1].end if out else 0
    while waiting:
        level = waiting[-1].level
        close(end)
    return out
