"""Every printer writes the same teacher order and notation: one table, four printers."""

from __future__ import annotations

import html
import re

import pytest
import sympy as sp

from sigderiv import sigma
from sigderiv.expr.build import add, derivative, fraction, mul, neg, power
from sigderiv.printing.inline import ascii_text, inline
from sigderiv.printing.latex import latex
from sigderiv.printing.mathml import mathml
from sigderiv.printing.pretty import pretty

X, Y, Z, K = sp.symbols("x y z k")
E = sp.exp


def mathml_text(expr: sp.Expr) -> str:
    """The characters MathML shows, in order (markup and invisible operators removed)."""
    text = html.unescape(re.sub("<[^>]+>", "", mathml(expr)))
    return text.replace("\u2061", "").replace("\u2062", "")


#: (expression, inline, LaTeX, pretty lines, MathML characters)
TABLE = [
    pytest.param(
        X**2 - 2 * X - 1,
        "x² − 2x − 1",
        "x^{2} - 2 x - 1",
        [" 2", "x  - 2x - 1"],
        "x2−2x−1",
        id="descending powers",
    ),
    pytest.param(
        3 * X**2 - 8 * X + 7,
        "3x² − 8x + 7",
        "3 x^{2} - 8 x + 7",
        ["  2", "3x  - 8x + 7"],
        "3x2−8x+7",
        id="quadratic",
    ),
    pytest.param(
        sigma(Z) - Y,
        "σ(z) − y",
        "\\sigma\\left(z\\right) - y",
        ["σ(z) - y"],
        "σ(z)−y",
        id="no variable: positive first",
    ),
    pytest.param(
        1 - X**2,
        "1 − x²",
        "1 - x^{2}",
        ["     2", "1 - x"],
        "1−x2",
        id="ascending when it opens positive",
    ),
    pytest.param(
        -(X**2) + 2 * X + 1,
        "1 + 2x − x²",
        "1 + 2 x - x^{2}",
        ["          2", "1 + 2x - x"],
        "1+2x−x2",
        id="ascending with three terms",
    ),
    pytest.param(
        (X**2 + 1) / (X - 1),
        "(x² + 1)/(x − 1)",
        "\\frac{x^{2} + 1}{x - 1}",
        [" 2", "x  + 1", "──────", "x - 1"],
        "x2+1x−1",
        id="quotient",
    ),
    pytest.param(
        (X**2 - 2 * X - 1) / (X - 1) ** 2,
        "(x² − 2x − 1)/(x − 1)²",
        "\\frac{x^{2} - 2 x - 1}{\\left(x - 1\\right)^{2}}",
        [" 2", "x  - 2x - 1", "───────────", "        2", " (x - 1)"],
        "x2−2x−1(x−1)2",
        id="quotient rule result",
    ),
    pytest.param(
        1 + E(-X),
        "1 + e^(−x)",
        "1 + e^{- x}",
        ["     -x", "1 + ℯ"],
        "1+e−x",
        id="seed sigmoid denominator",
    ),
    pytest.param(
        1 - sp.tanh(X) ** 2,
        "1 − tanh²(x)",
        "1 - \\tanh^{2}\\left(x \\right)",
        ["        2", "1 - tanh (x)"],
        "1−tanh2(x)",
        id="hyperbolic",
    ),
    pytest.param(
        1 - sigma(X),
        "1 − σ(x)",
        "1 - \\sigma\\left(x\\right)",
        ["1 - σ(x)"],
        "1−σ(x)",
        id="sigmoid complement",
    ),
    pytest.param(
        X**2 + E(X) + 5,
        "x² + e^x + 5",
        "x^{2} + e^{x} + 5",
        [" 2    x", "x  + ℯ  + 5"],
        "x2+ex+5",
        id="constant closes a polynomial",
    ),
    pytest.param(
        X + 1 + 1 / X,
        "x + 1 + 1/x",
        "x + 1 + \\frac{1}{x}",
        ["        1", "x + 1 + ─", "        x"],
        "x+1+1x",
        id="negative degree last",
    ),
    pytest.param(
        (X + 1) ** 2 + 3,
        "(x + 1)² + 3",
        "\\left(x + 1\\right)^{2} + 3",
        ["       2", "(x + 1)  + 3"],
        "(x+1)2+3",
        id="degree of a power of a sum",
    ),
    pytest.param(
        2 * X * sp.sin(X**2),
        "2x·sin(x²)",
        "2 x \\sin\\left(x^{2} \\right)",
        ["      ⎛ 2⎞", "2x⋅sin⎝x ⎠"],
        "2xsin(x2)",
        id="number then letter then function",
    ),
    pytest.param(
        -2 * X * sp.sin(X**2),
        "−2x·sin(x²)",
        "- 2 x \\sin\\left(x^{2} \\right)",
        ["        ⎛ 2⎞", "- 2x⋅sin⎝x ⎠"],
        "−2xsin(x2)",
        id="leading minus",
    ),
    pytest.param(
        mul(neg(sp.sin(X**2)), 2 * X),
        "−2x·sin(x²)",
        "- 2 x \\sin\\left(x^{2} \\right)",
        ["        ⎛ 2⎞", "- 2x⋅sin⎝x ⎠"],
        "−2xsin(x2)",
        id="minus one built first",
    ),
    pytest.param(
        sp.Mul(-1, E(-X), evaluate=False),
        "−e^(−x)",
        "- e^{- x}",
        ["   -x", "- ℯ"],
        "−e−x",
        id="no minus one before e",
    ),
    pytest.param(
        sigma(X) * (1 - sigma(X)),
        "σ(x)(1 − σ(x))",
        "\\sigma\\left(x\\right) \\left(1 - \\sigma\\left(x\\right)\\right)",
        ["σ(x)(1 - σ(x))"],
        "σ(x)(1−σ(x))",
        id="function before brackets",
    ),
    pytest.param(
        sigma(X) * (1 - sigma(X)) * (1 - 2 * sigma(X)),
        "σ(x)(1 − σ(x))(1 − 2σ(x))",
        (
            "\\sigma\\left(x\\right) \\left(1 - \\sigma\\left(x\\right)\\right)"
            " \\left(1 - 2 \\sigma\\left(x\\right)\\right)"
        ),
        ["σ(x)(1 - σ(x))(1 - 2σ(x))"],
        "σ(x)(1−σ(x))(1−2σ(x))",
        id="smaller bracket first",
    ),
    pytest.param(
        3 * X**2 * Y,
        "3x²y",
        "3 x^{2} y",
        ["  2", "3x y"],
        "3x2y",
        id="letters alphabetically",
    ),
    pytest.param(
        2 * K * X,
        "2kx",
        "2 k x",
        ["2kx"],
        "2kx",
        id="parameter",
    ),
    pytest.param(
        -X / 2,
        "−x/2",
        "- \\frac{x}{2}",
        ["  x", "- ─", "  2"],
        "−x2",
        id="half",
    ),
    pytest.param(
        2 * sp.pi * X,
        "2πx",
        "2 \\pi x",
        ["2πx"],
        "2πx",
        id="pi",
    ),
    pytest.param(
        sp.log(X),
        "ln(x)",
        "\\ln\\left(x \\right)",
        ["ln(x)"],
        "ln(x)",
        id="ln",
    ),
    pytest.param(
        sp.sin(X) ** 2,
        "sin²(x)",
        "\\sin^{2}\\left(x \\right)",
        ["   2", "sin (x)"],
        "sin2(x)",
        id="square on a trig name",
    ),
    pytest.param(
        sigma(X) ** 2,
        "σ(x)²",
        "\\sigma\\left(x\\right)^{2}",
        ["    2", "σ(x)"],
        "σ(x)2",
        id="square after a named function",
    ),
    pytest.param(
        sp.Derivative(sp.sin(X), (X, 2)),
        "d²/dx² sin(x)",
        "\\frac{d^{2}}{d x^{2}} \\sin\\left(x \\right)",
        [" 2", "d", "─── sin(x)", "  2", "dx"],
        "d2dx2sin(x)",
        id="second derivative",
    ),
    pytest.param(
        derivative(sigma(X) * (1 - sigma(X)), X),
        "d/dx (σ(x)(1 − σ(x)))",
        (
            "\\frac{d}{d x} \\left(\\sigma\\left(x\\right) \\left(1 -"
            " \\sigma\\left(x\\right)\\right)\\right)"
        ),
        ["d", "──(σ(x)(1 - σ(x)))", "dx"],
        "ddx(σ(x)(1−σ(x)))",
        id="derivative of a product",
    ),
    pytest.param(
        derivative(X**2 + 1, X),
        "d/dx (x² + 1)",
        "\\frac{d}{d x} \\left(x^{2} + 1\\right)",
        ["d ⎛ 2    ⎞", "──⎝x  + 1⎠", "dx"],
        "ddx(x2+1)",
        id="derivative of a sum",
    ),
    pytest.param(
        derivative(X**2, X),
        "d/dx x²",
        "\\frac{d}{d x} x^{2}",
        ["d   2", "── x", "dx"],
        "ddxx2",
        id="derivative of a power",
    ),
    pytest.param(
        derivative(-X, X),
        "d/dx (−x)",
        "\\frac{d}{d x} \\left(- x\\right)",
        ["d", "──(-x)", "dx"],
        "ddx(−x)",
        id="derivative of a negative",
    ),
    pytest.param(
        add(sp.Integer(1), E(-X), sp.Integer(-1)),
        "1 + e^(−x) − 1",
        "1 + e^{- x} - 1",
        ["     -x", "1 + ℯ   - 1"],
        "1+e−x−1",
        id="built sum keeps its order",
    ),
    pytest.param(
        fraction(
            add(mul(sp.Integer(0), 1 + E(-X)), neg(mul(sp.Integer(1), E(-X), derivative(-X, X)))),
            power(1 + E(-X), 2),
        ),
        "(0·(1 + e^(−x)) − 1·e^(−x)·d/dx (−x))/(1 + e^(−x))²",
        (
            "\\frac{0 \\cdot \\left(1 + e^{- x}\\right) - 1 \\cdot e^{- x} \\frac{d}{d x}"
            " \\left(- x\\right)}{\\left(1 + e^{- x}\\right)^{2}}"
        ),
        [
            "  ⎛     -x⎞      -x d",
            "0⋅⎝1 + ℯ  ⎠ - 1⋅ℯ  ⋅──(-x)",
            "                    dx",
            "──────────────────────────",
            "                 2",
            "        ⎛     -x⎞",
            "        ⎝1 + ℯ  ⎠",
        ],
        "0·(1+e−x)−1·e−xddx(−x)(1+e−x)2",
        id="quotient rule as built",
    ),
    pytest.param(
        mul(E(X), sp.Integer(-1)),
        "e^x·(−1)",
        "e^{x} \\left(-1\\right)",
        [" x", "ℯ ⋅(-1)"],
        "ex(−1)",
        id="negative factor after the first",
    ),
    pytest.param(
        X * sp.cos(X) + sp.sin(X),
        "x·cos(x) + sin(x)",
        "x \\cos\\left(x \\right) + \\sin\\left(x \\right)",
        ["x⋅cos(x) + sin(x)"],
        "xcos(x)+sin(x)",
        id="x cos x + sin x",
    ),
    pytest.param(
        -1 / (X + 1) ** 2,
        "−1/(x + 1)²",
        "- \\frac{1}{\\left(x + 1\\right)^{2}}",
        ["     1", "- ────────", "         2", "  (x + 1)"],
        "−1(x+1)2",
        id="reciprocal square",
    ),
]


