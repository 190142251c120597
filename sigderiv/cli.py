"""The command-line interface: parse arguments, call the library, print, map errors to codes."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sigderiv._version import __version__
from sigderiv.cli_batch import JobsOption, derive_sheet, list_catalogue
from sigderiv.cli_check import CHECK_HELP, check_derivation
from sigderiv.cli_click import Guarded, Usage
from sigderiv.cli_messages import AsciiOption
from sigderiv.cli_messages import as_flags as as_flags  # the messages name flags: tests use it
from sigderiv.cli_messages import console as _console
from sigderiv.cli_messages import emit as _emit
from sigderiv.cli_messages import layers_option as _layers
from sigderiv.cli_messages import params_option as _params
from sigderiv.cli_messages import warn as _warn
from sigderiv.cli_messages import wrote as _wrote
from sigderiv.cli_serve import serve
from sigderiv.errors import SigderivError, UnsupportedError
from sigderiv.formats.base import Format
from sigderiv.input.limits import CHECK_TIMEOUT, MAX_ORDER, TIMEOUT, check_range
from sigderiv.model.steps import Derivation

if TYPE_CHECKING:
    from sigderiv.formats.output import Deadline

#: --let NAME=EXPR, repeated: derive's and grad's layers named by hand.
LetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--let",
        metavar="NAME=EXPR",
        help="Name a layer yourself, innermost first: --let z=w*x+b --let a=sigmoid(z) "
        "(implies --layers).",
        show_default=False,
    ),
]


app = typer.Typer(
    name="sigderiv",
    cls=Usage,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="Derive derivatives step by step, the way a teacher writes them, every step proven "
    "by SymPy.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sigderiv {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Derive derivatives step by step, every step proven by SymPy."""


@app.command(cls=Guarded)
def derive(
    expr: Annotated[
        str,
        typer.Argument(
            help="A catalogue name such as [bold]sigmoid[/] or an expression such as "
            "[bold]'1/(1+exp(-x))'[/]; ^ is a power, e is Euler's number.",
            show_default=True,
        ),
    ] = "sigmoid",
    var: Annotated[
        str,
        typer.Option(
            "--var",
            metavar="NAME",
            help="The variable to differentiate in. If EXPR does not contain it, the "
            "derivative is 0: a warning on stderr says so, and the exit code is still 0.",
        ),
    ] = "x",
    ascii: AsciiOption = False,
    order: Annotated[
        int,
        typer.Option(
            "--order", help=f"Which derivative: 2 for the second, and so on, up to {MAX_ORDER}."
        ),
    ] = 1,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="Name the function, so that the result is written in terms of its own value.",
        ),
    ] = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Write the derivative ∂/∂VAR: a partial derivative of a function of several "
            "variables (the other names are constants either way).",
        ),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Seconds the whole command may take, rendering included; past it, exit code 3.",
            min=0.01,
        ),
    ] = TIMEOUT,
    check_timeout: Annotated[
        float,
        typer.Option(
            "--check-timeout",
            metavar="SECONDS",
            help="Seconds each step's proof may take (never more than what is left of "
            "--timeout) before the step is reported unverified.",
            min=0.01,
        ),
    ] = CHECK_TIMEOUT,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="terminal (the default), text (plain ASCII), latex, markdown, json or html; "
            "numpy, torch or jax: a Python module that backpropagates (forward and backward). "
            "With --output and no --format, the file's extension chooses: "
            ".txt .tex .md .json .html, and .py for numpy.",
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
            help="Write to FILE instead of standard output ('-': standard output); the file "
            "is replaced whole once complete, never left half-written.",
            dir_okay=False,
        ),
    ] = None,
    fragment: Annotated[
        bool,
        typer.Option(
            "--fragment",
            help="latex: an align* block to paste into a paper, not a whole document; "
            "html: a <div>, not a whole page.",
        ),
    ] = False,
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            metavar="COLUMNS",
            help="Columns the terminal and text views fit in; long equations break at = and "
            "between terms. Default: the terminal's width (else COLUMNS), and 80 for text.",
            min=20,
            show_default=False,
        ),
    ] = None,
    layers: Annotated[
        bool,
        typer.Option(
            "--layers",
            help="Derive it as backpropagation does: name the layers (z = w*x + b, a = "
            "sigmoid(z)) and use the chain rule through them, layer by layer.",
        ),
    ] = False,
    let: LetOption = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--input",
            "-i",
            metavar="FILE",
            help="Derive every line of FILE, an exercise sheet ('-': standard input; blank "
            "lines and # comments skipped), each line bounded by --timeout, into -o sheet.html, "
            ".tex, .md or .jsonl (JSON Lines, written as each line finishes; '-o -': on "
            "standard output). A line that fails is reported and the rest written: exit code 2.",
            show_default=False,
        ),
    ] = None,
    jobs: JobsOption = None,
) -> None:
    """Derive the derivative of EXPR step by step and prove every step (default: the sigmoid)."""
    from sigderiv.engine.deriver import start
    from sigderiv.formats.output import Deadline

    if sheet is not None:
        unused = {"EXPR": expr != "sigmoid", "--order": order != 1, "--name": name is not None}
        unused |= {"--partial": partial, "--format": fmt is not None, "--fragment": fragment}
        unused |= {"--width": width is not None, "--layers": layers or bool(let)}
        bounds = (timeout, check_timeout)
        return derive_sheet(sheet, output, var, jobs, bounds, ascii=ascii, unused=unused)
    if output is not None and str(output) == "-":
        output = None  # standard output, as without --output
    chosen = _output_format(fmt, output, fragment)
    deadline = Deadline.start(timeout)  # the whole command: deriving, then rendering
    pending = start(
        expr,
        var,
        name=name,
        order=order,
        timeout=timeout,
        check_timeout=check_timeout,
        layers=_layers(layers, let),
    )
    try:  # while the worker derives, load what writes the answer
        import rich.console  # noqa: F401
    finally:
        derivation = pending.result()
    if partial:
        derivation = replace(derivation, partial=True)
    _warn(derivation, ascii)
    if chosen is not Format.TERMINAL or output is not None:
        _write(derivation, chosen, output, fragment, ascii, deadline, width)
        return
    from sigderiv.formats.output import Screen, terminal_text

    console = _console(ascii=ascii)
    screen = Screen(
        width=console.width if width is None else width,
        color_system=console.color_system,
        terminal=console.is_terminal,
        no_color=console.no_color,
        ascii=ascii,
        encoding=console.encoding,
    )
    sys.stdout.write(deadline.run(terminal_text, derivation, screen, what="the derivation's view"))


