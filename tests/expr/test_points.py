"""The one point evaluator: its points, precision and tolerance, shared by every numeric look."""

from __future__ import annotations

import sympy as sp

from sigderiv.engine import numeric, vector, verify
from sigderiv.expr import points
from sigderiv.expr.points import POINTS, TOLERANCE, at, close, is_real, point, spread

x, k = sp.symbols("x k")


def test_close_is_relative_to_the_size_of_the_values() -> None:
    assert close(1.0, 1.0 + 1e-13)
    assert not close(1.0, 1.0 + 1e-9)
    assert close(1e6, 1e6 + 1e-7)  # relative: large values keep their digits
    assert close(0.0, TOLERANCE / 2) and not close(0.0, 3 * TOLERANCE)


def test_is_real_ignores_a_negligible_imaginary_part() -> None:
    assert is_real(complex(2.0, 1e-13)) and not is_real(complex(2.0, 1e-3))


def test_at_is_none_where_the_expression_has_no_value() -> None:
    assert at(1 / x, {x: sp.Float(0)}) is None
    assert at(sp.log(x), {x: sp.Float(0)}) is None
    assert at(sp.sin(x), {x: sp.Float(POINTS[0], points.PRECISION)}) == complex(sp.sin(POINTS[0]))


def test_a_point_holds_the_parameters_at_fixed_values() -> None:
    subs = point(k * x, x, POINTS[1])
    assert float(subs[x]) == POINTS[1] and float(subs[k]) == points.parameter(0)


def test_spread_gives_symbols_of_equal_standing_their_own_values() -> None:
    first = spread({x, k}, 0)
    assert float(first[k]) == POINTS[0]  # sorted by name: k first, then x
    assert abs(float(first[x]) - (POINTS[1] + 0.01)) < 1e-12
    assert {float(spread({x}, row)[x]) for row in range(len(POINTS))} == set(POINTS)


def test_every_evaluator_uses_the_shared_constants() -> None:
    assert numeric.POINTS is POINTS
    assert numeric.Probe(x).points == POINTS
    for module in (numeric, vector, verify):
        assert not {"_PRECISION", "_TOLERANCE", "_REAL", "_SAMPLES"} & set(vars(module))


def test_the_probe_and_the_spot_check_agree_on_a_false_identity() -> None:
    probe = numeric.Probe(x)
    assert not probe.same(probe.values(sp.sin(x)), probe.values(sp.sin(x) + 1e-6))
    check = verify.check_identity(sp.sin(x), sp.sin(x) + sp.Rational(1, 10**6))
    assert check.status.value == "failed"
    assert dict(check.counterexample)["x"] == f"{POINTS[0]:.6g}"
