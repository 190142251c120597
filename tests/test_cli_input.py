"""The command line on issue 17's inputs: undefined values refused, typo hints, shorthands."""

from __future__ import annotations

import pytest
import sympy as sp
from typer.testing import CliRunner

from sigderiv import Derivation
from sigderiv.cli import app

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


@pytest.mark.parametrize(
    ("expr", "message", "column"),
    [
        ("zoo", "error: zoo is complex infinity, not a number: it has no derivative", 0),
        ("x + nan", "error: nan is 'not a number', an undefined value", 4),
        ("2*oo", "error: oo is infinity, not a number: it has no derivative", 2),
        ("inf", "error: inf is infinity", 0),
        ("log(x, 0)", "error: a logarithm's base must be positive and not 1 (here it is 0)", 7),
        ("log(x, -2)", "error: a logarithm's base must be positive and not 1", 7),
        ("sinn(x)", "error: unknown function 'sinn': did you mean sin?", 0),
        ("foo(x)", "error: unknown function 'foo' (write foo*(...) to multiply)", 0),
    ],
)
def test_refused_input_gives_one_error_and_exit_2(expr: str, message: str, column: int) -> None:
    result = run("derive", "--", expr)
    assert result.exit_code == 2
    assert result.stdout == ""
    error, line, caret = result.stderr.splitlines()  # the message, then the input and a caret
    assert error.startswith(message)
    assert line == expr
    assert caret.index("^") == column


def test_a_misspelled_catalogue_name_warns_first_and_still_derives() -> None:
    result = run("derive", "sigmoud")
    assert result.exit_code == 0
    warnings = [w for w in result.stderr.splitlines() if w.startswith("warning:")]
    assert warnings[0] == "warning: sigmoud is not in the catalogue: did you mean sigmoid?"
    assert "did you mean --var sigmoud?" in warnings[1]
    assert "= 0" in result.stdout


X, Y, S = sp.symbols("x y s")


@pytest.mark.parametrize(
    ("args", "function", "warning"),
    [
        (["x^2 sin x"], X**2 * sp.sin(X), None),
        (["sin^2 x"], sp.sin(X) ** 2, None),
        (["sin²x + cos x"], sp.sin(X) ** 2 + sp.cos(X), None),
        (["e^x sin 2x"], sp.exp(X) * sp.sin(2 * X), None),
        (["--var", "y", "x^2 y + 2xy"], X**2 * Y + 2 * X * Y, None),
        (
            ["--var", "s", "--", "-(y*log(s) + (1-y)*log(1-s))"],
            -(Y * sp.log(S) + (1 - Y) * sp.log(1 - S)),
            None,
        ),
        (["--var", "y", "2xy"], 2 * sp.Symbol("xy"), "warning: 'xy' is one name, not x*y"),
        (["2*sigmoud"], 2 * sp.Symbol("sigmoud"), "warning: sigmoud is not in the catalogue"),
    ],
)
def test_shorthands_learners_write_on_the_command_line(
    args: list[str], function: sp.Expr, warning: str | None
) -> None:
    """What the README and docs/input.md show: read as on paper, exit 0, a warning if any."""
    result = run("derive", "-f", "json", *args)
    assert result.exit_code == 0, result.output
    assert Derivation.from_json(result.stdout).function == function
    warnings = [w for w in result.stderr.splitlines() if w.startswith("warning:")]
    assert warnings == [] if warning is None else warnings[0].startswith(warning), warnings


def test_check_of_2xy_for_d_dx_of_x2y_is_right_on_the_command_line() -> None:
    result = CliRunner().invoke(app, ["check", "--ascii", "-"], input="x^2 y\n= 2xy\n", env=ENV)
    assert result.exit_code == 0, result.output
    assert "1 of 1 line proven correct" in result.stdout
    assert "warning" not in result.stderr
