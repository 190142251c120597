"""NumPy: a Python module with ``forward(x, ...)`` and ``backward(grad, x, out, ...)``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE

from sigderiv.formats.base import Format, Formatter, in_its_variable
from sigderiv.formats.code import (
    OUT,
    Kernel,
    body,
    comment,
    docstring,
    imports,
    irrational_as_floats,
    kernel,
)
from sigderiv.model.steps import Derivation


class Readable:
    """What the array printers change: 1/(1 + exp(-x)), not (1 + exp(-x))**(-1.0); erf."""

    erf: ClassVar[str] = "scipy.special.erf"  # numpy has no erf; SciPy's is vectorised

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        if expr.exp.is_Integer and expr.exp.is_negative:
            denominator = sp.Pow(expr.base, -expr.exp)
            return f"1/{self.parenthesize(denominator, PRECEDENCE['Mul'])}"  # type: ignore[attr-defined]
        return str(super()._print_Pow(expr, rational=rational))  # type: ignore[misc]

    def _print_erf(self, expr: sp.Expr) -> str:
        erf = self._module_format(self.erf)  # type: ignore[attr-defined]
        return f"{erf}({self._print(expr.args[0])})"  # type: ignore[attr-defined]


class NumPyCode(Readable, NumPyPrinter):
    """SymPy's NumPy printer, made :class:`Readable`."""


def numpy_module(k: Kernel, framework: str = "NumPy") -> str:
    """Return the module's text: docstring, imports, ``forward`` and ``backward``."""
    x = k.variable
    taken = {x.name, *k.names, OUT.name}
    forward = body(irrational_as_floats(k.forward), NumPyCode, taken)
    backward = body(irrational_as_floats(k.derivative), NumPyCode, taken)
    after = "".join(f", {p}" for p in [k.signature] if p)
    doc = [
        f"{k.heading}: code for backpropagation with {framework}.",
        *k.summary,
        "",
        f"forward returns f({x}) and backward returns grad·f′({x}) given out = forward({x});",
        "both work elementwise on arrays."
        + (" f′ is computed from out alone." if not k.uses_x else ""),
    ]
    lines = [docstring(doc), "", *imports(forward.imports | backward.imports)]
    lines += [
        f"def forward({x}{after}):",
        docstring([f"Return f({x}), elementwise."], "    "),
        *(f"    {line}" for line in forward.lines),
        f"    return {forward.value}",
        "",
        "",
        f"def backward(grad, {x}, out{after}):",
        docstring([f"Return grad·f′({x}), elementwise; out is forward({x})."], "    "),
        *comment(k.comment, "    "),
        *(f"    {line}" for line in backward.lines),
        f"    return grad * ({backward.value})",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class NumpyFormatter(Formatter):
    """A NumPy module: ``forward`` and ``backward``, the derivative from the output if it can."""

    format: ClassVar[Format] = Format.NUMPY

    @in_its_variable
    def render(self, derivation: Derivation, **_: Any) -> str:
        """Return the derivation as a Python module for NumPy."""
        return numpy_module(kernel(derivation))
