"""JSON: the derivation as data (schema ``docs/derivation.schema.json``), and back again.

Each expression is written three ways: ``srepr`` (exact, read back by our whitelist parser in
:mod:`sigderiv.input.srepr`, never by ``eval``), ``latex`` and ``text`` (for people and other
tools). :func:`loads` rebuilds a Derivation equal to the one written, and refuses with
ParseError (or LimitError, past a limit) any document the renderers could not show: every
expression a term within the limits, at least one step, an order from 1 to MAX_ORDER, finite
numbers only. Output holds no NaN or Infinity either (``allow_nan=False``): a Check's seconds
are finite by construction.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import partial
from typing import Any, ClassVar

import sympy as sp
from sympy.logic.boolalg import Boolean

from sigderiv._version import __version__
from sigderiv.errors import LimitError, ParseError
from sigderiv.formats.base import Format, Formatter
from sigderiv.input.limits import MAX_ORDER, check_expression
from sigderiv.input.srepr import dumps as srepr_dumps
from sigderiv.input.srepr import loads as srepr_loads
from sigderiv.model.bounds import MEMORY, TIMEOUT
from sigderiv.model.steps import Check, CheckStatus, Derivation, Rule, Step
from sigderiv.model.words import Slot, Words
from sigderiv.printing.inline import inline
from sigderiv.printing.latex import latex
from sigderiv.printing.order import in_variable
from sigderiv.sandbox.bound import run_bounded

#: The document type and schema version written; readers accept this major version.
SCHEMA = "sigderiv.derivation"
VERSION = 1
#: Longest document read, in characters (an eighth derivative of the sigmoid is 0.65 million).
MAX_DOCUMENT_LENGTH = 50_000_000


def expression(expr: sp.Basic) -> dict[str, str]:
    """Return ``expr`` as ``{"srepr", "latex", "text"}``."""
    return {"srepr": srepr_dumps(expr), "latex": latex(expr), "text": inline(expr)}


def words_data(said: Words) -> list[str | dict[str, str]]:
    """Return Words as JSON data: text parts as strings, each slot as its role and expression."""
    return [
        part if isinstance(part, str) else {"role": part.role, **expression(part.expr)}
        for part in said.parts
    ]


def check_data(check: Check | None) -> dict[str, Any] | None:
    """Return a step's check as JSON data, or None when it was not checked."""
    if check is None:
        return None
    return {
        "status": check.status.value,
        "method": check.method,
        "seconds": check.seconds,
        "detail": check.detail,
        "counterexample": [list(pair) for pair in check.counterexample],
    }


def step_data(step: Step) -> dict[str, Any]:
    """Return one step, its substeps included, as JSON data."""
    return {
        "rule": step.rule.value,
        "title": str(step.title),
        "explanation": str(step.explanation),
        "title_parts": words_data(step.title),
        "explanation_parts": words_data(step.explanation),
        "before": expression(step.before),
        "after": expression(step.after),
        "check": check_data(step.check),
        "substeps": [step_data(sub) for sub in step.substeps],
        "local": None
        if step.local is None
        else {"before": expression(step.local[0]), "after": expression(step.local[1])},
    }


def document(derivation: Derivation) -> dict[str, Any]:
    """Return the derivation as the JSON document the schema describes."""
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "version": VERSION,
        "generator": f"sigderiv {__version__}",
        "function": expression(derivation.function),
        "variable": expression(derivation.variable),
        "name": derivation.name,
        "definitions": [
            {"function": expression(named), "definition": expression(definition)}
            for named, definition in derivation.definitions
        ],
        "steps": [step_data(step) for step in derivation.steps],
        "result": _result(derivation),
        "verified": derivation.verified,
    }
    extra = _extra_fields(derivation)
    if "warnings" in extra:
        data["warnings"] = list(extra["warnings"])
    if "order" in extra:
        data["order"] = extra["order"]
    if derivation.partial:
        data["partial"] = True
    return data


def _extra_fields(derivation: Derivation) -> dict[str, Any]:
    """The optional fields this version of Derivation has (warnings, order)."""
    names = {f.name for f in fields(derivation)}
    return {name: getattr(derivation, name) for name in ("warnings", "order") if name in names}


def _result(derivation: Derivation) -> dict[str, str]:
    """The result: exact (srepr) as SymPy evaluates it, written (latex, text) as the last step
    claims it, 2(x − 1) rather than SymPy's 2x − 2; the two are the same expression's value."""
    shown = derivation.steps[-1].after if derivation.steps else derivation.result
    return {**expression(shown), "srepr": srepr_dumps(derivation.result)}


