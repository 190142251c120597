"""Prose as data: words with slots that hold expressions, printed by each format its own way.

A step's title and explanation, and a slip's hint, are :class:`Words`: a sequence of plain
text and :class:`Slot` parts. No math is typed into the text. The terminal prints a slot as
unicode inline math, LaTeX as ``\\(…\\)``, Markdown as ``$…$``, HTML as MathML, and JSON keeps
the parts. :func:`words` builds them from a template whose ``{name}`` fields are the slots.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sympy as sp

__all__ = ["Slot", "Words", "listed", "words"]


@dataclass(frozen=True)
class Slot:
    """One expression in prose, with the role it plays there (``numerator``, ``inner``)."""

    expr: sp.Basic
    role: str = ""


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True)
class Words:
    """Prose: plain text and slots of math, in reading order."""

    parts: tuple[str | Slot, ...] = ()

    @classmethod
    def plain(cls, text: str) -> Words:
        """Words with no math in them."""
        return cls((text,) if text else ())

    def render(
        self, math: Callable[[sp.Basic], str], text: Callable[[str], str] = _identity
    ) -> str:
        """Return the prose with each slot written by ``math`` and each text part by ``text``."""
        return "".join(
            math(part.expr) if isinstance(part, Slot) else text(part) for part in self.parts
        )

    def slots(self) -> Iterator[Slot]:
        """Yield the slots, in order."""
        return (part for part in self.parts if isinstance(part, Slot))

    def __add__(self, other: Words | str) -> Words:
        more = Words.plain(other) if isinstance(other, str) else other
        return Words(_joined(self.parts + more.parts))

    def __radd__(self, other: str) -> Words:
        return Words.plain(other) + self

    def __bool__(self) -> bool:
        return any(self.parts)

    def __contains__(self, text: str) -> bool:
        """True when the prose, as :func:`str` writes it, contains ``text``."""
        return text in str(self)

    def __str__(self) -> str:
        # The one way words print without a format: unicode inline math. Imported when
        # called, as Derivation.to_json imports its renderer, so the model loads no printer.
        from sigderiv.printing.inline import inline

        return self.render(inline)


def _joined(parts: tuple[str | Slot, ...]) -> tuple[str | Slot, ...]:
    """Return ``parts`` with neighbouring text parts joined and empty ones dropped."""
    out: list[str | Slot] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += part
                continue
        out.append(part)
    return tuple(out)


_FORMATTER = string.Formatter()


def words(template: str, /, **slots: sp.Basic | Words | str | int) -> Words:
    """Return ``template`` as Words: each ``{name}`` becomes the slot ``slots[name]``.

    An expression (or int) becomes a Slot whose role is its field name; Words are spliced
    in; a str is plain text (a name, never math). ``{{`` and ``}}`` are literal braces.
    """
    parts: list[str | Slot] = []
    for literal, field, spec, conversion in _FORMATTER.parse(template):
        parts.append(literal)
        if field is None:
            continue
        if spec or conversion:
            raise ValueError(f"a slot takes no format spec or conversion: {{{field}}}")
        value = slots[field]
        if isinstance(value, Words):
            parts.extend(value.parts)
        elif isinstance(value, str):
            parts.append(value)
        else:
            parts.append(Slot(sp.Integer(value) if isinstance(value, int) else value, field))
    return Words(_joined(tuple(parts)))


def listed(items: list[sp.Basic], separator: str = ", ", role: str = "") -> Words:
    """Return the expressions one after another as slots, ``separator`` between them."""
    parts: list[str | Slot] = []
    for i, item in enumerate(items):
        if i:
            parts.append(separator)
        parts.append(Slot(item, role))
    return Words(tuple(parts))