@app.command(cls=Guarded)
def grad(
    expr: Annotated[
        str,
        typer.Argument(
            help="The function, such as a loss: [bold]'-(y*log(a) + (1-y)*log(1-a))'[/]."
        ),
    ],
    wrt: Annotated[
        str,
        typer.Option("--wrt", help="The variables of the gradient, such as [bold]w,b[/]."),
    ],
    ascii: AsciiOption = False,
    layers: Annotated[
        bool,
        typer.Option(
            "--layers/--no-layers",
            help="Name the layers (z = w*x + b, a = sigmoid(z)) and use the chain rule through "
            "them, where the function is built that way.",
        ),
    ] = True,
    let: LetOption = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Seconds each partial derivative may take; past it, exit code 3.",
            min=0.01,
        ),
    ] = TIMEOUT,
    check_timeout: Annotated[
        float,
        typer.Option(
            "--check-timeout",
            metavar="SECONDS",
            help="Seconds each step's proof may take before the step is reported unverified.",
            min=0.01,
        ),
    ] = CHECK_TIMEOUT,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="terminal (the default), text, markdown or json. With --output and no "
            "--format, the file's extension chooses: .txt .md .json.",
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
            help="Write to FILE instead of standard output.",
            dir_okay=False,
        ),
    ] = None,
    width: Annotated[
        int | None,
        typer.Option(
            "--width", metavar="COLUMNS", help="Columns the terminal and text views fit in.", min=20
        ),
    ] = None,
) -> None:
    """Derive the gradient of EXPR: each partial derivative step by step, then the vector."""
    from sigderiv.engine.gradient import grad as gradient_of
    from sigderiv.formats.gradient import render_gradient
    from sigderiv.formats.output import Deadline

    if output is not None and str(output) == "-":
        output = None
    chosen = _output_format(fmt, output, False)
    gradient = gradient_of(
        expr, wrt, layers=_layers(layers, let), timeout=timeout, check_timeout=check_timeout
    )
    for derivation in gradient.derivations:
        _warn(derivation, ascii)
    options: dict[str, object] = {}
    if chosen in (Format.TERMINAL, Format.TEXT):
        console = _console(ascii=ascii)
        options["width"] = width or (console.width if output is None else 80)
        if chosen is Format.TERMINAL:
            options.update(ascii=ascii, color=output is None and console.is_terminal)
    deadline = Deadline.start(timeout)
    _emit(deadline.run(render_gradient, gradient, chosen, options, what="rendering"), output)


