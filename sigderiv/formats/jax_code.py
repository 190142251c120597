"""JAX: a ``jax.custom_vjp`` function whose backward is the derivative sigderiv derived."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import sympy as sp
from sympy.printing.numpy import JaxPrinter

from sigderiv.formats.base import Format, Formatter, in_its_variable
from sigderiv.formats.code import (
    Kernel,
    Printed,
    body,
    comment,
    docstring,
    imports,
    irrational_as_floats,
    kernel,
    tuple_of,
)
from sigderiv.formats.numpy_code import Readable
from sigderiv.model.steps import Derivation


class JaxCode(Readable, JaxPrinter):
    """SymPy's JAX printer, made readable; erf from jax.scipy."""

    erf: ClassVar[str] = "jax.scipy.special.erf"


def _printed(expr: sp.Expr, k: Kernel) -> Printed:
    return body(irrational_as_floats(expr), JaxCode, {k.variable.name, *k.names})


def jax_module(k: Kernel) -> str:
    """Return the module's text: the custom_vjp function, its fwd and bwd, and a wrapper."""
    x, params = k.variable, k.names
    forward, backward = _printed(k.forward, k), _printed(k.derivative, k)
    inner = f"_{k.name}"
    saved = [x.name] * k.uses_x + ["out"] * k.uses_out
    args = ", ".join([x.name, *params])
    nondiff = ", ".join(str(i) for i in range(1, len(params) + 1))
    doc = [
        f"{k.heading}: code for backpropagation with JAX.",
        *k.summary,
        "",
        f"{k.name}({x}) is a jax.custom_vjp function: its backward returns grad·f′({x}) from",
        f"what the forward pass kept: {' and '.join(saved) or 'nothing'}"
        + (" (out = f(x))." if k.uses_out else "."),
    ]
    modules = {"jax"} | forward.imports | backward.imports | ({"functools"} if params else set())
    lines = [docstring(doc), "", *imports(modules)]
    decorator = (
        f"@functools.partial(jax.custom_vjp, nondiff_argnums=({nondiff},))"
        if params
        else "@jax.custom_vjp"
    )
    residuals = tuple_of(saved)
    lines += [
        decorator,
        f"def {inner}({args}):",
        *(f"    {line}" for line in forward.lines),
        f"    return {forward.value}",
        "",
        "",
        f"def {inner}_fwd({args}):",
        f"    out = {inner}({args})",
        f"    return out, {residuals}",
        "",
        "",
        f"def {inner}_bwd({''.join(f'{p}, ' for p in params)}residuals, grad):",
        f"    {tuple_of(saved)} = residuals" if saved else "    del residuals",
        *comment(k.comment, "    "),
        *(f"    {line}" for line in backward.lines),
        f"    return (grad * ({backward.value}),)",
        "",
        "",
        f"{inner}.defvjp({inner}_fwd, {inner}_bwd)",
        "",
        "",
        f"def {k.name}({x}{''.join(f', {p}' for p in [k.signature] if p)}):",
        docstring([f"Return f({x}), differentiable by jax.grad through {inner}_bwd."], "    "),
        f"    return {inner}({args})",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class JaxFormatter(Formatter):
    """A JAX module: a custom_vjp function keeping the output when f′ needs only that."""

    format: ClassVar[Format] = Format.JAX

    @in_its_variable
    def render(self, derivation: Derivation, **_: Any) -> str:
        """Return the derivation as a Python module for JAX."""
        return jax_module(kernel(derivation))