def dumps(derivation: Derivation, *, indent: int | None = 2) -> str:
    """Return the derivation as JSON text."""
    with in_variable(derivation.variable, derivation.partial):
        data = document(derivation)
    return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"


@dataclass(frozen=True)
class JsonFormatter(Formatter):
    """The derivation as JSON following ``docs/derivation.schema.json``."""

    format: ClassVar[Format] = Format.JSON
    indent: int | None = 2

    def render(self, derivation: Derivation) -> str:
        """Return the JSON document."""
        return dumps(derivation, indent=self.indent)

    def render_step(self, step: Step) -> str:
        """Return one step as a JSON object."""
        data = step_data(step)
        return json.dumps(data, indent=self.indent, ensure_ascii=False, allow_nan=False) + "\n"


# ---- reading back -------------------------------------------------------------------------


def _field(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, Mapping) or key not in data:
        raise ParseError(f"JSON: {where} has no {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ParseError(f"JSON: {where}.{key} has the wrong type")
    return value


def _expr(data: Any, where: str, *, equation: bool = False) -> sp.Expr:
    """Return the term that ``data["srepr"]`` spells; refuse a Tuple, Lambda, Str or relation.

    With ``equation``, ``a = b`` of two terms is a side too (a step between two equations).
    """
    expr = srepr_loads(_field(data, "srepr", str, where))
    if equation and isinstance(expr, sp.Equality):
        if not all(isinstance(side, sp.Expr) for side in expr.args):
            raise ParseError(f"JSON: {where} must be an expression or an equation of two")
        return expr
    if not isinstance(expr, sp.Expr) or isinstance(expr, (sp.Lambda, sp.Tuple)):
        kind = "Lambda" if isinstance(expr, sp.Lambda) else type(expr).__name__
        raise ParseError(f"JSON: {where} must be an expression, not a {kind}")
    return expr


def _seconds(data: Any, where: str) -> float:
    """Return the check's seconds: a finite number, 0 or more."""
    value = _field(data, "seconds", (int, float), where)
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if not (math.isfinite(seconds) and seconds >= 0):
        raise ParseError(f"JSON: {where}.seconds must be a finite number of seconds, 0 or more")
    return seconds


def _refuse_constant(name: str) -> None:
    """json's hook for NaN, Infinity and -Infinity, which are not JSON: refuse them."""
    raise ValueError(f"{name} is not a JSON number")


def _check(data: Any, where: str) -> Check | None:
    if data is None:
        return None
    try:
        status = CheckStatus(_field(data, "status", str, where))
    except ValueError:
        raise ParseError(f"JSON: {where}.status is not a check status") from None
    pairs = _field(data, "counterexample", list, where)
    if not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(v, str) for v in p) for p in pairs
    ):
        raise ParseError(f"JSON: {where}.counterexample must hold [name, value] pairs")
    return Check(
        status=status,
        method=_field(data, "method", str, where),
        seconds=_seconds(data, where),
        detail=_field(data, "detail", str, where),
        counterexample=tuple((a, b) for a, b in pairs),
    )


def _slot(data: Any, where: str) -> sp.Basic:
    """Return the math of one slot of prose: a term, or an equation or condition of terms."""
    expr = srepr_loads(_field(data, "srepr", str, where))
    if isinstance(expr, (sp.Rel, Boolean)):
        for arg in expr.atoms(sp.Rel) | ({expr} if isinstance(expr, sp.Rel) else set()):
            for side in arg.args:
                if not isinstance(side, sp.Expr):
                    raise ParseError(f"JSON: {where} must be an expression or an equation")
        return expr
    return _expr(data, where)


def _words(data: Any, key: str, where: str) -> Words:
    """Read Words: from ``<key>_parts`` where the document has them, else the plain text."""
    text = _field(data, key, str, where)
    parts = data.get(f"{key}_parts")
    if parts is None:
        return Words.plain(text)
    if not isinstance(parts, list):
        raise ParseError(f"JSON: {where}.{key}_parts must be a list")
    read: list[str | Slot] = []
    for i, part in enumerate(parts):
        at = f"{where}.{key}_parts[{i}]"
        if isinstance(part, str):
            read.append(part)
        elif isinstance(part, Mapping):
            read.append(Slot(_slot(part, at), _field(part, "role", str, at)))
        else:
            raise ParseError(f"JSON: {at} must be text or an expression")
    return Words(tuple(read))