def _output_format(fmt: Format | None, output: Path | None, fragment: bool) -> Format:
    """Return the format asked for: --format, else the --output file's extension, else terminal."""
    chosen = fmt
    if chosen is None and output is not None:
        chosen = Format.from_path(output)
        if chosen is None:
            raise SigderivError(
                f"cannot tell the format from {output.name!r}: name the file .txt, .tex, "
                ".md, .json, .html or .py, or give --format"
            )
    chosen = chosen or Format.TERMINAL
    if fragment and chosen not in (Format.LATEX, Format.HTML):
        raise SigderivError("--fragment goes with --format latex or html")
    return chosen


def _write(
    derivation: Derivation,
    chosen: Format,
    output: Path | None,
    fragment: bool,
    ascii: bool,
    deadline: Deadline,
    width: int | None = None,
) -> None:
    """Render the derivation in ``chosen`` (in the bounded worker, within ``deadline``) and
    write it to ``output`` or standard output; the text views ``width`` columns wide."""
    from sigderiv.formats.output import formatted

    options: dict[str, object] = {}
    if chosen in (Format.LATEX, Format.HTML):
        options["fragment"] = fragment
    elif chosen is Format.TERMINAL:  # into a file: the same view, without colour codes
        options.update(ascii=ascii, color=False)
    if chosen in (Format.TERMINAL, Format.TEXT) and width is not None:
        options["width"] = width
    _emit(deadline.run(formatted, derivation, chosen, options, what="rendering"), output)


@app.command(cls=Guarded)
def plot(
    expr: Annotated[
        str,
        typer.Argument(help="A catalogue name such as [bold]sigmoid[/] or an expression."),
    ] = "sigmoid",
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The image to write: .png, .svg, .pdf, .jpg or .jpeg ('-': a PNG on standard "
            "output).",
            dir_okay=False,
        ),
    ] = Path("plot.png"),
    interval: Annotated[
        tuple[float, float],
        typer.Option("--range", help="The interval of the variable to draw, low then high."),
    ] = (-6.0, 6.0),
    var: Annotated[str, typer.Option("--var", help="The variable to differentiate in.")] = "x",
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            metavar="NAME=VALUE",
            help="Give a name other than the variable a number to draw with: --param k=2 "
            "(repeatable; a catalogue function's parameters have PyTorch's defaults).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Seconds the whole command may take, drawing included; past it, exit code 3.",
            min=0.01,
        ),
    ] = TIMEOUT,
) -> None:
    """Plot f, its derivative f′ and, where the derivation found it, f′ from f's own value."""
    from sigderiv.engine.deriver import derive as derive_steps
    from sigderiv.formats.output import Deadline, plot_image
    from sigderiv.formats.plot import SUFFIXES
    from sigderiv.input.files import replacing

    low, high = check_range(*interval, label="--range")
    given = _params(param, var)
    to_stdout = str(output) == "-"
    if not to_stdout and output.suffix.lower() not in SUFFIXES:  # before deriving, not after
        raise UnsupportedError(f"a plot is saved as {', '.join(SUFFIXES)}, not {str(output)!r}")
    deadline = Deadline.start(timeout)  # the whole command: deriving, sampling, drawing
    suffix = ".png" if to_stdout else output.suffix.lower()
    derivation = derive_steps(expr, var, timeout=timeout)
    image = deadline.run(plot_image, derivation, suffix, low, high, given, what="the plot")
    if to_stdout:
        sys.stdout.buffer.write(image)
        sys.stdout.flush()
        return
    try:
        with replacing(output) as temporary:
            temporary.write_bytes(image)
    except OSError as error:
        raise SigderivError(f"cannot write {output}: {error.strerror}") from None
    _wrote(output)


def main() -> None:
    """Run the command-line interface (the ``sigderiv`` console script), then exit at once.

    Tearing down an interpreter that holds SymPy's caches takes a tenth of a second, a
    fifth of the whole run; the command's work is done and flushed by then, so the process
    ends with ``os._exit`` instead. (Only the console script does this: the library and
    ``app`` itself never exit.)
    """
    try:
        app()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    from sigderiv.sandbox.bound import stop_worker

    stop_worker()  # reaped, not orphaned: its time and memory count as this command's
    os._exit(code)


app.command("serve", cls=Guarded)(serve)


app.command("list", cls=Guarded)(list_catalogue)
app.command("check", cls=Guarded, help=CHECK_HELP)(check_derivation)
