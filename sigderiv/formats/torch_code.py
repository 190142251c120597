"""PyTorch: a ``torch.autograd.Function`` whose backward is the derivative sigderiv derived."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, ClassVar

import sympy as sp
from sympy.printing.precedence import PRECEDENCE

from sigderiv.formats.base import Format, Formatter, in_its_variable
from sigderiv.formats.code import (
    OUT,
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
from sigderiv.model.steps import Derivation


def _load_torch_printer() -> None:
    """Import SymPy's TorchPrinter without importing torch.

    sympy.printing.pytorch imports torch when it is installed, only to ask its version;
    writing code needs none of it, and torch takes seconds to load and starts threads
    (sigderiv forks its workers). While SymPy's module loads, ``import torch`` fails, and
    SymPy's ``import_module`` answers None.
    """
    if "sympy.printing.pytorch" not in sys.modules and "torch" not in sys.modules:
        sys.modules["torch"] = None  # type: ignore[assignment]
        try:
            import sympy.printing.pytorch  # noqa: F401
        finally:
            del sys.modules["torch"]


def _printer(like: str, tensors: set[sp.Symbol]) -> Any:
    """Return SymPy's PyTorch printer for code whose tensors are ``tensors`` (``like`` one)."""
    _load_torch_printer()
    from sympy.printing.pytorch import TorchPrinter

    class TorchCode(TorchPrinter):
        """torch.where(c, a, b) for each branch; the last branch plainly; dtypes kept."""

        def _print_Piecewise(self, expr: sp.Piecewise) -> str:
            (value, condition), rest = expr.args[0].args, expr.args[1:]
            if condition == sp.true or not rest:
                return str(self._print(value))
            chosen = self._print(value)
            if not any(piece.expr.free_symbols & tensors for piece in expr.args):
                # No branch is a tensor: torch.where would make one of the default dtype.
                chosen = f"{self._module_format('torch.as_tensor')}({chosen}, dtype={like}.dtype)"
            where = self._module_format("torch.where")
            otherwise = self._print(sp.Piecewise(*rest))
            return f"{where}({self._print(condition)}, {chosen}, {otherwise})"

        def _print_Pow(self, expr: sp.Pow) -> str:
            if expr.exp.is_Integer and expr.exp.is_negative:  # 1/(1 + exp(-x)), not pow(…, -1)
                denominator = sp.Pow(expr.base, -expr.exp)
                return f"1/{self.parenthesize(denominator, PRECEDENCE['Mul'])}"
            return str(super()._print_Pow(expr))

    return TorchCode()


def _printed(expr: sp.Expr, k: Kernel) -> Printed:
    like = k.variable.name if k.variable in expr.free_symbols else OUT.name
    tensors = {k.variable, OUT}
    taken = {k.variable.name, *k.names}
    return body(irrational_as_floats(expr), lambda: _printer(like, tensors), taken)


def camel(name: str) -> str:
    """Return a Python name as a class name: ``leaky_relu`` -> ``LeakyRelu``."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_")) or "F"


def torch_module(k: Kernel) -> str:
    """Return the module's text: the autograd Function and a function that applies it."""
    x, params = k.variable, k.names
    forward, backward = _printed(k.forward, k), _printed(k.derivative, k)
    cls = f"{camel(k.name)}Function"
    saved = [x.name] * k.uses_x + ["out"] * k.uses_out
    after = "".join(f", {p}" for p in params)
    nones = ", None" * len(params)  # the parameters are constants: no gradient for them
    doc = [
        f"{k.heading}: code for backpropagation with PyTorch.",
        *k.summary,
        "",
        f"{k.name}({x}) applies {cls}, whose backward returns grad·f′({x}) from what the",
        f"forward pass saved: {' and '.join(saved) or 'nothing'}"
        + (" (out = f(x))." if k.uses_out else "."),
    ]
    lines = [docstring(doc), "", *imports({"torch"} | forward.imports | backward.imports)]
    lines += [
        f"class {cls}(torch.autograd.Function):",
        docstring([f"f({x}) with the backward pass sigderiv derived."], "    "),
        "",
        "    @staticmethod",
        f"    def forward(ctx, {x}{after}):",
        *(f"        {line}" for line in forward.lines),
        f"        out = {forward.value}",
        f"        ctx.save_for_backward({', '.join(saved)})",
        *(f"        ctx.{p} = {p}" for p in params),
        "        return out",
        "",
        "    @staticmethod",
        "    def backward(ctx, grad):",
        *([f"        {tuple_of(saved)} = ctx.saved_tensors"] if saved else []),
        *(f"        {p} = ctx.{p}" for p in params),
        *comment(k.comment, "        "),
        *(f"        {line}" for line in backward.lines),
        f"        return grad * ({backward.value}){nones}",
        "",
        "",
        f"def {k.name}({x}{''.join(f', {p}' for p in [k.signature] if p)}):",
        docstring([f"Return f({x}); its gradient comes from {cls}.backward."], "    "),
        f"    return {cls}.apply({x}{after})",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class TorchFormatter(Formatter):
    """A PyTorch module: an autograd Function saving the output when f′ needs only that."""

    format: ClassVar[Format] = Format.TORCH

    @in_its_variable
    def render(self, derivation: Derivation, **_: Any) -> str:
        """Return the derivation as a Python module for PyTorch."""
        return torch_module(kernel(derivation))
