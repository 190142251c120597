"""Code that backpropagates: what the numpy, torch and jax formats share.

A derivation becomes a :class:`Kernel`: the forward value f(x) and the backward factor f′(x)
as SymPy expressions in Python names, f′ written with ``out`` = f(x) wherever the derivation
found the derivative in terms of the function's own value (σ′ = out·(1 − out), no exp).
:func:`body` prints one of them with a SymPy code printer, common subexpressions first
(``sympy.cse``); each framework's formatter lays the printed lines out as its module.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from sigderiv._version import __version__
from sigderiv.errors import UnsupportedError
from sigderiv.expr.functions import Defined, NamedFunction, lookup, write_out
from sigderiv.formats.base import result_sides, tally, title
from sigderiv.formats.safe import printable
from sigderiv.model.steps import Derivation
from sigderiv.printing.inline import inline

__all__ = ["Kernel", "Parameter", "body", "docstring", "identifier", "kernel", "tuple_of"]

#: Names the generated modules use for themselves, and Python's builtins (the printers write
#: abs(x)); a symbol so named is renamed.
TAKEN = frozenset(
    {"grad", "out", "ctx", "residuals", "forward", "backward", "numpy", "scipy", "torch"}
    | {"jax", "math", "functools", "apply", "self"}
    | set(dir(builtins))
)
_NOT_NAME = re.compile(r"\W|^(?=\d)", re.ASCII)


@dataclass(frozen=True)
class Parameter:
    """A symbol other than the variable: a keyword parameter with its default, or required."""

    name: str
    default: str | None  # a Python literal (``1.0``), or None when the caller must give it


@dataclass(frozen=True)
class Kernel:
    """What a backpropagating module computes, in SymPy, with Python names for the symbols."""

    name: str  # the function's Python name: sigmoid, elu; derived when it has none
    variable: sp.Symbol
    forward: sp.Expr  # f(x), named functions written out
    derivative: sp.Expr  # f′(x) in the variable and OUT, written out
    parameters: tuple[Parameter, ...]
    heading: str  # the derivation's title: The derivative of the sigmoid σ(x) with respect to x
    summary: tuple[str, ...]  # what was derived, for the module's docstring
    comment: tuple[str, ...]  # the derivation's result, for a comment above the backward code

    @property
    def uses_out(self) -> bool:
        """True when f′ is computed from the forward value ``out``."""
        return OUT in self.derivative.free_symbols

    @property
    def uses_x(self) -> bool:
        """True when f′ needs the input itself."""
        return self.variable in self.derivative.free_symbols

    @property
    def signature(self) -> str:
        """The parameters after the input, for a ``def``: ``k, alpha=1.0``."""
        return ", ".join(
            p.name if p.default is None else f"{p.name}={p.default}" for p in self.ordered
        )

    @property
    def ordered(self) -> tuple[Parameter, ...]:
        """Required parameters first (a Python signature needs them there), then defaults."""
        return tuple(sorted(self.parameters, key=lambda p: p.default is not None))

    @property
    def names(self) -> tuple[str, ...]:
        """The parameters' names in the signature's order."""
        return tuple(p.name for p in self.ordered)


OUT = sp.Symbol("out")


def identifier(name: str, taken: frozenset[str] = TAKEN) -> str:
    """Return ``name`` as a Python identifier no generated module uses: lambda -> lambda_."""
    safe = _NOT_NAME.sub("_", name) or "_"
    while keyword.iskeyword(safe) or safe in taken:
        safe += "_"
    return safe


def kernel(derivation: Derivation) -> Kernel:
    """Return the forward value and backward factor of a first derivative, in Python names.

    Raises UnsupportedError for a higher derivative, or one holding an unknown function or a
    derivative SymPy could not do: there is no code for those.
    """
    if derivation.order != 1:
        raise UnsupportedError(
            "the code formats write a backward pass, the first derivative's: drop --order"
        )
    x = derivation.variable
    function = write_out(derivation.function)
    final = derivation.steps[-1].after if derivation.steps else derivation.result
    own = {a: OUT for a in final.atoms(NamedFunction, Defined) if write_out(a) == function}
    if final.has(derivation.function) and not derivation.function.is_Symbol:
        own[derivation.function] = OUT  # tanh′ = 1 − tanh²: the function is its own name
    derivative = write_out(final.xreplace(own))
    for expr in (function, derivative):
        if expr.has(AppliedUndef, sp.Derivative, sp.Subs):
            raise UnsupportedError(
                f"no code for {inline(expr)}: it holds an unknown function or a derivative"
            )
    renamed, parameters = _names(derivation, (function, derivative))
    return Kernel(
        name=identifier(derivation.name or "derived"),
        variable=renamed.get(x, x),
        forward=function.xreplace(renamed),
        derivative=derivative.xreplace(renamed),
        parameters=parameters,
        heading=printable(str(title(derivation))),
        summary=_summary(derivation),
        comment=_comment(derivation, final, own),
    )


def _names(
    derivation: Derivation, exprs: tuple[sp.Expr, ...]
) -> tuple[dict[sp.Symbol, sp.Symbol], tuple[Parameter, ...]]:
    """Return Python names for the symbols, and the parameters (catalogue defaults kept)."""
    x = derivation.variable
    entry = lookup(derivation.name) if derivation.name else None
    defaults = dict(entry.parameters) if entry is not None else {}
    symbols = set().union(*(e.free_symbols for e in exprs)) - {OUT}
    renamed: dict[sp.Symbol, sp.Symbol] = {}
    used: set[str] = set(TAKEN)
    parameters: list[tuple[sp.Symbol, Parameter]] = []
    for symbol in [x, *sorted(symbols - {x}, key=lambda s: s.name)]:
        name = identifier(symbol.name, frozenset(used))
        used.add(name)
        if name != symbol.name:
            renamed[symbol] = sp.Symbol(name)
        if symbol != x:
            default = defaults.get(symbol)
            literal = None if default is None else repr(float(default))
            parameters.append((symbol, Parameter(name, literal)))
    # A catalogue function's parameters in its own order (alpha before lambda for SELU).
    order = list(defaults)
    parameters.sort(key=lambda pair: order.index(pair[0]) if pair[0] in order else -1)
    return renamed, tuple(parameter for _, parameter in parameters)


def _summary(derivation: Derivation) -> tuple[str, ...]:
    lhs, rhs = result_sides(derivation)
    lines = [f"{inline(lhs)} = {inline(rhs)}"]
    lines += [f"where {inline(named)} = {inline(value)}" for named, value in derivation.definitions]
    proven = tally(derivation)
    lines.append(f"Derived by sigderiv {__version__}; {proven}.")
    return tuple(printable(line) for line in lines)


def _comment(
    derivation: Derivation, final: sp.Expr, own: dict[sp.Expr, sp.Symbol]
) -> tuple[str, ...]:
    x = derivation.variable
    lines = [f"f′({x}) = {inline(final)}"]
    if own:
        value = inline(next(iter(own)))
        lines.append(f"with out = {value}, the forward value: f′ = {inline(final.xreplace(own))}")
    return tuple(printable(line) for line in lines)


def docstring(lines: tuple[str, ...] | list[str], indent: str = "") -> str:
    """Return a triple-quoted docstring of ``lines``; no text can end it early."""
    safe = [line.replace("\\", "\\\\").replace('"', '\\"') for line in lines]
    if len(safe) == 1:
        return f'{indent}"""{safe[0]}"""'
    inner = "\n".join(f"{indent}{line}" if line else "" for line in safe[1:])
    return f'{indent}"""{safe[0]}\n\n{inner}\n{indent}"""'


def comment(lines: tuple[str, ...], indent: str) -> list[str]:
    """Return ``lines`` as Python comments (each already on one line)."""
    return [f"{indent}# {line}" for line in lines]


def irrational_as_floats(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` with each irrational constant (√2, π, e) as a float: torch wants tensors."""
    return expr.replace(
        lambda e: isinstance(e, sp.Expr) and e.is_number and not e.is_Rational and not e.is_Float,
        lambda e: sp.Float(e.evalf(17), 17),
    )


