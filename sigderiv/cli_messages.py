"""The command line's messages and exit codes: one line on stderr for each error or warning."""

from __future__ import annotations

import math
import os
import re
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sigderiv.errors import ParseError, SigderivError, TimeoutError, UnsupportedError
from sigderiv.model.steps import Derivation

if TYPE_CHECKING:
    from rich.console import Console

    from sigderiv.grading.check import Report  # only named: checking loads it when it runs

#: --ascii: the same flag on every command that writes math.
AsciiOption = Annotated[
    bool, typer.Option("--ascii", help="Plain ASCII output for terminals without unicode.")
]

#: Exit codes, the same for every command: 0 success, 1 a checked line is wrong (check
#: only), 2 bad input or a limit, 3 a time-out, 70 an internal error (sysexits' EX_SOFTWARE).
EXIT_OK, EXIT_WRONG, EXIT_INPUT, EXIT_TIMEOUT, EXIT_INTERNAL = 0, 1, 2, 3, 70

#: The library's parameters and the flags that set them: library messages name the
#: parameter (``var='y'``, ``timeout=``), the command line shows the flag (``--var y``).
FLAGS = {
    "var": "--var",
    "name": "--name",
    "order": "--order",
    "timeout": "--timeout",
    "check_timeout": "--check-timeout",
    "total_timeout": "--total-timeout",
}

#: The parameter that bounds the whole command, where it is not ``timeout``.
_WHOLE_BOUND = {"check": "total_timeout"}

# ``var='y'`` or ``timeout=5`` (a value follows) or ``var=`` alone, not ``a_var=``.
_PARAMETER = re.compile(rf"\b({'|'.join(FLAGS)})=(?:'([^'\s]*)'|(?=([\w.+-])))?")

_REPORT = "This is a bug in sigderiv; please report it with the command you ran."


def as_flags(message: str) -> str:
    """Return ``message`` with each parameter it names written as its flag."""

    def flag(match: re.Match[str]) -> str:
        name, quoted, follows = match.groups()
        if quoted is not None:  # var='y': --var y
            return f"{FLAGS[name]} {quoted}"
        return FLAGS[name] + (" " if follows is not None else "")

    return _PARAMETER.sub(flag, message)


def console(*, stderr: bool = False, ascii: bool = False) -> Console:
    """Return a console for standard error or output; output is coloured only on a terminal
    without NO_COLOR, and ``ascii`` draws boxes in ASCII."""
    from rich.console import Console

    if stderr:
        return Console(stderr=True, highlight=False, emoji=False, safe_box=ascii)
    no_color = bool(os.environ.get("NO_COLOR")) or not sys.stdout.isatty()
    return Console(no_color=no_color, highlight=False, emoji=False, safe_box=ascii)


def say(label: str, message: str, ascii: bool, style: str = "bold red") -> None:
    """Print ``label: message`` on stderr, on one line, flags for parameters, never markup.

    Every message of the command line reaches the terminal here: rich markup in it is
    escaped, and control characters (an escape sequence, U+202E) are shown as escapes.
    """
    from rich.markup import escape

    from sigderiv.formats.safe import printable

    shown = escape(" ".join(as_flags(printable(message)).split()))
    console(stderr=True, ascii=ascii).print(f"[{style}]{label}:[/] {shown}", soft_wrap=True)


def report(error: Exception, command: str, ascii: bool) -> int:
    """Print ``error`` as one line on stderr (a caret under a parse error's bad character,
    a request to report a bug); return its exit code."""
    from rich.markup import escape

    code = error.exit_code if isinstance(error, SigderivError) else EXIT_INTERNAL
    if code == EXIT_INTERNAL:
        say("internal error", f"{type(error).__name__}: {error}", ascii)
        console(stderr=True, ascii=ascii).print(_REPORT, soft_wrap=True, markup=False)
        return code
    message = str(error)
    if isinstance(error, TimeoutError):
        message += f" ({FLAGS[_WHOLE_BOUND.get(command, 'timeout')]} sets it)"
    say("error", message, ascii)
    if isinstance(error, ParseError) and error.caret():
        console(stderr=True, ascii=ascii).print(escape(error.caret()), style="dim", soft_wrap=True)
    return code


def usage(
    message: str, option: str | None, path: str, args: Sequence[str], *, takes_expr: bool
) -> int:
    """Print a usage error (an unknown option, a bad or missing value) as one ``error:`` line on
    stderr pointing to ``PATH --help``; return EXIT_INPUT.

    An unknown option that does not start with ``--``, given to a command that takes an
    expression, is most likely an expression that starts with a minus: the line says to put
    ``--`` before it, and shows the command that way.
    """
    given = None
    if takes_expr and option and not option.startswith("--"):
        given = next((at for at, arg in enumerate(args) if arg.startswith(option)), None)
    if given is not None:
        rest = [*args[:given], *args[given + 1 :]]
        command = " ".join([path, *map(shlex.quote, rest), "--", shlex.quote(args[given])])
        say(
            "error",
            f"{shlex.quote(args[given])} looks like an option; put -- before an expression "
            f"that starts with a minus: {command}",
            ascii=False,
        )
        return EXIT_INPUT
    text = message.strip().rstrip(".")
    if text[:1].isupper() and text[1:2].islower():
        text = text[0].lower() + text[1:]
    say("error", f"{text}; see '{path} --help'", ascii=False)
    return EXIT_INPUT


def wrote(path: object) -> None:
    """Say ``wrote PATH`` on stderr: a command that wrote its output to a file says so."""
    from sigderiv.formats.safe import printable

    sys.stderr.write(f"wrote {printable(str(path))}\n")
    sys.stderr.flush()


def warn(derivation: Derivation | Report, ascii: bool) -> None:
    """Print the derivation's (or the check's) warnings to stderr, one line each."""
    for warning in derivation.warnings:
        say("warning", warning, ascii, "bold yellow")


def layers_option(found: bool, let: list[str] | None) -> bool | tuple[tuple[str, str], ...] | None:
    """derive's ``layers=`` from --layers and --let NAME=EXPR."""
    if let:
        pairs = []
        for given in let:
            name, equals, value = given.partition("=")
            if not equals or not name.strip() or not value.strip():
                raise ParseError(f"--let takes NAME=EXPR, such as --let z=w*x+b, not {given!r}")
            pairs.append((name.strip(), value.strip()))
        return tuple(pairs)
    return True if found else None


def params_option(pairs: list[str] | None, var: str) -> dict[str, float]:
    """plot's values from --param NAME=NUMBER (the last one for a name wins); float() only."""
    given: dict[str, float] = {}
    for pair in pairs or ():
        name, sep, number = pair.partition("=")
        name = name.strip()
        try:
            value = float(number) if sep and name.isidentifier() else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise UnsupportedError(f"--param needs NAME=NUMBER, a finite number: not {pair!r}")
        if name == var:
            raise UnsupportedError(f"--param {name}: {name} is the variable, drawn over --range")
        given[name] = value
    return given


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to standard output, or replace ``output`` with it whole."""
    if output is None:
        sys.stdout.write(text)
        return
    from sigderiv.input.files import write_text

    try:
        write_text(output, text)
    except OSError as error:
        raise SigderivError(f"cannot write {output}: {error.strerror}") from None
    wrote(output)
