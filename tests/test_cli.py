"""The command line: output, exit codes, unicode and --ascii, errors on stderr."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from sigderiv._version import __version__
from sigderiv.cli import app, as_flags
from sigderiv.errors import (
    LimitError,
    ParseError,
    SigderivError,
    TimeoutError,
    UnsupportedError,
    VerificationError,
)

runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def run(*args: str):
    return runner.invoke(app, list(args), env=ENV)


def test_derive_without_argument_derives_the_sigmoid() -> None:
    result = run("derive")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "The derivative of the sigmoid σ(x)" in out
    titles = re.findall(r"^Step (\d)\. (.*?)  ✓$", out, re.M)
    assert [n for n, _ in titles] == ["1", "2", "3", "4", "5"]
    assert "quotient rule" in titles[0][1] and "chain rule" in titles[0][1]
    assert titles[1][1] == "Differentiate the inner function −x"
    assert titles[4][1] == "Substitute σ(x)"
    assert "σ(x)(1 - σ(x))" in out
    assert "12 of 12 steps proven by SymPy" in out
    prose = re.sub(r"\s+", " ", out)
    assert "outer function g(y) = 1 + e^y" in prose and "inner function y = −x" in prose
    assert "does not depend on x" in prose
    assert "Adding and subtracting 1" in prose


def test_the_claimed_forms_are_shown() -> None:
    out = run("derive").stdout
    # add and subtract one: 1 + e^-x - 1 over the square
    assert re.search(r"1 \+ ℯ   - 1\n", out)
    # two separate fractions after the split, the product just before σ goes in
    assert "───────⋅⎜1 - ───────⎟" in out


def test_ascii_output_has_no_unicode() -> None:
    result = run("derive", "--ascii")
    assert result.exit_code == 0
    assert result.stdout.isascii()
    assert "sigma(x)(1 - sigma(x))" in result.stdout
    assert "[ok]" in result.stdout and "✓" not in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["derive", "1/(1+e^(-2x))"], "2σ(2x)(1 - σ(2x))"),
        (["derive", "1/(1+exp(-k*x))"], "k⋅σ(kx)(1 - σ(kx))"),
        (["derive", "1/(1+exp(-t))", "--var", "t"], "σ(t)(1 - σ(t))"),
        (["derive", "sigmoid"], "σ(x)(1 - σ(x))"),
        (["derive", "x^2 + 3x"], "2x + 3"),
    ],
)
def test_other_inputs(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert expected in result.stdout


@pytest.mark.parametrize(
    ("args", "message", "caret_column"),
    [
        (["derive", "1/(1+exp(-x)"], "never closed", 2),
        (["derive", "foo(x)"], "unknown function", 0),
        (["derive", "x.__class__"], "attribute", None),
        (["derive", "x", "--var", "1x"], "variable", None),
    ],
)
def test_user_mistakes_give_one_line_and_exit_2(
    args: list[str], message: str, caret_column: int | None
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    if caret_column is not None:
        lines = result.stderr.splitlines()
        assert lines[-1] == " " * caret_column + "^"


def test_elementary_functions_derive() -> None:
    result = run("derive", "sin(x^2)")
    assert result.exit_code == 0, result.output
    assert "The chain rule" in result.stdout and "Power rule" in result.stdout
    assert "2x⋅cos⎝x ⎠" in result.stdout


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"sigderiv {__version__}"


def test_help_lists_derive() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "derive" in result.stdout
    result = run("derive", "--help")
    assert result.exit_code == 0
    for option in ("--var", "--ascii", "--timeout"):
        assert option in result.stdout


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sigderiv", "derive", "--ascii"],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_COLOR": "1", "COLUMNS": "80", "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    assert "sigma(x)(1 - sigma(x))" in done.stdout
    assert "\x1b[" not in done.stdout  # no colour codes when not a terminal


def test_list_shows_every_catalogue_entry_derived(catalogue_once: None) -> None:
    from sigderiv.expr.functions import CATALOGUE

    result = runner.invoke(app, ["list", "--ascii"], env={**ENV, "COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert result.stdout.isascii()
    rows = {line.split("|")[1].strip(): line for line in result.stdout.splitlines() if "|" in line}
    assert set(CATALOGUE) <= set(rows)
    assert "sigma(x)(1 - sigma(x))  <- own value" in rows["sigmoid"]
    assert "1 - tanh^2(x)  <- own value" in rows["tanh"]
    assert "{1 if x > 0; alpha + ELU(x) otherwise}  <- own value" in rows["elu"]
    assert "| sigma(x) " in rows["softplus"]


def test_order_two_of_the_sigmoid() -> None:
    result = run("derive", "sigmoid", "--order", "2")
    assert result.exit_code == 0, result.output
    assert "The second derivative" in result.stdout
    assert "σ(x)(1 - σ(x))(1 - 2σ(x))" in result.stdout


def test_name_writes_the_result_through_sigma() -> None:
    result = run("derive", "x/(1+exp(-x))", "--name", "swish", "--ascii")
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()
    assert any("sigma(x)" in line for line in last[-4:])


def test_order_out_of_range_is_a_usage_error() -> None:
    result = run("derive", "sigmoid", "--order", "0")
    assert result.exit_code == 2


# Issue 13, item 3: --timeout bounds the whole command, rendering included. Before: -f html of
# x^x^x^x ran past 60 s with --timeout 5 (sampling by evalf), and -f html of sin nested 55 deep
# took 56 s whatever --timeout said (MathML of the chain rule's product).
def test_html_of_a_tower_is_quick() -> None:
    import time

    started = time.monotonic()
    result = CliRunner().invoke(app, ["derive", "--timeout", "5", "-f", "html", "x^x^x^x"])
    assert result.exit_code == 0, result.stderr
    assert "<svg" in result.stdout and time.monotonic() - started < 10


@pytest.mark.parametrize("fmt", [["-f", "html"], []], ids=["html", "terminal"])
def test_rendering_ends_at_the_timeout(fmt: list[str]) -> None:
    import time

    # derived in a tenth of a second; drawn for the terminal in about two, as a page in thirty
    deep = "sin(" * 55 + "x" + ")" * 55
    started = time.monotonic()
    result = CliRunner().invoke(app, ["derive", "--timeout", "1", *fmt, deep])
    assert result.exit_code == 3, result.stderr
    assert "ran out of its time bound of 1 s" in result.stderr and result.stdout == ""
    assert time.monotonic() - started < 5


# ---- the one error boundary: every command, every error family, one exit code -----------------

# Issue 12, item 5: each command maps each kind of error to its documented code, through one
# boundary. The library function each command calls is replaced by one that raises.
COMMANDS = {
    "derive": ("sigderiv.engine.deriver", "start", ["derive", "x^2"]),
    "plot": ("sigderiv.engine.deriver", "derive", ["plot", "x^2", "-o", "-"]),
    "check": ("sigderiv.grading.check", "check", ["check", "-"]),
    "list": ("sigderiv.engine.catalogue", "catalogue", ["list"]),
}

FAMILIES = [
    pytest.param(lambda: ParseError("missing operand", "x +* 1", 3), 2, "error: ", id="parse"),
    pytest.param(lambda: LimitError("past MAX_DEPTH"), 2, "error: past MAX_DEPTH", id="limit"),
    pytest.param(lambda: UnsupportedError("no rule"), 2, "error: no rule", id="unsupported"),
    pytest.param(lambda: SigderivError("cannot"), 2, "error: cannot", id="base"),
    pytest.param(lambda: TimeoutError("ran out"), 3, "error: ran out (--", id="timeout"),
    pytest.param(
        lambda: VerificationError("Power rule: false"),
        70,
        "internal error: VerificationError: Power rule: false",
        id="verification",
    ),
    pytest.param(
        lambda: RuntimeError("broken"), 70, "internal error: RuntimeError: broken", id="internal"
    ),
]


def _raising(monkeypatch: pytest.MonkeyPatch, command: str, error: Exception) -> list[str]:
    """Make ``command``'s library call raise ``error``; return the command line to run."""
    module, function, args = COMMANDS[command]

    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(importlib.import_module(module), function, broken)
    return args


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("make", "code", "first"), FAMILIES)
def test_each_command_maps_each_error_family_to_its_code(
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    make: Callable[[], Exception],
    code: int,
    first: str,
) -> None:
    error = make()
    result = runner.invoke(app, _raising(monkeypatch, command, error), env=ENV, input="x^2\n2x\n")
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(first)
    if isinstance(error, ParseError):
        assert lines[1:] == ["x +* 1", "   ^"]  # a caret under the bad character
    elif code == 70:
        assert lines[1:] == [REPORT]
    elif isinstance(error, TimeoutError):  # the flag that bounds the whole command
        bound = "--total-timeout" if command == "check" else "--timeout"
        assert lines == [f"error: ran out ({bound} sets it)"]
    else:
        assert len(lines) == 1