@dataclass(frozen=True)
class Printed:
    """An expression as Python: the assignments of its common parts, then its value."""

    lines: tuple[str, ...]  # ``t0 = numpy.exp(-x)``
    value: str
    imports: frozenset[str]  # modules the lines use: numpy, scipy.special


def body(expr: sp.Expr, printer: Callable[[], Any], taken: set[str]) -> Printed:
    """Return ``expr`` printed by a fresh ``printer()``, its common subexpressions pulled out."""
    names = (sp.Symbol(f"t{i}") for i in range(10**6) if f"t{i}" not in taken)
    common, (reduced,) = sp.cse([expr], symbols=names)
    chosen = printer()
    lines = tuple(f"{symbol} = {chosen.doprint(part)}" for symbol, part in common)
    value = chosen.doprint(reduced)
    imports = frozenset(getattr(chosen, "module_imports", {}))
    return Printed(lines, value, imports)


def tuple_of(names: list[str]) -> str:
    """Return a Python tuple of ``names``: ``(out,)``, ``(x, out)``, ``()``."""
    return f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"


def imports(modules: frozenset[str] | set[str]) -> list[str]:
    """Return the ``import`` lines for ``modules``, sorted, one a line, and two blank lines."""
    return [*(f"import {module}" for module in sorted(modules)), "", ""] if modules else [""]
