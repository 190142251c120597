"""JSON: valid against docs/derivation.schema.json, and read back into an equal Derivation."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
import sympy as sp

from sigderiv import Derivation, ParseError, Rule, derive, render
from sigderiv.formats.json import SCHEMA, VERSION, loads
from sigderiv.input.srepr import dumps as srepr

from .conftest import FUNCTIONS

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "derivation.schema.json"


@pytest.fixture(scope="module")
def validator():
    """A validator of the published schema (jsonschema is a test dependency)."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _sreprs(derivation: Derivation) -> list[str]:
    exprs: list[sp.Basic] = [derivation.function, derivation.variable, derivation.result]
    exprs += [e for pair in derivation.definitions for e in pair]
    for step in derivation.walk():
        exprs += [step.before, step.after, *(step.local or ())]
    return [srepr(e) for e in exprs]


@pytest.mark.parametrize("name", [*FUNCTIONS, "softplus", "elu"])
def test_json_validates_and_round_trips(name: str, derivations, validator) -> None:
    derivation = derivations[name] if name in derivations else derive(name)
    text = derivation.to_json()
    validator.validate(json.loads(text))
    back = Derivation.from_json(text)
    assert back == derivation
    assert _sreprs(back) == _sreprs(derivation)
    assert back.to_json() == text


def test_the_document(sigmoid: Derivation) -> None:
    data = json.loads(render(sigmoid, "json"))
    assert data["schema"] == SCHEMA == "sigderiv.derivation" and data["version"] == VERSION == 1
    assert data["variable"] == {"srepr": "Symbol('x')", "latex": "x", "text": "x"}
    assert data["definitions"][0]["function"]["latex"] == r"\sigma\left(x\right)"
    assert [s["rule"] for s in data["steps"]] == [
        "differentiate",
        "inner_derivative",
        "reduce",
        "rewrite_in_terms",
        "substitute",
    ]
    first = data["steps"][0]
    assert first["check"]["status"] == "verified" and first["check"]["method"]
    assert [s["rule"] for s in first["substeps"]] == [
        "quotient_rule",
        "constant_rule",
        "chain_rule",
    ]
    assert first["substeps"][1]["local"]["after"]["srepr"] == "Integer(0)"
    assert data["result"]["text"] == "σ(x)(1 − σ(x))"
    assert data["verified"] is True


def test_every_rule_id_fits_the_schema() -> None:
    pattern = json.loads(SCHEMA_PATH.read_text())["$defs"]["step"]["properties"]["rule"]["pattern"]
    import re

    assert all(re.fullmatch(pattern, rule.value) for rule in Rule)


def _broken(sigmoid: Derivation, change) -> str:
    data = json.loads(sigmoid.to_json())
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=2), "schema version 2"),
        (lambda d: d.update(schema="other"), "not a sigderiv.derivation document"),
        (lambda d: d.pop("steps"), "has no 'steps'"),
        (lambda d: d["steps"][0].update(rule="made_up"), "is not a rule of sigderiv"),
        (lambda d: d["steps"][0]["check"].update(status="maybe"), "not a check status"),
        (lambda d: d["function"].update(srepr="__import__('os').system('echo hi')"), "srepr"),
        (lambda d: d["result"].update(srepr="exec('1')"), "srepr"),
        (lambda d: d["variable"].update(srepr="Integer(1)"), "must be a Symbol"),
        (lambda d: d.update(name=3), "name must be text"),
    ],
)
def test_from_json_refuses_what_it_cannot_trust(sigmoid, change, message: str) -> None:
    with pytest.raises(ParseError, match=message if message != "srepr" else "srepr: "):
        loads(_broken(sigmoid, change))


def test_from_json_refuses_text_that_is_not_json() -> None:
    with pytest.raises(ParseError, match="not valid JSON"):
        loads("{")
    with pytest.raises(ParseError):
        loads("[]")


def test_a_step_as_json(sigmoid: Derivation) -> None:
    from sigderiv.formats import formatter

    data = json.loads(formatter("json").render_step(sigmoid.steps[2]))
    assert data["rule"] == "reduce" and data["substeps"] == []
    assert data["before"]["srepr"] == srepr(sigmoid.steps[2].before)


