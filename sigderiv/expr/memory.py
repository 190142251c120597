"""What one derivation remembers while it runs: its memo tables, in one object it owns."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import sympy as sp

__all__ = ["MEMO_LIMIT", "Memory", "current", "fresh"]

#: The most entries one memo table holds; a table that is full when a walk begins starts over.
MEMO_LIMIT = 16384


@dataclass(eq=False)
class Memory:
    """The memo tables of one derivation, each keyed by a distinct subtree.

    Not frozen: it is a cache that fills as the derivation runs. Each derivation gets its
    own (:func:`fresh`), so the same input gives the same derivation whatever ran before.
    """

    #: What each expression evaluated to (:func:`sigderiv.expr.walk.evaluated`).
    evaluated: dict[sp.Basic, sp.Basic] = field(default_factory=dict)
    #: The nodes of each expression as a tree (:func:`sigderiv.expr.walk.size`).
    sizes: dict[sp.Basic, int] = field(default_factory=dict)
    #: The names of the symbols in each expression (:func:`sigderiv.expr.walk.names_in`).
    names: dict[sp.Basic, frozenset[str]] = field(default_factory=dict)
    #: Lower bounds on operations (:func:`sigderiv.expr.walk.fewest_operations`).
    fewest: dict[sp.Basic, int] = field(default_factory=dict)
    #: What the inline printer printed for each subexpression.
    printed: dict[sp.Basic, str] = field(default_factory=dict)
    #: futrig's step on each node (:func:`sigderiv.expr.trigsimp.trigsimp`).
    trigsimp: dict[sp.Basic, sp.Basic] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when nothing is remembered yet."""
        tables = (self.evaluated, self.sizes, self.names, self.fewest, self.printed, self.trigsimp)
        return not any(tables)


_CURRENT: ContextVar[Memory] = ContextVar("sigderiv_memory")


def current() -> Memory:
    """Return the memory of the derivation running in this context (one is made if none)."""
    try:
        return _CURRENT.get()
    except LookupError:
        memory = Memory()
        _CURRENT.set(memory)
        return memory


@contextmanager
def fresh() -> Iterator[Memory]:
    """Give the block a memory of its own, empty at the start and dropped at the end."""
    token = _CURRENT.set(Memory())
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)


def forget() -> None:
    """Start this context over with an empty memory."""
    _CURRENT.set(Memory())
