"""Our own LaTeX-to-text translator: what it reads, and what it refuses with a column."""

from __future__ import annotations

import pytest

from sigderiv import ParseError
from sigderiv.input.latex import looks_like_latex, translate
from sigderiv.input.parse import parse


def read(latex: str):
    text, columns = translate(latex)
    assert len(columns) == len(text)
    assert all(0 <= c <= len(latex) for c in columns)
    return parse(text)


@pytest.mark.parametrize(
    ("latex", "plain"),
    [
        (r"\frac{1}{1+e^{-x}}", "1/(1+e^(-x))"),
        (r"\dfrac{1}{2}x", "x/2"),
        (r"\frac12", "1/2"),
        (r"\sigma(x)", "σ(x)"),
        (r"\sigma\left(x\right)\left(1-\sigma\left(x\right)\right)", "σ(x)(1-σ(x))"),
        (r"e^{-x}\cdot\left(1+e^{-x}\right)^{-2}", "e^(-x)*(1+e^(-x))^(-2)"),
        (r"e^-x", "e^(-x)"),
        (r"e^xy", "e^x*y"),
        (r"x^{n+1}", "x^(n+1)"),
        (r"\exp(-x)", "exp(-x)"),
        (r"\exp{x}", "exp(x)"),
        (r"\ln x", "ln(x)"),
        (r"\ln\left(x^2+1\right)", "ln(x^2+1)"),
        (r"2x\cos x", "2*x*cos(x)"),
        (r"\sin 2x", "sin(2*x)"),
        (r"\sin^2 x", "sin(x)^2"),
        (r"1 - \tanh^{2}x", "1 - tanh(x)^2"),
        (r"\tanh{x}", "tanh(x)"),
        (r"\sqrt{1-x^2}", "sqrt(1-x^2)"),
        (r"\sqrt[3]{x}", "x^(1/3)"),
        (r"\left|x\right|", "abs(x)"),
        (r"\bigl(x+1\bigr)^2", "(x+1)^2"),
        (r"\left[x+1\right]^2", "(x+1)^2"),
        (r"\operatorname{softplus}(x)", "softplus(x)"),
        (r"\mathrm{e}^{x}", "e^x"),
        (r"3\times 2\,x", "6*x"),
        (r"kx", "k*x"),
        (r"\pi x", "pi*x"),
        (r"\alpha x", "alpha*x"),
        (r"\displaystyle \frac{x}{2}", "x/2"),
    ],
)
def test_translates_to_what_the_parser_reads(latex: str, plain: str) -> None:
    assert read(latex) == parse(plain)


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"\frac{d}{dx}\left(x^2\right)", "d/dx(x^2)"),
        (r"\frac{\mathrm{d}}{\mathrm{d}x} x", "d/dxx"),
        (r"\frac{d}{dt}", "d/dt"),
    ],
)
def test_d_over_dx_becomes_the_derivative_notation(latex: str, text: str) -> None:
    translated, _ = translate(latex)
    assert "".join(translated.split()) == text


@pytest.mark.parametrize(
    ("latex", "message", "column"),
    [
        (r"\foo{x}", r"unknown LaTeX command \foo", 0),
        (r"1 + \lambda x", r"unknown LaTeX command \lambda", 4),
        (r"x_1", "subscripts", 1),
        (r"\frac{1}{x", "never closed", 10),
        (r"x}", "unmatched '}'", 1),
        (r"\frac{d^2}{dx^2} x", "only first derivatives", 0),
        (r"\left<x\right>", "unknown delimiter", 5),
        (r"x^", "missing exponent", 1),
    ],
)
def test_refuses_with_the_column(latex: str, message: str, column: int) -> None:
    with pytest.raises(ParseError) as caught:
        translate(latex)
    assert message in caught.value.message
    assert caught.value.position == column
    assert caught.value.text == latex


def test_error_columns_point_into_the_latex() -> None:
    text, columns = translate(r"\frac{1}{1+e^{-x}} + \sigma(x)")
    assert columns[text.index("σ")] == 21
    assert columns[text.index("e")] == 11


@pytest.mark.parametrize(
    ("text", "latex"),
    [(r"\frac{1}{2}", True), ("e^{-x}", True), ("1/(1+e^(-x))", False), ("σ(x)", False)],
)
def test_looks_like_latex(text: str, latex: bool) -> None:
    assert looks_like_latex(text) is latex