# Issue 13, item 2: documents from elsewhere. Before: the Float took about 50 s to load, the
# Derivative made to_json take 50 s and 15 GB, the powers, polygamma and the nested named
# functions made render(d, "html") run past 60 s, and the unshowable documents loaded, then
# failed later with a raw ValueError, IndexError or AttributeError (or wrote NaN).
_X = "Symbol('x')"
_HOSTILE_FUNCTIONS = [
    "Float('1e999999')",
    f"Derivative(sin({_X}), Tuple({_X}, Integer(1000000000)))",
    "Pow(Integer(10), Pow(Integer(10), Integer(9)))",
    "Pow(Integer(2), Integer(" + "7" * 4000 + "))",
    f"polygamma(Integer(100000), {_X})",
]


def _with_function(sigmoid: Derivation, srepr_text: str) -> str:
    return _broken(sigmoid, lambda d: d["function"].update(srepr=srepr_text))


@pytest.mark.parametrize("text", _HOSTILE_FUNCTIONS, ids=lambda t: t[:30])
def test_from_json_refuses_past_the_limits_at_once(sigmoid, text: str) -> None:
    import time

    from sigderiv import LimitError

    started = time.monotonic()
    with pytest.raises(LimitError):
        Derivation.from_json(_with_function(sigmoid, text))
    assert time.monotonic() - started < 5


def test_nested_named_functions_render_within_the_bound(sigmoid) -> None:
    import time

    from sigderiv import sigma

    nested = sp.Symbol("x")
    for _ in range(22):
        nested = sigma(nested)
    d = Derivation.from_json(_with_function(sigmoid, srepr(nested)))
    started = time.monotonic()
    assert "<svg" in render(d, "html")  # before: past 60 s, sampling by evalf
    assert time.monotonic() - started < 20


def test_rendering_and_loading_are_bounded(sigmoid) -> None:
    from sigderiv import TimeoutError

    x = sp.Symbol("x")
    slow = sp.Mul(*(sp.polygamma(n, x) for n in range(95, 101)))  # within the limits
    d = Derivation.from_json(_with_function(sigmoid, srepr(slow)))
    with pytest.raises(TimeoutError, match="rendering ran out of its time bound"):
        render(d, "html", timeout=0.5)
    with pytest.raises(TimeoutError, match="reading the JSON document"):
        Derivation.from_json(sigmoid.to_json(), timeout=1e-3)
    assert render(sigmoid, "json", bounded=False) == render(sigmoid, "json")


_SHAPES = [
    (lambda d: d.update(order=-1), "order must be a whole number"),
    (lambda d: d.update(order=9), "order must be a whole number"),
    (lambda d: d.update(steps=[]), "at least one step"),
    (lambda d: d["function"].update(srepr="Str('x')"), "must be an expression, not a Str"),
    (lambda d: d["function"].update(srepr="true"), "must be an expression, not a BooleanTrue"),
    (lambda d: d["function"].update(srepr="Tuple(Symbol('x'))"), "not a Tuple"),
    (
        lambda d: d["function"].update(srepr="Lambda(Tuple(Symbol('y')), Symbol('y'))"),
        "not a Lambda",
    ),
    (
        lambda d: d["result"].update(srepr="StrictLessThan(Symbol('x'), Integer(1))"),
        "not a StrictLessThan",
    ),
    (
        lambda d: d["steps"][0].update(after={"srepr": "Add(Str('x'), Integer(1))"}),
        "Add of a Str",
    ),
    (lambda d: d["steps"][0]["check"].update(seconds=-1), "finite number of seconds"),
    (lambda d: d["steps"][0]["check"].update(seconds=10**400), "finite number of seconds"),
]


@pytest.mark.parametrize(("change", "message"), _SHAPES)
def test_from_json_refuses_what_the_renderers_cannot_show(sigmoid, change, message) -> None:
    with pytest.raises(ParseError, match=message):
        Derivation.from_json(_broken(sigmoid, change))


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused_and_never_written(sigmoid, constant: str) -> None:
    text = re.sub(r'"seconds": [0-9.e-]+', f'"seconds": {constant}', sigmoid.to_json(), count=1)
    assert constant in text
    with pytest.raises(ParseError):
        Derivation.from_json(text)
    from sigderiv import Check, CheckStatus

    with pytest.raises(ValueError, match="finite"):
        Check(CheckStatus.VERIFIED, "structural", seconds=math.nan)
    assert "NaN" not in sigmoid.to_json() and "Infinity" not in sigmoid.to_json()


def test_a_partial_derivative_round_trips() -> None:
    d = derive("x*z^2", "z", partial=True)
    data = json.loads(d.to_json())
    assert data["partial"] is True and data["result"]["text"] == "2xz"
    assert data["steps"][0]["before"]["text"] == "∂/∂z (xz²)"
    assert Derivation.from_json(d.to_json()) == d
    assert "partial" not in json.loads(derive("x*z^2", "z").to_json())
