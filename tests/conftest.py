"""Shared fixtures: the symbols the tests differentiate in, and a checker of step identities."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

from sigderiv import Derivation, explicit
from sigderiv.engine import catalogue as engine_catalogue
from sigderiv.engine.catalogue import CatalogueRow
from sigderiv.model.bounds import CHECK_TIMEOUT
from sigderiv.sandbox.bound import stop_worker

SANDBOX = Path(__file__).parent / "sandbox"


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker that asks for a freshly forked kept worker."""
    config.addinivalue_line("markers", "fresh_worker: start and end the test without a kept worker")


def _needs_fresh_worker(request: pytest.FixtureRequest) -> bool:
    """True for a test that patches (monkeypatch), is in tests/sandbox or is so marked."""
    node = request.node
    return (
        "monkeypatch" in request.fixturenames
        or SANDBOX in node.path.parents
        or node.get_closest_marker("fresh_worker") is not None
    )


@pytest.fixture(autouse=True)
def _fresh_worker(request: pytest.FixtureRequest) -> Iterator[None]:
    """Start and end without a kept worker where a test needs that; the others share one."""
    # A worker forked before a test's monkeypatch would run the code as it was (see
    # sigderiv.sandbox.bound.stop_worker), so a test that patches starts and ends without
    # one, as do the worker's own tests. Every other test reuses the kept worker the one
    # before it left, as a program deriving one function after another does: forking a
    # fresh worker and copying the pages its first call touches cost about 0.1 s a test.
    fresh = _needs_fresh_worker(request)
    if fresh:
        stop_worker()
    yield
    if fresh:
        stop_worker()


@pytest.fixture(autouse=True, scope="session")
def _no_worker_at_the_end() -> Iterator[None]:
    """The session ends without a kept worker."""
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


@pytest.fixture(scope="session")
def catalogue_rows() -> tuple[CatalogueRow, ...]:
    """The activation catalogue derived once for the session, as ``sigderiv list`` does."""
    return engine_catalogue.catalogue()


@pytest.fixture(scope="session")
def catalogue_derivations(catalogue_rows: tuple[CatalogueRow, ...]) -> dict[str, Derivation]:
    """Each catalogue entry's derivation by name, the same as ``derive(name)``."""
    return {row.entry.name: row.derivation for row in catalogue_rows}


@pytest.fixture
def catalogue_once(
    catalogue_rows: tuple[CatalogueRow, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Make ``catalogue()`` answer with the session's rows for its default arguments.

    The progress callback may be given; a number of jobs always derives anew.
    """
    # For the command line's list and the docs' catalogue table, which call it with its
    # defaults; any other arguments still derive.
    derive_all = engine_catalogue.catalogue

    def once(
        var: str = "x", *, timeout: float = CHECK_TIMEOUT, **options: Any
    ) -> tuple[CatalogueRow, ...]:
        if var == "x" and timeout == CHECK_TIMEOUT and options.get("jobs") is None:
            return catalogue_rows
        return derive_all(var, timeout=timeout, **options)

    monkeypatch.setattr(engine_catalogue, "catalogue", once)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the figures that tests recorded as ``figures`` (the web load test's latency)."""
    for report in terminalreporter.stats.get("passed", []):
        for name, value in getattr(report, "user_properties", ()):
            if name == "figures":
                terminalreporter.write_line(str(value))
