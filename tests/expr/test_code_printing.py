"""Named functions (σ, softplus, ELU, ...) print through SymPy's code printers as definitions."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from sigderiv import explicit, sigma
from sigderiv.expr.functions import CATALOGUE
from sigderiv.model.steps import Derivation

X, Y = sp.symbols("x y")
#: Sample points away from every corner of the catalogue's piecewise functions (0, ±1, ±3).
POINTS = (-4.2, -2.1, -0.7, 0.3, 1.6, 3.3)


def at_defaults(name: str, expr: sp.Expr) -> sp.Expr:
    """``expr`` with the entry's parameters at their defaults."""
    return expr.subs(dict(CATALOGUE[name].parameters))


def reference(expr: sp.Expr, x: float) -> float:
    """SymPy's value of ``expr`` (written out) at ``x``, to 30 digits."""
    return float(explicit(expr).subs(X, x).evalf(30))


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_lambdify_numpy_matches_sympy(
    name: str, catalogue_derivations: dict[str, Derivation]
) -> None:
    """For every catalogue entry, numpy code from lambdify gives SymPy's values, vectorised."""
    result = at_defaults(name, catalogue_derivations[name].result)
    modules = ["numpy"]
    if result.has(sp.erf):  # numpy has no erf; SciPy's is vectorised
        pytest.importorskip("scipy", reason="numpy has no vectorised erf; scipy.special has")
        modules = ["scipy", "numpy"]
    f = sp.lambdify(X, result, modules)
    got = f(np.array(POINTS))
    want = [reference(result, x) for x in POINTS]
    assert np.shape(got) in ((len(POINTS),), ())  # a constant comes back as one number
    np.testing.assert_allclose(np.broadcast_to(got, (len(POINTS),)), want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_pycode_and_ccode(name: str, catalogue_derivations: dict[str, Derivation]) -> None:
    """pycode and ccode write every result with its definitions; Python's math gives its values."""
    d = catalogue_derivations[name]
    result = at_defaults(name, d.result)
    for text in (sp.pycode(result), sp.ccode(result), sp.pycode(d.function)):
        assert "sigma(" not in text
        assert "Defined" not in text
        assert "Not supported" not in text
        for fn in CATALOGUE.values():  # no catalogue name is left as an unknown call
            named = fn.apply(X)
            if hasattr(named, "name"):
                assert f"{named.name}(" not in text
    f = sp.lambdify(X, result, "math")  # PythonCodePrinter: pycode's printer
    for x in POINTS:
        assert math.isclose(f(x), reference(result, x), rel_tol=1e-12, abs_tol=1e-14)


@pytest.mark.parametrize(
    "expr",
    [
        Y / sigma(X),
        sigma(X) ** 2,
        CATALOGUE["softsign"].apply(X) ** 2,
        1 / CATALOGUE["softsign"].apply(X),
        -sigma(2 * X) + sp.log(sigma(X)),
        CATALOGUE["mish"].apply(X) / CATALOGUE["softplus"].apply(X) ** 3,
        CATALOGUE["relu"].apply(X) ** 2 - CATALOGUE["hardtanh"].apply(X),
    ],
    ids=str,
)
@pytest.mark.parametrize("module", ["numpy", "math", "mpmath"])
def test_definitions_keep_their_brackets(expr: sp.Expr, module: str) -> None:
    """A definition inside a product, quotient or power prints in brackets: y/σ(x) stays y/σ(x)."""
    f = sp.lambdify((X, Y), expr, module)
    for x in POINTS:
        want = float(explicit(expr).subs({X: x, Y: 2.5}).evalf(30))
        assert math.isclose(float(f(x, 2.5)), want, rel_tol=1e-12, abs_tol=1e-14)


def test_piecewise_prints_vectorised() -> None:
    """A piecewise catalogue function prints as numpy.select, not as a Python conditional."""
    text = sp.printing.numpy.NumPyPrinter().doprint(CATALOGUE["relu"].apply(X))
    assert "numpy.select" in text
    assert " if " not in text
