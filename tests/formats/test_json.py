"""JSON: valid against docs/derivation.schema.json, and read back into an equal Derivation."""

from __future__ import annotations

import json
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
    assert data["result"]["text"] == "(1 − σ(x))·σ(x)"
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
