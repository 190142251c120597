"""sigderiv grad and derive --layers/--let: exit codes and what they print."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sigderiv.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
BCE = "-(y*log(sigmoid(w*x + b)) + (1 - y)*log(1 - sigmoid(w*x + b)))"


def run(*args: str):
    return runner.invoke(app, list(args), env=ENV)


def test_grad_prints_each_partial_derivative_then_the_gradient() -> None:
    result = run("grad", "--wrt", "w,b", "--", BCE)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.count("── Result ──") == 2
    assert "The partial derivative of" in out
    assert "Step 2. The chain rule through the layers  ✓" in out
    assert "pre-activation z = wx + b" in re.sub(r"\s+", " ", out)
    gradient = out[out.index("Gradient") :]
    assert "x⋅(σ(wx + b) - y)" in gradient and "σ(wx + b) - y" in gradient
    assert "∇L = " in gradient
    assert out.count("21 of 21 steps proven by SymPy") == 2


def test_grad_without_layers_uses_the_plain_rules() -> None:
    result = run("grad", "--wrt", "w", "--no-layers", "--", BCE)
    assert result.exit_code == 0, result.output
    assert "chain rule through the layers" not in result.stdout
    assert "x⋅(σ(wx + b) - y)" in result.stdout


def test_grad_writes_json_with_every_derivation(tmp_path: Path) -> None:
    target = tmp_path / "gradient.json"
    result = run("grad", "--wrt", "w b", "-o", str(target), "--", BCE)
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [v["text"] for v in data["variables"]] == ["w", "b"]
    assert [g["text"] for g in data["gradient"]] == ["x·(σ(wx + b) − y)", "σ(wx + b) − y"]
    assert len(data["derivations"]) == 2 and data["verified"] is True
    assert all(d["partial"] for d in data["derivations"])


def test_grad_writes_markdown_with_nabla() -> None:
    result = run("grad", "--wrt", "w", "-f", "markdown", "--", BCE)
    assert result.exit_code == 0, result.output
    assert "## Gradient" in result.stdout and r"\nabla L = " in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("grad", "--wrt", "w", "-f", "latex", "--", BCE), "one variable at a time"),
        (("grad", "--wrt", "w,w", "--", BCE), "each variable once"),
        (("derive", "--var", "w", "--let", "z", "--", BCE), "NAME=EXPR"),
        (("derive", "--var", "w", "--let", "z=w*y", "--", BCE), "does not occur"),
        (("derive", "--var", "w", "--layers", "--order", "2", "--", BCE), "first derivative"),
    ],
)
def test_bad_gradients_and_layers_exit_2_with_one_line(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_derive_with_layers_named_by_hand() -> None:
    result = run(
        "derive", "--var", "b", "--let", "z=w*x+b", "--let", "a=sigmoid(z)", "--ascii", "--", BCE
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Step 1. Name the layers  [ok]" in out
    assert "Multiply the layers' derivatives" in out
    assert re.search(r"= sigma\(b \+ wx\) - y\n", out)


def test_grad_of_a_label_outside_the_layers_is_derived_plainly() -> None:
    result = run("grad", "--wrt", "y", "--ascii", "--", BCE)
    assert result.exit_code == 0, result.output
    assert "Name the layers" not in result.stdout


def test_the_gradient_in_backprop_md_is_what_grad_prints() -> None:
    page = (Path(__file__).parent.parent / "docs" / "backprop.md").read_text(encoding="utf-8")
    shown = page[page.index("─── Gradient ───") :]
    shown = shown[: shown.index("```")]
    result = runner.invoke(
        app, ["grad", "--wrt", "w,b", "--", BCE], env={"COLUMNS": "80", "NO_COLOR": "1"}
    )
    assert result.exit_code == 0, result.output
    printed = result.stdout[result.stdout.index("─── Gradient ───") :]
    assert printed.rstrip().endswith(shown.rstrip())
