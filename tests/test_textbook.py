"""Derivatives from a calculus textbook's exercises, each checked against the textbook's answer.

The rows are the kind of exercise Stewart's Calculus sets in §3.1–3.6 (polynomials, products,
quotients, the chain rule, trigonometric, exponential, logarithmic, inverse trigonometric and
hyperbolic functions); each answer is written the way the textbook writes it, in the house
style of the inline printer: a number juxtaposed with what follows it (``3x²``, ``3cos(3x)``,
``15(3x + 2)⁴``), a bracket juxtaposed (``σ(x)(1 − σ(x))``) but after a letter
(``6x·(x² + 1)²``), ``·`` between other factors (``2x·cos(x²)``), sums by descending powers
of x opening with a positive term, ``ln``, superscripts, the minus sign −. Where textbooks
differ among themselves only in the order of factors or terms (``x cos x + sin x`` or
``sin x + x cos x``), the row takes the house order. The result is read from the JSON
format's ``result.text``, as ``sigderiv derive EXPR -f json`` prints it.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
import sympy as sp

from sigderiv import Derivation, derive
from sigderiv.engine.verify import explicit
from sigderiv.formats.json import dumps
from sigderiv.input.parse import parse

X = sp.Symbol("x")
REAL_X = sp.Symbol("x", real=True)

#: (input as typed, the textbook's answer)
TEXTBOOK: list[tuple[str, str]] = [
    ("x^3 - 4*x^2 + 7*x", "3x² − 8x + 7"),
    ("3*x^4 - 2*x^3 + 5", "12x³ − 6x²"),
    ("sqrt(x)", "1/(2√x)"),
    ("1/x^2", "−2/x³"),
    ("x^(1/5) + x^(1/3)", "1/(3x^(2/3)) + 1/(5x^(4/5))"),
    ("x*sin(x)", "x·cos(x) + sin(x)"),
    ("x^2*exp(x)", "x·e^x(x + 2)"),
    ("(x^2 + 1)/(x - 1)", "(x² − 2x − 1)/(x − 1)²"),
    ("x/(x^2 + 1)", "(1 − x²)/(x² + 1)²"),
    ("(x^2 - 1)/(x^2 + 1)", "4x/(x² + 1)²"),
    ("(2*x + 1)*(x^2 - 3)", "6x² + 2x − 6"),
    ("sin(x^2)", "2x·cos(x²)"),
    ("sin(3*x)", "3cos(3x)"),
    ("(3*x + 2)^5", "15(3x + 2)⁴"),
    ("(x - 1)^2", "2(x − 1)"),
    ("(x^2 + 1)^3", "6x·(x² + 1)²"),
    ("sqrt(1 + x^2)", "x/√(x² + 1)"),
    ("x/sqrt(x^2 + 1)", "1/(x² + 1)^(3/2)"),
    ("exp(-x^2)", "−2x·e^(−x²)"),
    ("x*exp(-x)", "e^(−x)(1 − x)"),
    ("exp(x)/x", "e^x(x − 1)/x²"),
    ("exp(x)*cos(x)", "e^x(cos(x) − sin(x))"),
    ("exp(sin(x))", "cos(x)·e^(sin(x))"),
    ("2^x", "2^x·ln(2)"),
    ("x*log(x)", "1 + ln(x)"),
    ("log(sqrt(x))", "1/(2x)"),
    ("log(x^2 + 1)", "2x/(x² + 1)"),
    ("log(log(x))", "1/(x·ln(x))"),
    ("log(cos(x))", "−tan(x)"),
    ("cos(x)^2", "−sin(2x)"),
    ("sin(x)*cos(x)", "cos(2x)"),
    ("sec(x)", "sec(x)·tan(x)"),
    ("x*sec(x)", "sec(x)(x·tan(x) + 1)"),
    ("log(sec(x) + tan(x))", "sec(x)"),
    ("atan(x)", "1/(x² + 1)"),
    ("atan(x^2)", "2x/(x⁴ + 1)"),
    ("asin(2*x)", "2/√(1 − 4x²)"),
    ("sinh(x^2)", "2x·cosh(x²)"),
    ("cosh(3*x)", "3sinh(3x)"),
    ("2*atan(tanh(x/2))", "1/cosh(x)"),
    ("sigmoid", "σ(x)(1 − σ(x))"),
]

#: Rows whose textbook answer is the expanded polynomial, where SymPy's simplify writes
#: x²(12x − 6): one operation fewer, and a form no textbook prints.
EXPANDED_POLYNOMIALS = {"3*x^4 - 2*x^3 + 5"}

ROWS = [pytest.param(given, answer, id=given) for given, answer in TEXTBOOK]


@cache
def _derived(given: str) -> Derivation:
    return derive(given, bounded=False)


def result_text(given: str) -> str:
    """The result as ``sigderiv derive GIVEN -f json`` writes it: ``result.text``."""
    return str(json.loads(dumps(_derived(given)))["result"]["text"])


def _input(given: str) -> sp.Expr:
    return _derived(given).function


def test_the_table_is_a_textbook_chapter() -> None:
    assert len(TEXTBOOK) >= 30
    assert len({given for given, _ in TEXTBOOK}) == len(TEXTBOOK)


@pytest.mark.parametrize(("given", "answer"), ROWS)
def test_each_answer_is_the_derivative(given: str, answer: str) -> None:
    """The table itself is right: each textbook answer equals SymPy's derivative."""
    theirs = sp.diff(explicit(_input(given), real=True), REAL_X)
    assert sp.simplify(explicit(parse(answer), real=True) - theirs) == 0


@pytest.mark.parametrize(("given", "answer"), ROWS)
def test_the_result_is_simplified_as_the_textbook_does(given: str, answer: str) -> None:
    """The same simplification as the textbook's, terms and factors in any order."""
    assert _derived(given).result == parse(answer), result_text(given)


@pytest.mark.parametrize(("given", "answer"), ROWS)
def test_the_result_is_no_more_complex_than_simplify(given: str, answer: str) -> None:
    d = _derived(given)
    if given in EXPANDED_POLYNOMIALS:
        assert d.result == sp.expand(d.result)
        return
    if d.named_function is not None:  # in terms of the function itself: σ(x)(1 − σ(x))
        assert d.result.has(d.named_function)
        return
    simplest = sp.simplify(sp.diff(explicit(d.function, real=True), REAL_X))
    assert sp.count_ops(explicit(d.result, real=True)) <= sp.count_ops(simplest)


@pytest.mark.parametrize(("given", "answer"), ROWS)
def test_the_result_is_written_as_the_textbook_writes_it(given: str, answer: str) -> None:
    """The printed result, order and notation included, is the textbook's."""
    assert result_text(given) == answer
