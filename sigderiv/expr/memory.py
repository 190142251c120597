"""What one derivation remembers while it runs: its memo tables, in one object it owns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar, cast

import sympy as sp

__all__ = ["MEMO_LIMIT", "Memory", "current", "fresh", "remembered"]

F = TypeVar("F", bound=Callable[..., Any])

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
    #: One object for each distinct value those evaluations gave (equal values, one object).
    values: dict[sp.Basic, sp.Basic] = field(default_factory=dict)
    #: The nodes of each expression as a tree (:func:`sigderiv.expr.walk.size`).
    sizes: dict[sp.Basic, int] = field(default_factory=dict)
    #: The names of the symbols in each expression (:func:`sigderiv.expr.walk.names_in`).
    names: dict[sp.Basic, frozenset[str]] = field(default_factory=dict)
    #: Lower bounds on operations (:func:`sigderiv.expr.walk.fewest_operations`).
    fewest: dict[sp.Basic, int] = field(default_factory=dict)
    #: The free symbols of each expression (:func:`sigderiv.expr.walk.free_symbols`).
    free: dict[sp.Basic, frozenset[sp.Basic]] = field(default_factory=dict)
    #: For each question (a part, the node types), whether each expression has what it
    #: asks for (:func:`sigderiv.expr.walk.contains`, :func:`sigderiv.expr.walk.has_type`).
    found: dict[object, dict[sp.Basic, bool]] = field(default_factory=dict)
    #: For each variable, each factor's degree in it as integers p, q (the print order's).
    degrees: dict[sp.Basic, dict[sp.Basic, tuple[int, int]]] = field(default_factory=dict)
    #: What the inline printer printed for each subexpression.
    printed: dict[sp.Basic, str] = field(default_factory=dict)
    #: What each function marked :func:`remembered` returned, one table per function.
    tables: dict[Callable[..., Any], dict[tuple[Any, ...], Any]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when nothing is remembered yet."""
        tables = (
            self.evaluated,
            self.values,
            self.sizes,
            self.names,
            self.fewest,
            self.free,
            self.found,
            self.degrees,
            self.printed,
        )
        return not any(tables) and not any(self.tables.values())


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


def remembered(function: F) -> F:
    """Remember what ``function`` returns, keyed by its arguments, in the current memory.

    What ``functools.lru_cache`` does, but each derivation starts empty (see :func:`fresh`):
    a table kept by the module across derivations finds an equal expression of an earlier one
    (the same input derived again) and compares the two node by node at each look-up, where
    this derivation's own subtrees are found at once, by identity. A table that holds
    :data:`MEMO_LIMIT` entries starts over.
    """

    @wraps(function)
    def wrapper(*args: Any) -> Any:
        tables = current().tables
        table = tables.get(function)
        if table is None:
            table = tables[function] = {}
        try:
            return table[args]
        except KeyError:
            pass
        if len(table) >= MEMO_LIMIT:
            table.clear()
        value = table[args] = function(*args)
        return value

    return cast(F, wrapper)
