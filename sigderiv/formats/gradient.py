"""A gradient in a format: each partial derivative's derivation, then the vector of them."""

from __future__ import annotations

import json
from typing import Any

import sympy as sp

from sigderiv._version import __version__
from sigderiv.errors import UnsupportedError
from sigderiv.expr.intermediate import Named
from sigderiv.formats.base import Format, formatter
from sigderiv.model.gradient import Gradient
from sigderiv.printing.inline import inline
from sigderiv.printing.order import in_variable

#: The JSON document of a gradient: its derivations, each in the derivation schema.
SCHEMA = "https://sigderiv.dev/schema/gradient/v1"

#: The formats a gradient is written in.
FORMATS = (Format.TERMINAL, Format.TEXT, Format.MARKDOWN, Format.JSON)


def rows(gradient: Gradient) -> tuple[tuple[sp.Expr, sp.Expr], ...]:
    """(∂L/∂w, its result as the last step writes it) for each variable."""
    name = Named(gradient.name)
    return tuple(
        (sp.Derivative(name, v, evaluate=False), d.steps[-1].after)
        for v, d in zip(gradient.variables, gradient.derivations, strict=True)
    )


def summary(gradient: Gradient, nabla: str = "∇") -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """(∇L, (∂L/∂w, ∂L/∂b), (their results)): the gradient as one equation."""
    shown = rows(gradient)
    return (
        sp.Symbol(nabla + gradient.name),
        sp.Tuple(*(lhs for lhs, _ in shown)),
        sp.Tuple(*(rhs for _, rhs in shown)),
    )


def render_gradient(
    gradient: Gradient, chosen: Format | str, options: dict[str, Any] | None = None
) -> str:
    """Return ``gradient`` in ``chosen`` (terminal, text, markdown or json), in this process."""
    options = options or {}
    chosen = Format(chosen)
    if chosen not in FORMATS:
        names = ", ".join(f.value for f in FORMATS)
        raise UnsupportedError(
            f"a gradient is written as {names}; for {chosen.value}, derive one variable at a time"
        )
    if chosen is Format.JSON:
        return _json(gradient, options.get("indent", 2))
    pieces = [formatter(chosen, **options).render(d) for d in gradient.derivations]
    with in_variable(None, True):
        if chosen is Format.MARKDOWN:
            pieces.append(_markdown(gradient))
        else:
            pieces.append(_terminal(gradient, chosen, options))
    return "\n".join(pieces)


def _terminal(gradient: Gradient, chosen: Format, options: dict[str, Any]) -> str:
    from sigderiv.formats.terminal import TerminalFormatter, gradient_view, printed

    ascii_ = bool(options.get("ascii", chosen is Format.TEXT))  # text is ASCII unless told
    color = chosen is Format.TERMINAL and bool(options.get("color", True))
    shown = TerminalFormatter(ascii=ascii_, color=color, width=int(options.get("width", 80)))
    equation: tuple[sp.Expr, ...] = summary(gradient, "grad " if ascii_ else "∇")
    if len(" = ".join(inline(e) for e in equation)) > shown.width - 8:
        equation = equation[:2]  # the rows above hold the results; a vector this long breaks
    return printed(gradient_view(rows(gradient), equation, ascii=ascii_), shown)


def _markdown(gradient: Gradient) -> str:
    from sigderiv.formats.markdown import display_math
    from sigderiv.printing.latex import latex

    _, partials, results = summary(gradient)
    parts = ["## Gradient"]
    parts += [display_math(lhs, rhs) for lhs, rhs in rows(gradient)]
    nabla = rf"\nabla {latex(sp.Symbol(gradient.name))}"
    parts.append(f"$$\n{nabla} = {latex(partials)} = {latex(results)}\n$$")
    return "\n\n".join(parts) + "\n"


def _json(gradient: Gradient, indent: int | None) -> str:
    from sigderiv.formats.json import document, expression

    with in_variable(None, True):
        data: dict[str, Any] = {
            "schema": SCHEMA,
            "generator": f"sigderiv {__version__}",
            "function": expression(gradient.function),
            "variables": [expression(v) for v in gradient.variables],
            "gradient": [expression(rhs) for _, rhs in rows(gradient)],
            "verified": gradient.verified,
        }
    documents = []
    for derivation in gradient.derivations:
        with in_variable(derivation.variable, derivation.partial):
            documents.append(document(derivation))
    data["derivations"] = documents
    return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"