def _step(data: Any, where: str, depth: int = 0) -> Step:
    if depth > 50:
        raise ParseError("JSON: substeps nested too deeply")
    try:
        rule = Rule(_field(data, "rule", str, where))
    except ValueError:
        raise ParseError(f"JSON: {where}.rule {data['rule']!r} is not a rule of sigderiv") from None
    local = data.get("local")
    if local is not None:
        local = (
            _expr(_field(local, "before", Mapping, f"{where}.local"), f"{where}.local.before"),
            _expr(_field(local, "after", Mapping, f"{where}.local"), f"{where}.local.after"),
        )
    substeps: Sequence[Any] = _field(data, "substeps", list, where)
    return Step(
        rule=rule,
        title=_words(data, "title", where),
        explanation=_words(data, "explanation", where),
        before=_expr(_field(data, "before", Mapping, where), f"{where}.before", equation=True),
        after=_expr(_field(data, "after", Mapping, where), f"{where}.after", equation=True),
        substeps=tuple(
            _step(sub, f"{where}.substeps[{i}]", depth + 1) for i, sub in enumerate(substeps)
        ),
        check=_check(data.get("check"), f"{where}.check"),
        local=local,
    )


def loads(text: str | bytes) -> Derivation:
    """Return the Derivation written as JSON ``text``; raise ParseError for anything else.

    This runs in the calling process, unbounded; :meth:`Derivation.from_json` runs it in a
    bounded worker.
    """
    if not isinstance(text, (str, bytes, bytearray)):
        raise ParseError(f"JSON: expected text, not {type(text).__name__}")
    if len(text) > MAX_DOCUMENT_LENGTH:
        raise LimitError(f"JSON: longer than MAX_DOCUMENT_LENGTH = {MAX_DOCUMENT_LENGTH}")
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise ParseError(f"JSON: not valid JSON: {error}") from None
    if _field(data, "schema", str, "the document") != SCHEMA:
        raise ParseError(f"JSON: not a {SCHEMA} document")
    version = _field(data, "version", int, "the document")
    if version != VERSION:
        raise ParseError(f"JSON: schema version {version}; this sigderiv reads {VERSION}")
    variable = _expr(_field(data, "variable", Mapping, "the document"), "variable")
    if not isinstance(variable, sp.Symbol):
        raise ParseError("JSON: the variable must be a Symbol")
    name = data.get("name")
    if name is not None and not isinstance(name, str):
        raise ParseError("JSON: name must be text or null")
    definitions = tuple(
        (
            _expr(_field(pair, "function", Mapping, where), where),
            _expr(_field(pair, "definition", Mapping, where), where),
        )
        for i, pair in enumerate(_field(data, "definitions", list, "the document"))
        for where in (f"definitions[{i}]",)
    )
    steps = tuple(
        _step(step, f"steps[{i}]") for i, step in enumerate(_field(data, "steps", list, "doc"))
    )
    if not steps:
        raise ParseError("JSON: a derivation has at least one step")
    extra: dict[str, Any] = {}
    names = {f.name for f in fields(Derivation)}
    if "warnings" in names and "warnings" in data:
        warned = _field(data, "warnings", list, "the document")
        if not all(isinstance(w, str) for w in warned):
            raise ParseError("JSON: warnings must be text")
        extra["warnings"] = tuple(warned)
    if "order" in names and "order" in data:
        order = _field(data, "order", int, "the document")
        if not 1 <= order <= MAX_ORDER:
            raise ParseError(f"JSON: the order must be a whole number from 1 to {MAX_ORDER}")
        extra["order"] = order
    if "partial" in data:
        extra["partial"] = _field(data, "partial", bool, "the document")
    function = _expr(_field(data, "function", Mapping, "the document"), "function")
    check_expression(function)  # the limits derive holds its input to
    return Derivation(
        function=function,
        variable=variable,
        result=_expr(_field(data, "result", Mapping, "the document"), "result"),
        steps=steps,
        name=name,
        definitions=definitions,
        **extra,
    )


def read(
    text: str | bytes,
    *,
    timeout: float | None = TIMEOUT,
    memory: int | None = MEMORY,
    bounded: bool = True,
) -> Derivation:
    """:func:`loads` in a bounded worker (``bounded=False``: here); see Derivation.from_json."""
    if not bounded:
        return loads(text)
    return run_bounded(
        partial(loads, text), timeout, memory=memory, what="reading the JSON document"
    )
