"""sigderiv plot: f, f′ and f′ from f's own value, saved as PNG and SVG with matplotlib."""

from __future__ import annotations

import builtins
import math
from pathlib import Path

import pytest
import sympy as sp
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


# Issue 17 (plots), item 2: .jpg, .jpeg and .pdf are written, each with its own magic bytes.
@pytest.mark.parametrize(
    ("name", "magic"),
    [
        ("f.jpg", b"\xff\xd8\xff"),
        ("f.jpeg", b"\xff\xd8\xff"),
        ("F.JPG", b"\xff\xd8\xff"),
        ("f.pdf", b"%PDF-"),
        ("f.png", b"\x89PNG\r\n\x1a\n"),
        ("f.svg", b"<?xml"),
    ],
)
def test_plot_writes_each_format_it_names(name: str, magic: bytes, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    out = tmp_path / name
    result = runner.invoke(app, ["plot", "relu", "-o", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)


def test_a_pdf_plot_is_the_same_file_twice(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    for name in ("a.pdf", "b.pdf"):
        runner.invoke(app, ["plot", "x^2", "-o", str(tmp_path / name)], env=ENV)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


# Issue 17 (plots), item 1: --param gives the other names a value.
@pytest.mark.parametrize(
    ("expr", "params"),
    [
        ("exp(-k*x)", ["k=2"]),
        ("a*sin(w*x)", ["a=1.5", "w=-3"]),
        ("leaky_relu", ["s=0.3"]),  # a catalogue parameter given
        ("leaky_relu", []),  # ... or left at its default
        ("elu", []),
        ("x^n", ["n=3", "n=2"]),  # the last one given counts
    ],
)
def test_param_values_the_other_names(expr: str, params: list[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    out = tmp_path / "p.png"
    flags = [part for p in params for part in ("--param", p)]
    result = runner.invoke(app, ["plot", expr, *flags, "-o", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["exp(-k*x)"], "cannot plot: k has no value; give a value with --param k=…"),
        (["a*exp(-k*x)", "--param", "a=1"], "k has no value; give a value with --param k=…"),
        (["a*exp(-k*x)"], "a, k have no value; give a value with --param a=… --param k=…"),
        (["exp(-k*x)", "--param", "k=two"], "--param needs NAME=NUMBER, a finite number"),
        (["exp(-k*x)", "--param", "k"], "--param needs NAME=NUMBER"),
        (["exp(-k*x)", "--param", "k=inf"], "--param needs NAME=NUMBER, a finite number"),
        (["exp(-k*x)", "--param", "2=k"], "--param needs NAME=NUMBER"),
        (["exp(-k*x)", "--param", "x=1"], "--param x: x is the variable"),
    ],
)
def test_param_mistakes_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    out = tmp_path / "p.png"
    result = runner.invoke(app, ["plot", *args, "-o", str(out)], env=ENV)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and message in " ".join(result.stderr.split())
    assert not out.exists()


def test_parameter_values_are_the_catalogue_defaults_then_the_given() -> None:
    from sigderiv.engine.sample import parameter_values

    assert parameter_values(derive("elu")) == {"alpha": 1.0}
    assert parameter_values(derive("elu"), {"alpha": 2.0, "k": 1.0}) == {"alpha": 2.0, "k": 1.0}
    assert parameter_values(derive("exp(-k*x)")) == {}
    drawn = lines(derive("exp(-k*x)"), -1, 1, {"k": 2.0})
    assert drawn[0].samples.ys[0] == pytest.approx(math.exp(2.0))
    assert drawn[1].samples.ys[0] == pytest.approx(-2 * math.exp(2.0))


def _at(samples, x: float) -> list[float | None]:
    """The values sampled at exactly ``x``."""
    return [y for sx, y in zip(samples.xs, samples.ys, strict=True) if sx == x]


_X = sp.Symbol("x")
_THIRD = sp.Piecewise((_X, sp.Lt(_X, sp.Rational(1, 3))), (2, True))


# Issue 17 (plots), item 3: a jump is a gap with dots, not a vertical segment.
@pytest.mark.parametrize(
    ("expr", "at", "closed", "open_"),
    [
        ("relu", 0.0, 0.0, {1.0}),  # f′ = {1 if x > 0; 0 otherwise}
        ("abs(x)", 0.0, 0.0, {-1.0, 1.0}),  # f′ = sign(x)
        ("leaky_relu", 0.0, 1.0, {0.01}),  # f′ = {1 if x ≥ 0; s}: the default s
        ("hardtanh", 1.0, 1.0, {0.0}),  # f′ = {0 if x > 1 or x < −1; 1}: 1 at 1
        ("hardtanh", -1.0, 1.0, {0.0}),
        (_THIRD, 1 / 3, 0.0, {1.0}),  # a breakpoint between two sample points
    ],
)
def test_a_jump_of_f_prime_is_a_gap_and_dots(
    expr: str | sp.Expr, at: float, closed: float, open_: set[float]
) -> None:
    prime = lines(derive(expr), -6, 6)[1]
    xs, ys = prime.samples.xs, prime.samples.ys
    assert list(xs) == sorted(xs)
    gaps = [x for x, y in zip(xs, ys, strict=True) if y is None]
    assert any(x == pytest.approx(at, abs=1e-9) for x in gaps)
    dots = [d for d in prime.dots if d.x == pytest.approx(at, abs=1e-9)]
    assert [d.y for d in dots if d.closed] == [pytest.approx(closed)]
    assert {round(d.y, 9) for d in dots if not d.closed} == open_
    i = next(i for i, x in enumerate(xs) if x == pytest.approx(at, abs=1e-9) and ys[i] is None)
    assert abs(xs[i + 1] - xs[i - 1]) < 1e-9  # the line runs to the jump from both sides


@pytest.mark.parametrize(
    ("expr", "at", "value"),
    [
        ("relu", 0.0, 0.0),
        ("leaky_relu", 0.0, 0.0),
        ("hardtanh", 1.0, 1.0),
        ("hardtanh", -1.0, -1.0),
    ],
)
def test_a_continuous_function_at_its_breakpoint_gets_the_point_not_a_gap(
    expr: str, at: float, value: float
) -> None:
    f = lines(derive(expr), -6, 6)[0]
    assert None not in f.samples.ys and f.dots == ()
    assert _at(f.samples, at) == [pytest.approx(value)]


@pytest.mark.parametrize("expr", ["x^2", "sin(x)", "exp(x)", "sigmoid"])
def test_smooth_functions_are_sampled_as_before(expr: str) -> None:
    for line in lines(derive(expr), -6, 6):
        assert len(line.samples.xs) == 400 and line.dots == ()


def test_at_an_inexact_breakpoint_both_limits_are_open_dots() -> None:
    prime = lines(derive("abs(sin(5*x))"), -1, 1)[1]  # jumps at 0 and ±π/5
    at_0 = [d for d in prime.dots if d.x == 0.0]
    assert sorted((d.y, d.closed) for d in at_0) == [(-5.0, False), (0.0, True), (5.0, False)]
    at_fifth = [d for d in prime.dots if d.x == pytest.approx(math.pi / 5)]
    assert sorted(round(d.y, 6) for d in at_fifth) == [-5.0, 5.0]
    assert not any(d.closed for d in at_fifth)


# Issue 17 (plots), item 4: f′ is drawn only where f has a value.
@pytest.mark.parametrize(
    ("expr", "undefined", "defined"),
    [
        ("log(x)", -2.0, 2.0),  # f′ = 1/x has a value at -2, f does not
        ("sqrt(x)", -1.0, 1.0),
        ("log(1 - x)", 3.0, -3.0),
        ("asin(x/2)", 4.0, 1.0),
    ],
)
def test_f_prime_has_a_gap_where_f_has_no_value(
    expr: str, undefined: float, defined: float
) -> None:
    f, prime = lines(derive(expr), -6, 6)[:2]
    for samples in (f.samples, prime.samples):
        near = {x: y for x, y in zip(samples.xs, samples.ys, strict=True)}
        bad = min(near, key=lambda x: abs(x - undefined))
        good = min(near, key=lambda x: abs(x - defined))
        assert near[bad] is None and near[good] is not None


# Issue 17 (plots), item 5: f is drawn over f′, thinner, so both show where they coincide.
def test_f_is_drawn_on_top_of_f_prime() -> None:
    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    from sigderiv.formats.plot import figure

    exp = derive("exp(x)")
    drawn = figure(exp, lines(exp, -6, 6)).axes[0].get_lines()
    f, prime = drawn[0], drawn[1]
    assert f.get_zorder() > prime.get_zorder() and f.get_linewidth() < prime.get_linewidth()
    relu = derive("relu")
    marks = [
        m for m in figure(relu, lines(relu, -6, 6)).axes[0].get_lines() if m.get_marker() == "o"
    ]
    faces = sorted(str(m.get_markerfacecolor()) for m in marks)
    assert len(marks) == 2 and "white" in faces
