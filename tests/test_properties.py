"""Property test: random expressions from every supported function, derived and checked.

Each example is an expression in x (and a parameter k) built from +, −, ×, ÷, integer and
rational powers, exp, log, sin, cos, tan, atan, asin, sinh, cosh, tanh, erf, |·|, √ and σ.
``derive`` must give SymPy's derivative (proven by simplify, or equal at sample points when
simplify is inconclusive), and every step of the tree must be verified or, if not proven in
time, at least agree numerically.

CI runs ``SIGDERIV_PROPERTY_EXAMPLES`` examples (200 by default); for a longer run::

    SIGDERIV_PROPERTY_EXAMPLES=5000 python -m pytest tests/test_properties.py
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, event, given, reject, settings
from hypothesis import strategies as st

from sigderiv import derive, explicit, sigma
from sigderiv.errors import LimitError, SigderivError, TimeoutError
from sigderiv.model.steps import CheckStatus
from sigderiv.sandbox.bound import run_bounded

X, K = sp.symbols("x k")
EXAMPLES = int(os.environ.get("SIGDERIV_PROPERTY_EXAMPLES", "200"))

#: Seconds for one simplify of ours − SymPy's before the numeric comparison decides.
SIMPLIFY_SECONDS = 10.0

#: Real sample points away from 0, ±1 and the usual poles; k gets its own value.
POINTS = (0.3141, 0.7071, 1.4142, -0.8660, 2.0718, -1.6180)
K_VALUE = 1.2345
DIGITS = 30
TOLERANCE = 1e-10

UNARY: tuple[Callable[[sp.Expr], sp.Expr], ...] = (
    sp.exp,
    sp.log,
    sp.sin,
    sp.cos,
    sp.tan,
    sp.atan,
    sp.asin,
    sp.sinh,
    sp.cosh,
    sp.tanh,
    sp.erf,
    sp.Abs,
    sp.sqrt,
    sigma,
    lambda u: -u,
)

EXPONENTS = (
    sp.Integer(2),
    sp.Integer(3),
    sp.Integer(-1),
    sp.Integer(-2),
    sp.Rational(1, 2),
    sp.Rational(-1, 2),
    sp.Rational(1, 3),
    sp.Rational(3, 2),
)

LEAVES = st.one_of(
    st.just(X),
    st.just(X),  # x twice as likely as any constant: most examples should depend on it
    st.just(K),
    st.integers(min_value=-3, max_value=4).map(sp.Integer),
    st.sampled_from([sp.Rational(1, 2), sp.Rational(-2, 3), sp.pi]),
)


def _combine(children: st.SearchStrategy[sp.Expr]) -> st.SearchStrategy[sp.Expr]:
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda p: p[0](p[1]))
    power = st.tuples(children, st.sampled_from(EXPONENTS)).map(lambda p: p[0] ** p[1])
    binary = st.tuples(
        st.sampled_from(["+", "-", "*", "/"]),
        children,
        children,
    ).map(_apply)
    return st.one_of(unary, power, binary)


def _apply(parts: tuple[str, sp.Expr, sp.Expr]) -> sp.Expr:
    op, a, b = parts
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return a / b


EXPRESSIONS = st.recursive(LEAVES, _combine, max_leaves=6)


def _bad(expr: sp.Expr) -> bool:
    return bool(expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo))


def _values(expr: sp.Expr) -> list[complex | None]:
    """The value of ``expr`` (written out, x and k real) at each sample point; None if not
    a finite real number there."""
    real = explicit(expr, real=True)
    symbols = {s.name: s for s in real.free_symbols}
    out: list[complex | None] = []
    for point in POINTS:
        subs = {}
        if "x" in symbols:
            subs[symbols["x"]] = sp.Float(point, DIGITS)
        if "k" in symbols:
            subs[symbols["k"]] = sp.Float(K_VALUE, DIGITS)
        try:
            value = sp.N(real.subs(subs), DIGITS)
        except (TypeError, ValueError, ZeroDivisionError):
            out.append(None)
            continue
        if not value.is_number or _bad(value):
            out.append(None)
            continue
        number = complex(value)
        out.append(number if abs(number.imag) < TOLERANCE * (1 + abs(number)) else None)
    return out


def numerically_equal(left: sp.Expr, right: sp.Expr) -> bool:
    """True when both sides agree wherever both are finite and real at the sample points."""
    compared = 0
    for a, b in zip(_values(left), _values(right), strict=True):
        if a is None or b is None:
            continue
        compared += 1
        if abs(a - b) > TOLERANCE * (1 + abs(a) + abs(b)):
            return False
    return True


def proven_equal(left: sp.Expr, right: sp.Expr) -> bool | None:
    """True when simplify proves left = right; None when it is inconclusive or out of time."""
    difference = explicit(left, real=True) - explicit(right, real=True)
    for route in (sp.cancel, sp.expand):
        if route(difference) == 0:
            return True
    try:
        simplified = run_bounded(lambda: sp.simplify(difference), SIMPLIFY_SECONDS)
    except (TimeoutError, SigderivError, RuntimeError):
        return None
    return True if simplified == 0 else None


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(EXPRESSIONS)
def test_derive_agrees_with_sympy(expr: sp.Expr) -> None:
    assume(expr.has(X) and not _bad(expr))
    try:
        reference = sp.diff(expr, X)
    except Exception:  # SymPy itself cannot differentiate it: nothing to compare with
        assume(False)
    assume(not _bad(reference))
    try:
        d = derive(expr)
    except (TimeoutError, LimitError) as exc:  # a bound, not a wrong answer: counted, skipped
        event(f"derive stopped at a bound: {type(exc).__name__}")
        reject()
    for step in d.walk():
        assert step.check is not None
        if step.check.status is not CheckStatus.VERIFIED:
            assert step.check.status is CheckStatus.UNVERIFIED, (step.rule, step.check)
            assert numerically_equal(step.before, step.after), (step.rule, step.title)
    if proven_equal(d.result, reference) is None:
        assert numerically_equal(d.result, reference), (expr, d.result, reference)


@pytest.mark.parametrize(
    "expr",
    [
        sp.sqrt(sp.Abs(sp.sin(X))) / (1 + sigma(K * X)),
        sp.atan(sp.exp(-X)) * sp.tanh(X) ** sp.Rational(3, 2),
        sp.asin(X / 3) + sp.erf(K * X) ** 2 - sp.log(sp.cosh(X)),
        sigma(sigma(X)) * X**-2,
    ],
)
def test_a_few_fixed_mixtures(expr: sp.Expr) -> None:
    """The property's own checks on fixed inputs, so a failure here needs no shrinking."""
    d = derive(expr)
    assert d.verified, [(s.rule, s.check) for s in d.walk() if not s.verified]
    reference = sp.diff(expr, X)
    assert proven_equal(d.result, reference) or numerically_equal(d.result, reference)
