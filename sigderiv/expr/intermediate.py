"""Named intermediate quantities (z = w·x + b, a = σ(z)): printed as a name, meaning a value."""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.symbol import Str


class Named(sp.Symbol):
    """An intermediate quantity's name as the printers see it: ∂L/∂a puts it over the line."""


class Intermediate(sp.Expr):
    """A layer's value under its name, ``Intermediate(Str("z"), w*x + b)``.

    It prints as the name and means the value, which travels inside (as a Defined function's
    definition does), so a step that uses it is an identity of its own. SymPy differentiates
    with respect to it as with respect to a symbol (∂L/∂a holds every other thing fixed);
    differentiating it with respect to a variable differentiates its value.
    """

    is_commutative = True
    _diff_wrt = True

    def __new__(cls, name: str | Str, value: sp.Expr) -> Intermediate:
        """Return the quantity ``name`` standing for ``value``."""
        return sp.Expr.__new__(cls, Str(name) if isinstance(name, str) else name, value)

    @property
    def name(self) -> str:
        """The quantity's name: ``z``."""
        return str(self.args[0].name)

    @property
    def value(self) -> sp.Expr:
        """The expression the name stands for: ``w*x + b``."""
        return self.args[1]

    @property
    def free_symbols(self) -> set[sp.Basic]:
        """The value's free symbols; the name is not one."""
        return set(self.args[1].free_symbols)

    @property
    def symbol(self) -> sp.Symbol:
        """The plain symbol of the same name, for working in the quantity as a variable."""
        return sp.Symbol(self.name)

    def _eval_derivative(self, s: sp.Basic) -> sp.Expr:
        return sp.diff(self.value, s)

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        value = self.value.evalf(prec)
        return value if value.is_number else None

    def _sympystr(self, printer: Any) -> str:
        return str(printer._print(Named(self.name)))

    def _pretty(self, printer: Any) -> Any:
        return printer._print(Named(self.name))

    def _latex(self, printer: Any, exp: Any = None) -> str:
        shown = printer._print(Named(self.name))
        return f"{shown}^{{{exp}}}" if exp is not None else str(shown)

    def _mathml(self, printer: Any) -> Any:
        return printer._print(Named(self.name))


def direct(expr: sp.Basic) -> set[Intermediate]:
    """The quantities ``expr`` holds directly, not those inside another quantity's value."""
    found: set[Intermediate] = set()
    stack: list[sp.Basic] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Intermediate):
            found.add(node)
        else:
            stack.extend(node.args)
    return found


def under_names(expr: sp.Expr, quantities: dict[sp.Expr, Intermediate]) -> sp.Expr:
    """Return ``expr`` with each value in ``quantities`` replaced by its name.

    Like ``xreplace``, but never inside a quantity: z = w·x + b keeps its value.
    """
    if expr in quantities:
        return quantities[expr]
    if isinstance(expr, Intermediate) or not expr.args:
        return expr
    args = [under_names(a, quantities) for a in expr.args]
    return expr if all(a is b for a, b in zip(args, expr.args, strict=False)) else expr.func(*args)


def _differentiated(derivative: sp.Derivative) -> sp.Expr:
    """Take d/dq of an expression in the quantity q, holding q's value as an independent one."""
    return derivative.doit(deep=False)


def unnamed(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` with every intermediate quantity replaced by its value, recursively.

    A derivative with respect to a quantity (∂L/∂a) is taken first, while the quantity is
    still a variable of its own; then the names are written out.
    """
    if not expr.has(Intermediate):
        return expr
    expr = expr.replace(
        lambda e: (
            isinstance(e, sp.Derivative) and any(isinstance(v, Intermediate) for v in e.variables)
        ),
        _differentiated,
    )
    for _ in range(20):  # a quantity's value may hold earlier ones: z inside a = σ(z)
        if not expr.has(Intermediate):
            break
        expr = expr.replace(lambda e: isinstance(e, Intermediate), lambda e: e.value)
    return expr
