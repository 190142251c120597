"""The ``sigderiv`` console script: get the derivation worker ready, then run the commands."""

from __future__ import annotations

import sys

#: Commands that derive: their worker is forked and warms up while the command line starts.
DERIVING = frozenset({"derive", "check", "plot", "grad", "serve"})


def main() -> None:
    """Run the command line (``sigderiv``, ``python -m sigderiv``), then exit at once.

    For a command that derives, the worker is forked first, before typer and rich are
    imported, so that it loads what SymPy imports on first use while they load here (two
    cores at work instead of one). Looking at the command name before typer parses it is
    only a guess for that head start: typer still reads and checks every argument.
    """
    if sys.argv[1:2] and sys.argv[1] in DERIVING:
        from sigderiv.engine.deriver import prepare

        prepare()
    from sigderiv.cli import main as run

    run()
