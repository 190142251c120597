"""Results no more complex than SymPy's simplify(diff(f)) on antiderivatives (issue 16).

The rows are antiderivatives SymPy's integrator gives (the kind its integration tests and
the corpus of issue 16 hold): differentiating one must come back to a form as simple as the
integrand, as ``simplify(diff(F))`` does, with every step proven. A named function (σ) the
result is written with counts as one function, as the reader sees it.
"""

from __future__ import annotations

import pytest
import sympy as sp

from sigderiv import derive
from sigderiv.engine.verify import explicit
from sigderiv.input.parse import parse

X = sp.Symbol("x")
REAL_X = sp.Symbol("x", real=True)

#: (antiderivative as typed, the integrand it comes from)
ANTIDERIVATIVES: list[tuple[str, str]] = [
    ("2*atan(tanh(x/2))", "1/cosh(x)"),
    ("log(tanh(x/2))", "1/sinh(x)"),
    ("(c*(a + b*x)^d)^k*(a/b + x)/(d*k + 1)", "(c*(a + b*x)^d)^k"),
    ("log(sqrt((a - x)/(a + x)))", "a/(x^2 - a^2)"),
    ("(x - 1)*exp(x)", "x*exp(x)"),
    ("exp(x)*sin(x)/2 + exp(x)*cos(x)/2", "exp(x)*cos(x)"),
    ("x*log(x)^2 - 2*x*log(x) + 2*x", "log(x)^2"),
    ("x*sqrt(1 - x^2)/2 + asin(x)/2", "sqrt(1 - x^2)"),
    ("-log(sin(x) - 1)/2 + log(sin(x) + 1)/2", "sec(x)"),
    ("cos(x)^3/3 - cos(x)", "sin(x)^3"),
    ("3*x/8 + sin(x)*cos(x)^3/4 + 3*sin(x)*cos(x)/8", "cos(x)^4"),
    ("2*exp(2*x)*sin(3*x)/13 - 3*exp(2*x)*cos(3*x)/13", "exp(2*x)*sin(3*x)"),
    ("x - log(exp(x) + 1)", "1/(exp(x) + 1)"),
    ("x*sinh(x)^2/2 - x*cosh(x)^2/2 + sinh(x)*cosh(x)/2", "sinh(x)^2"),
    ("log(x) - log(x + 1) - log(x + 1)/x", "log(x + 1)/x^2"),
    ("2*asinh(x/2) + x*sqrt(4 + x^2)/2", "sqrt(x^2 + 4)"),
    ("x*log(x^2 + 1) - 2*x + 2*atan(x)", "log(x^2 + 1)"),
]


@pytest.mark.parametrize(
    ("given", "integrand"), ANTIDERIVATIVES, ids=[r[0] for r in ANTIDERIVATIVES]
)
def test_an_antiderivative_derives_back_to_a_form_as_simple_as_simplify(
    given: str, integrand: str
) -> None:
    d = derive(given)
    assert d.verified, "every step proven"
    result = explicit(d.result, real=True)
    assert sp.simplify(result - explicit(parse(integrand), real=True)) == 0
    simplest = sp.simplify(sp.diff(explicit(d.function, real=True), REAL_X))
    assert sp.count_ops(d.result) <= sp.count_ops(simplest)  # σ(x) counts as one function
