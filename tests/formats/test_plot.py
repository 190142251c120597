"""sigderiv plot: f, f′ and f′ from f's own value, saved as PNG and SVG with matplotlib."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sigderiv import UnsupportedError, derive
from sigderiv.cli import app
from sigderiv.engine.sample import plot_lines as lines
from sigderiv.formats.plot import save

runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def test_lines_include_the_derivative_from_the_function_s_own_value() -> None:
    drawn = lines(derive("sigmoid"), -6, 6)
    assert [line.style for line in drawn] == ["-", "-", "--"]
    assert "σ(x)(1 − σ(x))" in drawn[2].label and "own value" in drawn[2].label
    sympy_prime, own = drawn[1].samples.ys, drawn[2].samples.ys
    assert all(a == pytest.approx(b) for a, b in zip(sympy_prime, own, strict=True))
    assert len(lines(derive("x^2 + 3x"))) == 2  # no named function: nothing of its own value


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_command_writes_an_image(suffix: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    out = tmp_path / f"sigmoid{suffix}"
    result = runner.invoke(app, ["plot", "sigmoid", "-o", str(out), "--range", "-4", "4"], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr.strip() == f"wrote {out}"
    data = out.read_bytes()
    if suffix == ".png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    else:
        assert b"<svg" in data[:2000] and data.count(b"<path") >= 3


def test_plot_of_a_pole(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    pole = derive("1/x")
    save(pole, lines(pole), str(tmp_path / "pole.png"))
    assert (tmp_path / "pole.png").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plot", "1/(1+exp(-k*x))"], "cannot plot: k has no value"),
        (["plot", "sigmoid", "-o", "plot.gif"], "a plot is saved as .png, .svg, .pdf"),
        (["plot", "sigmoid", "--range", "3", "1"], "--range needs low < high"),
        (["plot", "1/(1+exp(-x)"], "never closed"),
    ],
)
def test_plot_mistakes_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args, env=ENV)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_without_matplotlib_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    real_import = builtins.__import__

    def no_matplotlib(name: str, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(UnsupportedError, match=r"pip install 'sigderiv\[plot\]'"):
        sigmoid = derive("sigmoid")
        save(sigmoid, lines(sigmoid), str(tmp_path / "p.png"))
    result = runner.invoke(app, ["plot", "-o", str(tmp_path / "p.png")], env=ENV)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: plotting needs matplotlib: pip install 'sigderiv[plot]'"


@pytest.mark.parametrize(
    "interval",
    [["-inf", "inf"], ["-1e308", "1e308"], ["1e308", "1.7e308"], ["nan", "1"], ["0", "1e101"]],
)
def test_a_range_beyond_max_range_exits_2(interval: list[str], tmp_path: Path) -> None:
    image = str(tmp_path / "p.png")
    result = runner.invoke(app, ["plot", "x^2", "--range", *interval, "-o", image], env=ENV)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: --range must be two finite numbers")
    assert "MAX_RANGE = 1e+100" in result.stderr
    assert "internal error" not in result.stderr
    assert not (tmp_path / "p.png").exists()


# Issue 13, item 3: --timeout bounds the whole command. Before: both ran past 60 s (the
# plot's sample at x = 6 alone took 50 s by evalf); after: about a second each.
def test_plot_of_a_tower_is_quick_and_bounded(tmp_path: Path) -> None:
    import time

    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    target = tmp_path / "tower.png"
    started = time.monotonic()
    result = runner.invoke(app, ["plot", "--timeout", "5", "-o", str(target), "x^x^x^x"], env=ENV)
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 10
    assert target.read_bytes().startswith(b"\x89PNG")


def test_a_tower_s_samples_past_a_float_are_gaps() -> None:
    import time

    from sigderiv.engine.sample import sample

    x = derive("x^x^x^x").variable
    started = time.monotonic()
    samples = sample(x ** (x ** (x**x)), x, -6, 6, 13)
    assert time.monotonic() - started < 2
    assert samples.ys[-1] is None and samples.ys[7] == pytest.approx(1.0)  # 6: past a float


def test_the_plot_is_drawn_within_the_command_s_bound(monkeypatch, tmp_path: Path) -> None:
    import time

    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    from sigderiv.formats import output
    from sigderiv.sandbox import bound

    def slow(*args: object) -> bytes:
        time.sleep(30)
        return b""

    bound.stop_worker()  # the worker runs the code as it is now
    monkeypatch.setattr(output, "plot_image", slow)
    started = time.monotonic()
    result = runner.invoke(app, ["plot", "--timeout", "2", "-o", str(tmp_path / "p.png")], env=ENV)
    assert result.exit_code == 3, result.output
    assert "the plot ran out of its time bound of 2 s" in result.stderr
    assert time.monotonic() - started < 6
    bound.stop_worker()