@pytest.mark.parametrize(("expr", "text", "tex", "lines", "shown"), TABLE)
def test_inline(expr: sp.Expr, text: str, tex: str, lines: list[str], shown: str) -> None:
    assert inline(expr) == text


@pytest.mark.parametrize(("expr", "text", "tex", "lines", "shown"), TABLE)
def test_latex(expr: sp.Expr, text: str, tex: str, lines: list[str], shown: str) -> None:
    assert latex(expr) == tex


@pytest.mark.parametrize(("expr", "text", "tex", "lines", "shown"), TABLE)
def test_pretty(expr: sp.Expr, text: str, tex: str, lines: list[str], shown: str) -> None:
    assert [line.rstrip() for line in pretty(expr).splitlines()] == lines


@pytest.mark.parametrize(("expr", "text", "tex", "lines", "shown"), TABLE)
def test_mathml(expr: sp.Expr, text: str, tex: str, lines: list[str], shown: str) -> None:
    assert mathml_text(expr) == shown


@pytest.mark.parametrize(("expr", "text", "tex", "lines", "shown"), TABLE)
def test_every_printer_agrees_on_the_order_of_letters(
    expr: sp.Expr, text: str, tex: str, lines: list[str], shown: str
) -> None:
    def letters(s: str) -> str:
        return re.sub(r"\\[a-z]+|[^xyzk]", "", s)

    assert letters(text) == letters(tex) == letters(shown)


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        (X**10 - 1, "x^10 - 1"),
        (mul(neg(sp.sin(X**2)), 2 * X), "-2x*sin(x^2)"),
        (sp.Derivative(sigma(X), (X, 2)), "d^2/dx^2 sigma(x)"),
    ],
)
def test_ascii_text_keeps_the_order_and_spells_superscripts(expr: sp.Expr, text: str) -> None:
    assert ascii_text(inline(expr)) == text