REPORT = "This is a bug in sigderiv; please report it with the command you ran."


@pytest.mark.parametrize("command", COMMANDS)
def test_an_internal_error_is_one_line_and_the_report_hint(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    args = _raising(monkeypatch, command, RuntimeError("[bold red]not markup[/] \x1b[2J"))
    result = runner.invoke(app, args, env=ENV, input="x^2\n2x\n")
    assert result.exit_code == 70
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        r"internal error: RuntimeError: [bold red]not markup[/] \x1b[2J",  # escaped, not parsed
        REPORT,
    ]


def test_a_wrong_line_exits_1_and_an_internal_error_of_check_exits_70(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = runner.invoke(app, ["check", "-"], env=ENV, input="x^2\n= 3x\n")
    assert wrong.exit_code == 1 and wrong.stderr == ""
    broken = runner.invoke(app, _raising(monkeypatch, "check", KeyError("oops")), env=ENV)
    assert broken.exit_code == 70 and broken.stderr.startswith("internal error: KeyError")


@pytest.mark.parametrize("command", ["derive", "check", "plot"])
def test_a_message_naming_a_parameter_shows_its_flag(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    error = ParseError("did you mean var='y'? timeout= and check_timeout= and order= too")
    result = runner.invoke(app, _raising(monkeypatch, command, error), env=ENV, input="x\n1\n")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: did you mean --var y? --timeout and --check-timeout and --order too\n"
    )


def test_library_messages_name_parameters_and_the_cli_shows_flags() -> None:
    from sigderiv import check, derive

    assert derive("y^2").warnings == (
        "the input does not contain x, so its derivative is 0; did you mean var='y'?",
    )
    with pytest.raises(ParseError, match=r"use var= to change it"):
        check("x^2\n= d/dy (x^2)")
    result = runner.invoke(app, ["check", "-"], env=ENV, input="x^2\n= d/dy (x^2)\n")
    assert result.exit_code == 2
    assert "(use --var to change it)" in result.stderr
    result = run("derive", "x", "--order", "99")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --order must be a whole number from 1 to 8, not 99")


def test_as_flags() -> None:
    assert (
        as_flags("did you mean var='t'? (its names: k, t)")
        == "did you mean --var t? (its names: k, t)"
    )
    assert as_flags("total_timeout= must be") == "--total-timeout must be"
    assert (
        as_flags("memory= stays, a_var= stays, var=2 is var=")
        == "memory= stays, a_var= stays, --var 2 is --var"
    )


def test_partial_writes_the_round_d_in_every_view() -> None:
    result = runner.invoke(app, ["derive", "x*z^2 + sin(x*z)", "--var", "z", "--partial"])
    assert result.exit_code == 0, result.output
    assert "The partial derivative of" in result.output
    assert "∂z" in result.output  # the 2-D ∂/∂z under its fraction line
    assert "dz" not in result.output.replace("∂z", "")
    latex = runner.invoke(app, ["derive", "x*z^2", "--var", "z", "--partial", "-f", "latex"])
    assert latex.exit_code == 0 and r"\frac{\partial}{\partial z}" in latex.output
    plain = runner.invoke(app, ["derive", "x*z^2", "--var", "z", "-f", "latex"])
    assert r"\partial" not in plain.output and r"\frac{d}{d z}" in plain.output


# Issue 17, the command line's rough edges.
@pytest.mark.parametrize("command", [[], ["derive"], ["grad"], ["plot"], ["check"], ["list"]])
def test_dash_h_is_help_and_dash_capital_v_is_version(command: list[str]) -> None:
    short, long = run(*command, "-h"), run(*command, "--help")
    assert short.exit_code == long.exit_code == 0
    assert short.stdout == long.stdout and "Usage:" in short.stdout
    result = run("-V")
    assert result.exit_code == 0 and result.stdout.strip() == f"sigderiv {__version__}"


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["derive", "-(y*log(s) + (1-y)*log(1-s))"], "sigderiv derive -- "),
        (["derive", "-x^2", "--var", "x"], "sigderiv derive --var x -- '-x^2'"),
        (["grad", "-(y*log(a))", "--wrt", "a"], "sigderiv grad --wrt a -- '-(y*log(a))'"),
        (["plot", "-2*x", "-o", "p.png"], "sigderiv plot -o p.png -- '-2*x'"),
        (["check", "-(x)"], "sigderiv check -- '-(x)'"),
    ],
)
def test_an_expression_that_starts_with_a_minus_is_told_to_follow_dash_dash(
    args: list[str], shown: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "looks like an option; put -- before an expression that starts with a minus" in lines[0]
    assert shown in lines[0]
    assert "╭" not in result.stderr


def test_dash_dash_before_an_expression_that_starts_with_a_minus_derives_it() -> None:
    result = run("derive", "--", "-x^2")
    assert result.exit_code == 0, result.output
    assert "-2x" in result.stdout.replace("−", "-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["derive", "--order", "0"], "--order must be a whole number from 1 to 8, not 0"),
        (["derive", "--order", "9"], "--order must be a whole number from 1 to 8, not 9"),
        (["derive", "--order", "x"], "invalid value for '--order'"),
        (
            ["derive", "--nope"],
            "no such option: --nope (Possible options: --input, --name, --order)",
        ),
        (["grad", "x"], "missing option '--wrt'; see 'sigderiv grad --help'"),
        (["derive", "-f", "nope"], "invalid value for '--format'"),
        (["--nope"], "no such option: --nope; see 'sigderiv --help'"),
        (["nope"], "no such command 'nope'"),
    ],
)
def test_every_usage_error_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0]


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["derive", "x^2", "-o"], "d.md"),
        (["derive", "x^2", "-f", "json", "-o"], "d.json"),
        (["grad", "w*x", "--wrt", "w", "-o"], "g.txt"),
    ],
)
def test_writing_a_file_says_wrote_file_on_stderr(args: list[str], name: str, tmp_path) -> None:
    out = tmp_path / name
    result = run(*args, str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"wrote {out}\n"
    assert out.stat().st_size > 0


SLIP = "docs/examples/power-slip.txt"


@pytest.mark.parametrize(
    ("args", "name", "start"),
    [
        (["-f", "json"], None, "{"),
        (["-f", "text"], None, "----"),
        (["--format", "JSON"], None, "{"),
        (["-o"], "c.json", "{"),
        (["-o"], "c.txt", "-" * 20),
        (["-f", "json", "-o"], "c.out", "{"),
        (["-f", "terminal", "-o"], "c.out", "─" * 20),
    ],
)
def test_check_takes_format_and_output(
    args: list[str], name: str | None, start: str, tmp_path, monkeypatch
) -> None:
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).parent.parent)
    out = tmp_path / name if name else None
    result = run("check", SLIP, *args, *([str(out)] if out else []))
    assert result.exit_code == 1, result.output  # the example's line is wrong, by design
    text = out.read_text() if out else result.stdout
    assert text.startswith(start) and "\x1b[" not in text
    if out:
        assert result.stdout == "" and result.stderr == f"wrote {out}\n"
    if "text" in args:
        assert text.isascii()


def test_check_output_of_an_unknown_extension_is_refused(tmp_path) -> None:
    result = run("check", "-", "-o", str(tmp_path / "c.md"))
    assert result.exit_code == 2
    assert "cannot tell the format from 'c.md'" in result.stderr


@pytest.mark.parametrize("command", ["derive", "grad", "check"])
def test_help_does_not_break_mid_sentence_and_format_is_one_word(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={**ENV, "COLUMNS": "80"})
    assert result.exit_code == 0
    assert "FORMAT" in result.stdout
    assert "mar kdown" not in result.stdout and "<terminal|" not in result.stdout
    assert "that cannot\n" not in result.stdout


def test_a_variable_not_in_the_expression_warns_and_exits_0() -> None:
    result = run("derive", "y^2")
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: the input does not contain x")
    help_text = " ".join(run("derive", "--help").stdout.replace("│", " ").split())
    assert "a warning on stderr says so, and the exit code is still 0" in help_text
