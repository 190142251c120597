"""``sigderiv check``: a derivation checked line by line, as the terminal view, text or JSON."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from sigderiv.cli_messages import (
    EXIT_OK,
    EXIT_TIMEOUT,
    EXIT_WRONG,
    AsciiOption,
    console,
    emit,
    warn,
)
from sigderiv.errors import SigderivError
from sigderiv.input.limits import CHECK_TIMEOUT, TIMEOUT


class CheckFormat(str, Enum):
    """What ``sigderiv check`` prints: the terminal view, it in plain text, or the JSON report."""

    TERMINAL = "terminal"
    TEXT = "text"
    JSON = "json"


#: check --output's file extensions and the formats they choose.
_CHECK_SUFFIXES = {".txt": CheckFormat.TEXT, ".json": CheckFormat.JSON}


def _read_derivation(file: str) -> str:
    """Return the text of FILE, or of standard input for '-', read within MAX_INPUT_BYTES and
    MAX_INPUT_LINES; exit 2 when it cannot be read or is longer."""
    from sigderiv.input.files import read_text

    if file == "-":
        if sys.stdin.isatty():
            message = "no derivation given: name a FILE, or pipe the lines into 'sigderiv check -'"
            raise SigderivError(message)
        return read_text(sys.stdin.buffer, "standard input")
    try:
        with open(file, "rb") as stream:
            return read_text(stream, file)
    except OSError as error:
        raise SigderivError(f"cannot read {file}: {error.strerror}") from None


#: check's help: what it does and its exit codes.
CHECK_HELP = (
    "Check a derivation line by line: ✓ proven, ✗ wrong (with a hint), ? undecided.\n\n"
    "Exit code 0 when every line is proven, 1 when a line is wrong, 2 for input that cannot "
    "be read, 3 when a line or the whole check ran out of time, 70 for a bug of ours."
)


def check_derivation(
    file: Annotated[
        str,
        typer.Argument(
            help="The derivation: the function on the first line, then one form of its "
            "derivative per line, plain text or LaTeX; [bold]-[/] reads standard input.",
        ),
    ] = "-",
    var: Annotated[str, typer.Option("--var", help="The variable to differentiate in.")] = "x",
    fmt: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="terminal (the default), text (the same view, plain and without colour) or "
            "json (the report). With --output and no --format, .txt or .json chooses.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE instead of standard output, replaced whole once complete.",
            dir_okay=False,
        ),
    ] = None,
    ascii: AsciiOption = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Seconds each line's proof may take before the line is reported undecided.",
            min=0.01,
        ),
    ] = CHECK_TIMEOUT,
    total_timeout: Annotated[
        float,
        typer.Option(
            "--total-timeout",
            metavar="SECONDS",
            help="Seconds the whole check (reading, deriving, every line) may take; past it, "
            "exit code 3.",
            min=0.01,
        ),
    ] = TIMEOUT,
) -> None:
    """Check a derivation line by line: ✓ proven, ✗ wrong (with a hint), ? undecided."""
    from sigderiv.formats.check_view import check_json, check_text, check_view
    from sigderiv.grading.check import Verdict
    from sigderiv.grading.check import check as check_lines

    if output is not None and str(output) == "-":
        output = None
    if fmt is None and output is not None:
        fmt = _CHECK_SUFFIXES.get(output.suffix.lower())
        if fmt is None:
            raise SigderivError(
                f"cannot tell the format from {output.name!r}: name the file .txt or .json, "
                "or give --format"
            )
    report = check_lines(_read_derivation(file), var, timeout=timeout, total_timeout=total_timeout)
    warn(report, ascii)
    if fmt is CheckFormat.JSON:
        emit(check_json(report), output)
    elif fmt is CheckFormat.TEXT or output is not None:
        emit(check_text(report, ascii=ascii or fmt is CheckFormat.TEXT), output)
    else:
        console(ascii=ascii).print(check_view(report, ascii=ascii), crop=False)
    codes = {Verdict.CORRECT: EXIT_OK, Verdict.WRONG: EXIT_WRONG, Verdict.UNKNOWN: EXIT_TIMEOUT}
    raise typer.Exit(codes[report.status])
