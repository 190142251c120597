"""derive --format and --output: every format on standard output or into a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sigderiv import Derivation
from sigderiv.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def run(*args: str):
    return runner.invoke(app, list(args), env=ENV)


@pytest.mark.parametrize(
    ("fmt", "starts", "contains"),
    [
        ("text", "-----", "sigma(x)(1 - sigma(x))"),
        ("latex", "% Made by sigderiv", r"\documentclass[11pt]{article}"),
        (
            "markdown",
            "# The derivative of the sigmoid",
            r"## Step 5. Substitute $\sigma\left(x\right)$",
        ),
        ("json", "{", '"schema": "sigderiv.derivation"'),
        ("html", "<!DOCTYPE html>", '<section class="step" id="step-5">'),
        ("terminal", "─────", "σ(x)(1 - σ(x))"),
    ],
)
def test_each_format_on_standard_output(fmt: str, starts: str, contains: str) -> None:
    result = run("derive", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(starts)
    assert contains in result.stdout
    assert result.stderr == ""


def test_text_is_plain_ascii_without_colour() -> None:
    out = run("derive", "-f", "text").stdout
    assert out.isascii() and "\x1b[" not in out and "12 of 12 steps proven by SymPy" in out


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("d.tex", r"\begin{document}"),
        ("d.md", "## Step 1."),
        ("d.json", '"version": 1'),
        ("d.html", "<math"),
        ("d.txt", "Step 1."),
    ],
)
def test_output_file_format_follows_its_extension(name: str, marker: str, tmp_path: Path) -> None:
    out = tmp_path / name
    result = run("derive", "1/(1+e^(-2x))", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert marker in out.read_text(encoding="utf-8")


def test_format_wins_over_the_extension(tmp_path: Path) -> None:
    out = tmp_path / "d.txt"
    assert run("derive", "-f", "json", "-o", str(out)).exit_code == 0
    assert Derivation.from_json(out.read_text(encoding="utf-8")).name == "sigmoid"


def test_fragment(tmp_path: Path) -> None:
    latex = run("derive", "-f", "latex", "--fragment").stdout
    assert r"\begin{align*}" in latex and r"\documentclass" not in latex
    html = run("derive", "-f", "html", "--fragment").stdout
    assert html.startswith('<div class="sigderiv">') and "<html" not in html


def test_json_from_the_command_line_reads_back() -> None:
    data = json.loads(run("derive", "3/(2+e^x)", "-f", "json").stdout)
    assert data["function"]["text"] == "3/(2 + e^x)"
    Derivation.from_json(json.dumps(data))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["derive", "-o", "derivation.pdf"], "cannot tell the format from 'derivation.pdf'"),
        (["derive", "--fragment"], "--fragment goes with --format latex or html"),
        (["derive", "-f", "json", "--fragment"], "--fragment goes with --format latex or html"),
        (["derive", "-o", "/nonexistent-dir/d.md"], "cannot write /nonexistent-dir/d.md"),
    ],
)
def test_output_mistakes_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert message in " ".join(result.stderr.split())


def test_an_unknown_format_is_a_usage_error() -> None:
    result = run("derive", "-f", "pdf")
    assert result.exit_code == 2
    assert "pdf" in result.stderr


def test_help_lists_the_new_options() -> None:
    out = run("derive", "--help").stdout
    for option in ("--format", "--output", "--fragment"):
        assert option in out
    assert "--range" in run("plot", "--help").stdout


# ---- --width: the terminal and text views fit their width ---------------------------------------

_LONG = ("(3x+2)^5 (x-1)^2", "x*sin(x)*exp(x)*log(x)*cos(x)")


def _widest(text: str) -> int:
    from rich.cells import cell_len

    return max(cell_len(line) for line in text.splitlines())


@pytest.mark.parametrize("expr", _LONG)
@pytest.mark.parametrize(
    ("columns", "args", "width"),
    [
        ("80", (), 80),  # the terminal's width, from COLUMNS
        ("200", ("--width", "60"), 60),  # --width wins over COLUMNS
        ("200", ("-f", "text"), 80),  # text is 80 columns unless told
        ("200", ("-f", "text", "--width", "60"), 60),
    ],
)
def test_the_views_fit_the_width(
    expr: str, columns: str, args: tuple[str, ...], width: int
) -> None:
    result = runner.invoke(app, ["derive", expr, *args], env={**ENV, "COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert width - 15 < _widest(result.stdout) <= width


def test_width_goes_into_a_terminal_file_too(tmp_path: Path) -> None:
    out = tmp_path / "view.txt"
    result = run("derive", _LONG[0], "-f", "terminal", "-o", str(out), "--width", "50")
    assert result.exit_code == 0, result.output
    assert 35 < _widest(out.read_text(encoding="utf-8")) <= 50


def test_width_below_twenty_is_refused() -> None:
    result = run("derive", "--width", "10")
    assert result.exit_code == 2
