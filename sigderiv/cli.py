"""The command-line interface: parse arguments, call the library, print, map errors to codes."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from . import __version__
from .errors import ParseError, SigderivError

app = typer.Typer(
    name="sigderiv",
    rich_markup_mode="rich",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="Derive derivatives step by step, the way a teacher writes them, every step proven "
    "by SymPy.",
)

#: Exit codes: 0 success, 1 internal error, 2 bad input or a limit, 3 a time-out.
EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_TIMEOUT = 0, 1, 2, 3


def _stderr_console(ascii: bool = False):
    from rich.console import Console

    return Console(stderr=True, highlight=False, emoji=False, safe_box=ascii)


def _fail(error: SigderivError, ascii: bool) -> typer.Exit:
    """Print one line (and a caret for parse errors) to stderr; return the exit to raise."""
    from rich.markup import escape

    console = _stderr_console(ascii)
    console.print(f"[bold red]error:[/] {escape(str(error))}")
    if isinstance(error, ParseError) and error.caret():
        console.print(escape(error.caret()), style="dim")
    return typer.Exit(error.exit_code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sigderiv {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Derive derivatives step by step, every step proven by SymPy."""


@app.command()
def derive(
    expr: Annotated[
        str,
        typer.Argument(
            help="A catalogue name such as [bold]sigmoid[/] or an expression such as "
            "[bold]'1/(1+exp(-x))'[/]; ^ is a power, e is Euler's number.",
            show_default=True,
        ),
    ] = "sigmoid",
    var: Annotated[str, typer.Option("--var", help="The variable to differentiate in.")] = "x",
    ascii: Annotated[
        bool, typer.Option("--ascii", help="Plain ASCII output for terminals without unicode.")
    ] = False,
    order: Annotated[
        int, typer.Option("--order", help="Which derivative: 2 for the second, and so on.", min=1)
    ] = 1,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="Name the function, so that the result is written in terms of its own value.",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="Seconds each step's proof may take before it is reported unverified.",
            min=0.01,
        ),
    ] = 10.0,
) -> None:
    """Derive the derivative of EXPR step by step and prove every step (default: the sigmoid)."""
    from rich.console import Console

    from .engine import derive as derive_steps
    from .render.terminal import terminal_view

    try:
        derivation = derive_steps(expr, var, name=name, order=order, timeout=timeout)
    except SigderivError as error:
        raise _fail(error, ascii) from None
    except Exception as error:  # a bug of ours: one line and a hint, never a traceback
        _stderr_console(ascii).print(
            f"[bold red]internal error:[/] {type(error).__name__}: {error}\n"
            "This is a bug in sigderiv; please report it with the command you ran."
        )
        raise typer.Exit(EXIT_INTERNAL) from None
    no_color = bool(os.environ.get("NO_COLOR")) or not sys.stdout.isatty()
    console = Console(no_color=no_color, highlight=False, emoji=False, safe_box=ascii)
    console.print(terminal_view(derivation, ascii=ascii), crop=False)


def main() -> None:
    """Run the command-line interface (the ``sigderiv`` console script)."""
    app()


@app.command("list")
def list_catalogue(
    ascii: Annotated[
        bool, typer.Option("--ascii", help="Plain ASCII output for terminals without unicode.")
    ] = False,
) -> None:
    """List the activation catalogue: each function, its definition and its derivative."""
    from rich.console import Console

    from .render.catalogue import catalogue_table

    try:
        table = catalogue_table(ascii=ascii)
    except SigderivError as error:
        raise _fail(error, ascii) from None
    no_color = bool(os.environ.get("NO_COLOR")) or not sys.stdout.isatty()
    console = Console(no_color=no_color, highlight=False, emoji=False, safe_box=ascii)
    console.print(table, crop=False)