def test_ascii_pretty_keeps_the_order() -> None:
    lines = [line.rstrip() for line in pretty(3 * X**2 - 8 * X + 7, ascii=True).splitlines()]
    assert lines == ["  2", "3x  - 8x + 7"]


def test_the_variable_decides_which_powers_lead() -> None:
    expr = X**2 * Y + X * Y**2 + 1
    assert inline(expr) == "x²y + xy² + 1"
    assert inline(expr, variable=Y) == "xy² + x²y + 1"
    assert latex(expr, variable=Y) == "x y^{2} + x^{2} y + 1"
    assert "y" in mathml(expr, variable=Y).split("+")[0]


def test_without_x_the_only_symbol_is_the_variable() -> None:
    assert inline(1 - 2 * Y + Y**2) == "y² − 2y + 1"


def test_partial_writes_the_round_d() -> None:
    d = derivative(X * Y, X)
    assert inline(d) == "d/dx (xy)"
    assert inline(d, partial=True) == "∂/∂x (xy)"
    assert latex(d, partial=True) == r"\frac{\partial}{\partial x} \left(x y\right)"
    assert pretty(d, partial=True).splitlines()[0].strip() == "∂"
    assert "&#8706;" in mathml(d, partial=True) and "&#8706;" not in mathml(d)


