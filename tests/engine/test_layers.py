"""Backpropagation through named layers: derive(layers=...) and grad()."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import sympy as sp

import sigderiv
from sigderiv.errors import ParseError, UnsupportedError
from sigderiv.expr.functions import sigma
from sigderiv.expr.intermediate import Intermediate
from sigderiv.model.steps import Derivation, Rule

sys.path.insert(0, str(Path(__file__).parent.parent))
from joins import assert_joined

w, x, b, y, u = sp.symbols("w x b y u")
Z = w * x + b
BCE = "-(y*log(sigmoid(w*x + b)) + (1 - y)*log(1 - sigmoid(w*x + b)))"


def _derive(expr: str, var: str, layers: object = True) -> Derivation:
    return sigderiv.derive(expr, var, layers=layers, partial=True, bounded=False)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expr", "var", "expected"),
    [
        pytest.param(BCE, "w", x * (sigma(Z) - y), id="cross-entropy in w"),
        pytest.param(BCE, "b", sigma(Z) - y, id="cross-entropy in b"),
        pytest.param(BCE, "x", w * (sigma(Z) - y), id="cross-entropy in the input"),
        pytest.param(
            "(sigmoid(w*x + b) - y)^2/2",
            "w",
            x * (sigma(Z) - y) * sigma(Z) * (1 - sigma(Z)),
            id="squared error after a sigmoid",
        ),
        pytest.param(
            "(tanh(w*x + b) - y)^2",
            "b",
            2 * (sp.tanh(Z) - y) * (1 - sp.tanh(Z) ** 2),
            id="squared error after tanh",
        ),
        pytest.param("sin(u^2 + 1) + cos(u^2 + 1)", "u", None, id="a repeated inner function"),
    ],
)
def test_the_layers_reach_the_gradient(expr: str, var: str, expected: sp.Expr | None) -> None:
    derivation = _derive(expr, var)
    rules = derivation.rules()
    assert Rule.LAYERS in rules and Rule.CHAIN_LAYERS in rules and Rule.MULTIPLY_LAYERS in rules
    assert derivation.verified
    assert_joined(derivation.steps, derivation.start, derivation.steps[-1].after)
    assert not derivation.result.has(Intermediate)  # the names are written back at the end
    truth = sp.diff(derivation.function, derivation.variable)
    if expected is not None:
        assert sp.simplify(derivation.result - expected) == 0
        assert derivation.result.has(sigma) or derivation.result.has(sp.tanh)
    assert sp.simplify(sigderiv.explicit(derivation.result) - sigderiv.explicit(truth)) == 0


def test_the_neuron_shows_sigma_prime_and_the_cancelling_factor() -> None:
    derivation = _derive(BCE, "w")
    a = next(q for q in derivation.steps[0].after.atoms(Intermediate) if q.name == "a")
    parts = [s.local[1] for step in derivation.steps for s in step.walk() if s.local]
    assert a * (1 - a) in parts, "σ′ = σ(1 − σ), written in terms of a"
    loss_layer = derivation.steps[2].substeps[-1].local
    assert loss_layer is not None and sp.fraction(loss_layer[1])[1] == a * (1 - a)
    # the pre-activation and the activation are named the way an ML text names them
    text = str(derivation.steps[0].explanation)
    assert "pre-activation z = wx + b" in text and "activation a = σ(z)" in text


def test_layers_named_by_hand_match_the_ones_found() -> None:
    found = _derive(BCE, "w")
    given = _derive(BCE, "w", [("z", "w*x + b"), ("a", "sigmoid(z)")])
    assert given.result == found.result
    assert [s.rule for s in given.steps] == [s.rule for s in found.steps]


def test_a_function_without_layers_is_derived_the_usual_way() -> None:
    plain = sigderiv.derive("x^2*sin(x)", bounded=False)
    assert _derive("x^2*sin(x)", "x").rules() == plain.rules()


@pytest.mark.parametrize(
    ("layers", "error", "message"),
    [
        ([("z", "w*y")], UnsupportedError, "does not occur"),
        ([("z", "w*x + b"), ("z", "x")], ParseError, "a name of its own"),
        ([("_z", "w*x + b")], ParseError, "cannot start with '_'"),
        ("z=w*x", ParseError, "pairs"),
    ],
)
def test_bad_layers_are_refused(layers: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        _derive(BCE, "w", layers)


def test_layers_take_a_first_derivative_only() -> None:
    with pytest.raises(UnsupportedError, match="first derivative"):
        sigderiv.derive(BCE, "w", layers=True, order=2, bounded=False)


def test_a_layered_derivation_goes_through_json_and_back() -> None:
    derivation = _derive(BCE, "w")
    read = Derivation.from_json(derivation.to_json(), bounded=False)
    assert read.steps == derivation.steps
    assert read.result == derivation.result


def test_grad_gives_each_partial_derivative_and_the_vector() -> None:
    gradient = sigderiv.grad(BCE, "w, b", bounded=False)
    assert gradient.variables == (w, b)
    assert sp.simplify(gradient.vector[0] - x * (sigma(Z) - y)) == 0
    assert sp.simplify(gradient.vector[1] - (sigma(Z) - y)) == 0
    assert gradient.verified
    assert all(d.partial for d in gradient.derivations)
    text = sigderiv.render(gradient, "text", bounded=False, width=100)
    assert text.count("Result") == 2 and "Gradient" in text
    assert "grad L = " in text  # ASCII: ∇ is spelt out
    doc = sigderiv.render(gradient, "json", bounded=False)
    assert '"schema": "https://sigderiv.dev/schema/gradient/v1"' in doc


@pytest.mark.parametrize("wrt", ["", "w,w", []])
def test_grad_needs_distinct_variables(wrt: object) -> None:
    with pytest.raises(ParseError):
        sigderiv.grad(BCE, wrt, bounded=False)  # type: ignore[arg-type]


def test_a_gradient_is_not_written_as_latex() -> None:
    gradient = sigderiv.grad("x^2*y", "x,y", bounded=False)
    with pytest.raises(UnsupportedError, match="one variable at a time"):
        sigderiv.render(gradient, "latex", bounded=False)
