"""Implicit and parametric derivatives: dy/dx of curves, equal to SymPy's, every step proven."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
import sympy as sp
from typer.testing import CliRunner

from sigderiv import Derivation, Rule, derive, render
from sigderiv.cli import app
from sigderiv.errors import ParseError, UnsupportedError
from sigderiv.formats.base import substep_sides
from sigderiv.input.equations import Curve, Parametric, read_equations, top_level

x, y, t = sp.symbols("x y t")
Y = sp.Function("y")(x)
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "derivation.schema.json").read_text())

CURVES = [
    ("x^2 + y^2 = 1", x**2 + y**2 - 1),  # circle
    ("x^2/4 + y^2/9 = 1", x**2 / 4 + y**2 / 9 - 1),  # ellipse
    ("x^3 + y^3 = 6*x*y", x**3 + y**3 - 6 * x * y),  # folium of Descartes
    ("e^y = x", sp.exp(y) - x),
    ("sin(x + y) = y", sp.sin(x + y) - y),
    ("x*y = 1", x * y - 1),
    ("y = x^2", y - x**2),  # an explicit curve read as an implicit one
]


def _plain(expr: sp.Expr) -> sp.Expr:
    return expr.xreplace({Y: y})


def _on_curve(difference: sp.Expr, relation: sp.Expr) -> bool:
    """True when ``difference`` is 0 on the curve relation = 0 (its numerator reduces to 0)."""
    numerator = sp.numer(sp.together(difference))
    return sp.reduced(sp.expand(numerator), [sp.expand(relation)], x, y)[1] == 0


@pytest.mark.parametrize(("text", "relation"), CURVES, ids=[c[0] for c in CURVES])
def test_implicit_first_derivative_is_sympys_idiff(text: str, relation: sp.Expr) -> None:
    d = derive(text, "x", bounded=False)
    assert sp.simplify(_plain(d.result) - sp.idiff(relation, y, x)) == 0
    assert d.verified
    assert d.start == sp.Derivative(Y, x)
    rules = d.rules()
    assert rules[0] is Rule.IMPLICIT_DIFFERENTIATION
    assert Rule.COLLECT_DERIVATIVE in rules and Rule.SOLVE_DERIVATIVE in rules


@pytest.mark.parametrize(
    ("text", "relation", "expected"),
    [
        ("x^2 + y^2 = 1", x**2 + y**2 - 1, -1 / y**3),
        ("x*y = 1", x * y - 1, 2 * y / x**2),
        ("x^2 - y^2 = 4", x**2 - y**2 - 4, -4 / y**3),
    ],
)
def test_implicit_second_derivative_uses_the_curve(
    text: str, relation: sp.Expr, expected: sp.Expr
) -> None:
    d = derive(text, "x", order=2, bounded=False)
    result = _plain(d.result)
    assert sp.simplify(result - expected) == 0
    assert _on_curve(result - sp.idiff(relation, y, x, 2), relation)
    assert d.verified and d.order == 2
    assert [s.rule for s in d.steps] == [Rule.ORDER, Rule.ORDER]


def test_the_circles_second_derivative_names_its_use_of_the_equation() -> None:
    d = derive("x^2 + y^2 = 1", "x", order=2, bounded=False)
    second = [s.rule for s in d.steps[1].substeps]
    assert Rule.SUBSTITUTE_DERIVATIVE in second
    assert second[-1] is Rule.USE_EQUATION
    use = d.steps[1].substeps[-1]
    assert sp.simplify(_plain(use.before) + (x**2 + y**2) / y**3) == 0
    assert _plain(use.after) == -1 / y**3


def test_equation_steps_are_equations_and_show_the_one_they_reach() -> None:
    d = derive("x^3 + y^3 = 6*x*y", "x", bounded=False)
    collect = next(s for s in d.walk() if s.rule is Rule.COLLECT_DERIVATIVE)
    assert isinstance(collect.before, sp.Equality) and isinstance(collect.after, sp.Equality)
    assert substep_sides(collect) == (collect.after,)
    solve = next(s for s in d.walk() if s.rule is Rule.SOLVE_DERIVATIVE)
    assert solve.after.lhs == sp.Derivative(Y, x)
    assert "substituted back" in solve.check.method  # type: ignore[union-attr]


PARAMETRIC = [
    ("x = cos(t), y = sin(t)", sp.cos(t), sp.sin(t)),  # circle
    ("x = t - sin(t), y = 1 - cos(t)", t - sp.sin(t), 1 - sp.cos(t)),  # cycloid
    ("x = t^2, y = t^3", t**2, t**3),
    ("x = e^t, y = e^(-t)", sp.exp(t), sp.exp(-t)),
]


@pytest.mark.parametrize(("text", "xt", "yt"), PARAMETRIC, ids=[p[0] for p in PARAMETRIC])
def test_parametric_derivative_is_the_quotient(text: str, xt: sp.Expr, yt: sp.Expr) -> None:
    d = derive(text, "t", bounded=False)
    assert sp.simplify(d.result - sp.diff(yt, t) / sp.diff(xt, t)) == 0
    assert d.verified
    rule = d.steps[0]
    assert rule.rule is Rule.PARAMETRIC_RULE
    x_side, y_side = rule.substeps
    for side, value in ((x_side, xt), (y_side, yt)):
        assert side.before == sp.Derivative(value, t)
        assert sp.simplify(side.after - sp.diff(value, t)) == 0


def test_the_circle_parametrised_gives_minus_cot() -> None:
    assert derive("x = cos(t), y = sin(t)", "t", bounded=False).result == -sp.cot(t)


@pytest.mark.parametrize(
    ("text", "var", "error", "says"),
    [
        ("x = y = 1", "x", ParseError, "one '='"),
        ("x^2 = 1", "x", UnsupportedError, "has no y"),
        ("x = cos(t)", "t", UnsupportedError, "one component"),
        ("x = cos(t), y = sin(t), z = t", "t", UnsupportedError, "two components"),
        ("x = cos(t), x = sin(t)", "t", ParseError, "both named x"),
        ("x = cos(t), y", "t", ParseError, "letter = expression"),
        ("x = cos(t), y = sin(t)", "x", UnsupportedError, "in its parameter"),
        ("2x = cos(t), y = sin(t)", "t", ParseError, "named by one letter"),
        ("x = cos(y), y = sin(t)", "t", UnsupportedError, "alone"),
        ("x^2 + y^2 = ", "x", ParseError, "missing"),
        ("x^2 + y^2 = 1", "y", UnsupportedError, "dependent"),
        ("x = cos(t), y = sin(t)", "t", None, ""),
    ],
)
def test_equations_that_define_no_derivative_are_refused(
    text: str, var: str, error: type[Exception] | None, says: str
) -> None:
    if error is None:
        assert isinstance(read_equations(text, sp.Symbol(var)), Parametric)
        return
    with pytest.raises(error, match=says):
        derive(text, var, bounded=False)


@pytest.mark.parametrize(("text", "relation"), CURVES, ids=[c[0] for c in CURVES])
def test_a_sympy_equation_derives_as_its_text_does(text: str, relation: sp.Expr) -> None:
    curve = read_equations(text, x)
    assert isinstance(curve, Curve)
    given = derive(sp.Eq(curve.lhs, curve.rhs), x, bounded=False)
    assert given.result == derive(text, "x", bounded=False).result
    assert given.verified and given.steps[0].rule is Rule.IMPLICIT_DIFFERENTIATION


def test_a_pair_of_sympy_equations_is_a_parametric_curve() -> None:
    real_t = sp.Symbol("t", real=True)  # named like the variable: it is the variable
    pair = (sp.Eq(x, sp.cos(real_t)), sp.Eq(y, sp.sin(real_t)))
    d = derive(pair, "t", bounded=False)
    assert d.result == -sp.cot(t) and d.verified
    assert derive(list(pair), t, bounded=False).result == -sp.cot(t)


@pytest.mark.parametrize(
    ("given", "var", "error", "says"),
    [
        (sp.Eq(x**2, 1), "x", UnsupportedError, "has no y"),
        (sp.Eq(x**2 + y**2, 1), "y", UnsupportedError, "dependent"),
        ((sp.Eq(x, sp.cos(t)),), "t", UnsupportedError, "two equations"),
        ((sp.Eq(x, sp.cos(t)), sp.sin(t)), "t", UnsupportedError, "two equations"),
        ((sp.Eq(x, t), sp.Eq(x, t**2)), "t", ParseError, "both named x"),
        ((sp.Eq(2 * x, t), sp.Eq(y, t**2)), "t", ParseError, "one letter"),
        ((sp.Eq(x, sp.cos(t)), sp.Eq(y, sp.sin(t))), "x", UnsupportedError, "in its parameter"),
        ((sp.Eq(x, sp.cos(y)), sp.Eq(y, sp.sin(t))), "t", UnsupportedError, "alone"),
        (sp.Eq(x, 1) & sp.Eq(y, 2), "x", ParseError, "expected text, a SymPy expression or an Eq"),
    ],
)
def test_sympy_equations_that_define_no_derivative_are_refused(
    given: object, var: str, error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says):
        derive(given, var, bounded=False)


@pytest.mark.parametrize(
    ("text", "var", "options"),
    [
        ("x^2 + y^2 = 1", "x", {"name": "r"}),
        ("x^2 + y^2 = 1", "x", {"layers": True}),
        ("x = cos(t), y = sin(t)", "t", {"name": "r"}),
        ("x = cos(t), y = sin(t)", "t", {"order": 2}),
        ("x^2 + y^2 = 1", "x", {"order": 3}),
    ],
)
def test_options_a_curve_has_no_use_for_are_refused(text: str, var: str, options: dict) -> None:
    with pytest.raises(UnsupportedError):
        derive(text, var, bounded=False, **options)


def test_top_level_splits_outside_brackets_and_leaves_comparisons() -> None:
    assert [p for p, _ in top_level("max(x, 0), y = f(a, b)", ",")] == ["max(x, 0)", " y = f(a, b)"]
    assert len(top_level("x <= 1", "=")) == 1 and len(top_level("x == 1", "=")) == 1
    assert read_equations("x^2 + 1", x) is None
    assert isinstance(read_equations("x^2 + y^2 = 1", x), Curve)


@pytest.mark.parametrize("order", [1, 2])
def test_every_format_renders_an_implicit_derivation(order: int, tmp_path: Path) -> None:
    d = derive("x^2 + y^2 = 1", "x", order=order)
    for kind in ("terminal", "text", "markdown", "latex", "html"):
        assert "y" in render(d, kind)
    document = json.loads(render(d, "json"))
    jsonschema.validate(document, SCHEMA)
    back = Derivation.from_json(json.dumps(document))
    assert back.result == d.result and back.rules() == d.rules()
    if shutil.which("pdflatex") is not None:
        (tmp_path / "d.tex").write_text(render(d, "latex"))
        done = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "d.tex"],
            cwd=tmp_path,
            capture_output=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout[-2000:]


def test_a_parametric_derivation_renders_as_json_that_reads_back() -> None:
    d = derive("x = t^2, y = t^3", "t")
    document = json.loads(render(d, "json"))
    jsonschema.validate(document, SCHEMA)
    assert Derivation.from_json(json.dumps(document)).result == d.result


runner = CliRunner()
ENV = {"COLUMNS": "80", "NO_COLOR": "1"}


@pytest.mark.parametrize(
    ("args", "shows"),
    [
        (["derive", "x^2 + y^2 = 1", "--var", "x"], "Differentiate both sides"),
        (["derive", "x^2 + y^2 = 1", "--var", "x", "--order", "2"], "Use the curve's equation"),
        (["derive", "x = cos(t), y = sin(t)", "--var", "t"], "cot(t)"),
    ],
)
def test_cli_derives_curves(args: list[str], shows: str) -> None:
    result = runner.invoke(app, args, env=ENV)
    assert result.exit_code == 0, result.output
    assert shows in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    ("text", "var", "says"),
    [
        ("x = y = 1", "x", "one '='"),
        ("x^2 = 1", "x", "has no y"),
        ("x = cos(t)", "t", "one component"),
    ],
)
def test_cli_refuses_bad_equations_with_exit_2(text: str, var: str, says: str) -> None:
    result = runner.invoke(app, ["derive", text, "--var", var], env=ENV)
    assert result.exit_code == 2
    assert says in result.stderr
