"""The console script: the worker forked first for commands that derive, then the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sigderiv.cli import app
from sigderiv.console import DERIVING

ENV = {"NO_COLOR": "1", "COLUMNS": "80", "PATH": ""}


def sigderiv(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sigderiv`` (the console script's main) with ``args``."""
    return subprocess.run(
        [sys.executable, "-m", "sigderiv", *args],
        capture_output=True,
        text=True,
        check=False,
        env=ENV,
        timeout=120,
    )


def test_the_commands_that_derive_are_the_cli_commands_that_derive() -> None:
    names = {command.name or command.callback.__name__ for command in app.registered_commands}
    assert names <= DERIVING


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        pytest.param(("derive", "x^2*e^x", "--ascii"), 0, "5 of 5 steps proven", id="derive"),
        pytest.param(("derive", "x +* 1"), 2, "error: missing operand", id="bad input"),
        pytest.param(("list", "--ascii"), 0, "sigmoid", id="no derivation"),
        pytest.param(("--version",), 0, "sigderiv ", id="version"),
    ],
)
def test_the_console_script_runs_each_command(
    args: tuple[str, ...], code: int, expected: str
) -> None:
    done = sigderiv(*args)
    assert done.returncode == code, done.stderr
    assert expected in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
