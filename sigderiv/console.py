"""The ``sigderiv`` console script: get the derivation worker ready, then run the commands."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from functools import partial

#: Commands that derive: their worker is forked and warms up while the command line starts.
DERIVING = frozenset({"derive", "check", "plot", "grad", "serve", "list"})

#: What a view is made with, loaded by the worker while it waits for its first call: the
#: terminal's (rich and the terminal renderer), the page's and the plot's.
_TERMINAL = ("rich.console", "sigderiv.formats.terminal")
_PAGE = ("sigderiv.formats.html", "sigderiv.formats.data", "sigderiv.engine.sample")
_PLOT = ("matplotlib.figure", "matplotlib.backends.backend_agg", "sigderiv.formats.plot")


def renderers(argv: Sequence[str]) -> tuple[str, ...]:
    """Return the modules the command in ``argv`` will render with, as far as a glance tells.

    Only a guess for a head start (``derive -o page.html``: the page's; ``plot``: the
    plot's); a wrong guess costs an import the command does not use, nothing else.
    """
    command, rest = (argv[0], argv[1:]) if argv else ("", ())
    if command == "plot":
        return _PLOT
    if command != "derive":
        return ()
    if any(a.lower().endswith("html") for a in rest):  # -o page.html, -f html, --format=html
        return _PAGE
    if any(a in ("-o", "--output", "-f", "--format") or a.startswith("--output=") for a in rest):
        return ()  # another format: its renderer is loaded when it is asked for
    return _TERMINAL


def workers(argv: Sequence[str]) -> int:
    """Return how many derivations the command in ``argv`` will run at once, at a glance.

    ``list`` and ``derive --input`` run ``--jobs N`` (default: the cores); any other, one.
    Only a guess for a head start, as :func:`renderers` is: typer still reads ``--jobs``.
    """
    command, rest = (argv[0], list(argv[1:])) if argv else ("", [])
    batch = command == "list" or (
        command == "derive" and any(a == "--input" or a.startswith("--input=") for a in rest)
    )
    if not batch:
        return 1
    for i, arg in enumerate(rest):
        given = arg.partition("=")[2] if arg.startswith("--jobs=") else None
        if arg in ("--jobs", "-j") and i + 1 < len(rest):
            given = rest[i + 1]
        if given is not None:
            return int(given) if given.isdigit() and int(given) >= 1 else 1
    return max(1, os.cpu_count() or 1)


def warms(argv: Sequence[str]) -> bool:
    """True if the worker of the command in ``argv`` should warm up with a derivation first.

    Only ``serve`` (idle until its first request) and the batches (``list``, ``derive
    --input``: many derivations, the warm-up overlapping the first dispatch) do. A command
    that derives once sends its call as soon as typer has read the arguments, before a
    warm-up derivation would be done, and would wait for it.
    """
    return bool(argv) and (argv[0] == "serve" or workers(argv) > 1)


def _load(modules: Sequence[str]) -> None:
    """Import ``modules``, skipping any that is not installed (matplotlib is an extra)."""
    for name in modules:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


@contextlib.contextmanager
def _imports_frozen() -> Iterator[None]:
    """Import with the cyclic garbage collector off, then freeze what was made (``gc.freeze``).

    Importing SymPy makes a few hundred thousand objects that live as long as the process;
    the collector would scan them again and again as they arrive (some 30 ms of a cold
    command), and once more in a forked worker, copying the pages it touches. Frozen, they
    are never scanned again; what is made later is collected as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def main() -> None:
    """Run the command line (``sigderiv``, ``python -m sigderiv``), then exit at once.

    For a command that derives, the worker is forked first, before typer and rich are
    imported, so that it loads what SymPy imports on first use while they load here (two
    cores at work instead of one). Looking at the command name before typer parses it is
    only a guess for that head start: typer still reads and checks every argument. What
    is imported before the commands run is frozen out of the garbage collector's way.
    """
    if sys.argv[1:2] and sys.argv[1] in DERIVING:
        with _imports_frozen():
            from sigderiv.engine.deriver import prepare
        argv = sys.argv[1:]
        prepare(then=partial(_load, renderers(argv)), count=workers(argv), warm=warms(argv))
    with _imports_frozen():
        from sigderiv.cli import main as run

    run()
