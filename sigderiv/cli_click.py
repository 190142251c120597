"""The command line's click machinery: the command group and command classes through which
every usage error and every error of a command ends in one line on stderr and an exit code."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer 0.2x carries its own copy of click, and no longer depends on click itself
    from typer import _click as click
except ImportError:  # older typer: click is its dependency
    import click  # type: ignore[no-redef]

from sigderiv.cli_messages import report as _report
from sigderiv.cli_messages import usage as _usage

T = TypeVar("T")

#: The commands whose argument is an expression (check's is a derivation's lines, a file).
_TAKES_EXPR = frozenset({"derive", "grad", "plot", "check"})


class Usage(TyperGroup):
    """The command group, whose usage errors end in one ``error:`` line, as its commands' do."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return _parsed(super().parse_args, ctx, args, takes_expr=False)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        return _parsed(super().resolve_command, ctx, args, takes_expr=False)


# The exceptions typer and click use to end a command on purpose; names vary by version.
_CONTROL_FLOW: tuple[type[BaseException], ...] = tuple(
    {
        typer.Exit,
        typer.Abort,
        *(
            kind
            for kind in (
                getattr(click.exceptions, "Exit", None),
                getattr(click.exceptions, "ClickException", None),
                getattr(click, "Abort", None),
                getattr(click.exceptions, "Abort", None),
            )
            if isinstance(kind, type)
        ),
    }
)


#: click's help for a group called without a command: a UsageError, but not a mistake.
_NO_ARGS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _parsed(
    parse: Callable[[click.Context, list[str]], T],
    ctx: click.Context,
    args: list[str],
    *,
    takes_expr: bool,
) -> T:
    """Return ``parse(ctx, args)``; every usage error of click's (an unknown option, a bad or
    missing value) ends here, in one line on stderr and exit code 2."""
    given = list(args)  # click's parser consumes ``args`` as it goes
    try:
        return parse(ctx, args)
    except _NO_ARGS_HELP:
        raise
    except click.exceptions.UsageError as error:
        option = getattr(error, "option_name", None)
        path = ctx.command_path
        raise typer.Exit(
            _usage(error.format_message(), option, path, given, takes_expr=takes_expr)
        ) from None


class Guarded(TyperCommand):
    """A command whose every error ends in one line on stderr and an exit code, no traceback.

    The one error boundary of the command line: a SigderivError exits with its
    ``exit_code``, anything else is a bug of ours and exits EXIT_INTERNAL.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return _parsed(super().parse_args, ctx, args, takes_expr=self.name in _TAKES_EXPR)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except _CONTROL_FLOW:
            raise
        except Exception as error:
            ascii = bool(ctx.params.get("ascii", False))
            raise typer.Exit(_report(error, self.name or "", ascii)) from None
