"""Many derivations from one command: ``sigderiv list`` and ``sigderiv derive --input FILE``.

Both derive over ``--jobs`` worker processes (:mod:`sigderiv.engine.batch`) and, on a
terminal, draw a progress bar on standard error while they work; in a pipe they draw nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from sigderiv.cli_messages import EXIT_INPUT, AsciiOption, console, emit, say, wrote
from sigderiv.errors import SigderivError
from sigderiv.formats.sheet import SheetEntry, SheetFormat, piece, record, sheet

if TYPE_CHECKING:
    from sigderiv.engine.batch import Problem
    from sigderiv.model.steps import Derivation

#: --jobs N: how many derivations run at once.
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        help="Derivations at once, each in its bounded worker process (default: the cores).",
        min=1,
        show_default=False,
    ),
]


@contextmanager
def progress_bar(what: str, total: int) -> Iterator[Callable[[int, int], None]]:
    """Yield ``progress(done, total)``: a rich bar on standard error if it is a terminal."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (f"[bold]{what}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def list_catalogue(
    ascii: AsciiOption = False,
    jobs: JobsOption = None,
) -> None:
    """List the activation catalogue: each function, its definition and its derivative."""
    from sigderiv.engine.catalogue import catalogue
    from sigderiv.expr.functions import CATALOGUE
    from sigderiv.formats.catalogue import catalogue_table

    with progress_bar("Deriving the catalogue", len(CATALOGUE)) as progress:
        rows = catalogue(jobs=jobs, progress=progress)
    console(ascii=ascii).print(catalogue_table(rows=rows, ascii=ascii), crop=False)


def _section(chosen: SheetFormat, problem: Problem, derivation: Derivation) -> Any:
    """In the problem's worker: its section of the sheet."""
    return piece(chosen, problem.line, derivation)


def _read(file: str) -> tuple[str, str]:
    """Return the sheet's text and what to call its source, from FILE or standard input."""
    from sigderiv.input.files import read_text

    if file == "-":
        if sys.stdin.isatty():
            raise SigderivError("no problems given: name a FILE, or pipe the lines into --input -")
        return read_text(sys.stdin.buffer, "standard input"), "standard input"
    try:
        with open(file, "rb") as stream:
            return read_text(stream, file), Path(file).name
    except OSError as error:
        raise SigderivError(f"cannot read {file}: {error.strerror}") from None


def derive_sheet(
    file: str,
    output: Path | None,
    var: str,
    jobs: int | None,
    bounds: tuple[float, float],
    *,
    ascii: bool,
    unused: dict[str, bool],
) -> None:
    """``derive --input FILE``: derive each line, write the sheet, exit 2 if a line failed."""
    from sigderiv.engine.batch import derive_all, read_problems

    timeout, check_timeout = bounds  # each problem's, as --timeout and --check-timeout say
    given = [flag for flag, set_ in unused.items() if set_]
    if given:
        raise SigderivError(f"--input derives each line as it is written: leave out {given[0]}")
    if output is None:
        raise SigderivError(
            "--input writes a sheet: give -o FILE (.html, .tex, .md or .jsonl; '-o -' writes "
            "JSON Lines to standard output)"
        )
    to_stdout = str(output) == "-"
    chosen = SheetFormat.JSONL if to_stdout else SheetFormat.from_path(output)
    if chosen is None:
        raise SigderivError(
            f"cannot tell the sheet's format from {output.name!r}: name the file .html, .tex, "
            ".md or .jsonl"
        )
    text, source = _read(file)
    problems = read_problems(text)
    if not problems:
        raise SigderivError(f"no problems in {source}: one expression per line, # for a comment")
    entries: list[SheetEntry] = []
    stream: TextIO | None = None
    try:
        if chosen is SheetFormat.JSONL:
            stream = sys.stdout if to_stdout else _open(output)
        outcomes = derive_all(
            problems,
            var,
            jobs=jobs,
            timeout=timeout,
            check_timeout=check_timeout,
            then=partial(_section, chosen),
        )
        with progress_bar("Deriving the sheet", len(problems)) as progress:
            for done, outcome in enumerate(outcomes, start=1):
                failure = outcome.failure
                entry = SheetEntry(
                    outcome.problem.line,
                    outcome.problem.text,
                    piece=None if failure is not None else outcome.extra,
                    kind=failure.kind if failure is not None else None,
                    message=failure.message if failure is not None else None,
                )
                entries.append(entry)
                if stream is not None:  # written as it finishes: an interrupt loses nothing
                    stream.write(record(entry, outcome.extra if failure is None else None))
                    stream.flush()
                progress(done, len(problems))
    finally:
        if stream is not None and not to_stdout:
            stream.close()
    if chosen is not SheetFormat.JSONL:
        emit(sheet(chosen, entries, source), output)
    elif not to_stdout:
        wrote(output)
    failed = sorted((e for e in entries if e.piece is None), key=lambda e: e.line)
    for entry in failed:
        say(f"line {entry.line}", f"{entry.message} ({entry.kind})", ascii)
    if failed:
        say("error", f"{len(failed)} of {len(entries)} lines could not be derived", ascii)
        raise typer.Exit(EXIT_INPUT)


def _open(output: Path) -> TextIO:
    """Open ``output`` for JSON Lines, replacing what it held."""
    try:
        return open(output, "w", encoding="utf-8")
    except OSError as error:
        raise SigderivError(f"cannot write {output}: {error.strerror}") from None
