"""The command line on issue 17's inputs: undefined values refused, typo hints."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

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
