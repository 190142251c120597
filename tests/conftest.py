"""Shared fixtures: the symbols the tests differentiate in, and a checker of step identities."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sympy as sp

from sigderiv import explicit
from sigderiv.sandbox.bound import stop_worker


@pytest.fixture(autouse=True)
def _fresh_worker() -> Iterator[None]:
    """Each test starts and ends without a kept worker: one forked before a test's
    monkeypatch would run the code as it was (see sigderiv.sandbox.bound.stop_worker)."""
    stop_worker()
    yield
    stop_worker()


@pytest.fixture
def x() -> sp.Symbol:
    """The usual variable."""
    return sp.Symbol("x")


@pytest.fixture
def k() -> sp.Symbol:
    """A parameter: a constant with respect to x."""
    return sp.Symbol("k")


@pytest.fixture
def t() -> sp.Symbol:
    """A variable other than x."""
    return sp.Symbol("t")


def same_function(before: sp.Expr, after: sp.Expr) -> bool:
    """True when SymPy proves ``before = after`` once named functions and derivatives are
    written out; independent of the engine's own checker."""
    return sp.simplify(explicit(before) - explicit(after)) == 0


@pytest.fixture
def equal() -> Callable[[sp.Expr, sp.Expr], bool]:
    """The independent identity check ``same_function`` as a fixture."""
    return same_function