def test_mathml_second_derivative_has_no_double_struck_d() -> None:
    shown = mathml(sp.Derivative(sp.sin(X), (X, 2)))
    assert "&dd;" not in shown and "&#8518;" not in shown
    assert '<mrow><mi mathvariant="normal">d</mi><msup><mi>x</mi><mn>2</mn></msup></mrow>' in shown


def test_pretty_minus_sits_on_the_fraction_line() -> None:
    lines = pretty(sp.Mul(-1, 1 / (1 + E(-X)), evaluate=False)).splitlines()
    assert lines[1].startswith("- ") and set(lines[1][2:].strip()) == {"─"}


F = sp.Function("f")
G = sp.Function("g")


@pytest.mark.parametrize(
    ("expr", "text", "tex"),
    [
        (sp.diff(F(G(X)), X), "f′(g(x))·g′(x)", r"f'\left(g\left(x\right)\right) g'\left(x\right)"),
        (sp.diff(F(X) ** 2, X), "2f(x)·f′(x)", r"2 f\left(x\right) f'\left(x\right)"),
        (sp.diff(G(G(X)), X), "g′(g(x))·g′(x)", r"g'\left(g\left(x\right)\right) g'\left(x\right)"),
        (sp.diff(F(X), X, 2) + 1, "1 + f′′(x)", r"1 + f''\left(x\right)"),
        (sp.Derivative(F(X), X), "d/dx f(x)", r"\frac{d}{d x} f\left(x\right)"),
    ],
)
def test_an_unknown_function_s_derivative_is_primed_inside(
    expr: sp.Expr, text: str, tex: str
) -> None:
    """f′(g(x))·g′(x), as textbooks write the chain rule; a derivative alone stays d/dx f(x)."""
    assert inline(expr) == text
    assert latex(expr) == tex
    shown = mathml(expr)
    assert ("&#8242;" in shown) == ("′" in text)
