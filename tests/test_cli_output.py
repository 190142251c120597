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
        ("text", "-----", "sigma(x)*(1 - sigma(x))"),
        ("latex", "% Made by sigderiv", r"\documentclass[11pt]{article}"),
        ("markdown", "# The derivative of the sigmoid", "## Step 5. Substitute σ(x)"),
        ("json", "{", '"schema": "sigderiv.derivation"'),
        ("html", "<!DOCTYPE html>", '<section class="step" id="step-5">'),
        ("terminal", "─────", "σ(x)⋅(1 - σ(x))"),
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
    assert out.isascii() and "\x1b[" not in out and "13 of 13 steps proven by SymPy" in out


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
