"""Equations in derive's input: an implicit curve ``F = G``, a parametric ``x = X(t), y = Y(t)``."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from sigderiv.errors import ParseError, UnsupportedError
from sigderiv.input.limits import check_expression
from sigderiv.input.parse import parse

_OPEN, _CLOSE = "([{", ")]}"

#: What derive() takes: text, an expression, an implicit curve Eq(F, G) or a parametric pair.
Given = str | sp.Expr | sp.Equality | tuple[sp.Equality, sp.Equality]

#: The dependent letter of an implicit curve: dy/dx is derived with y = y(x).
DEPENDENT = "y"


@dataclass(frozen=True)
class Curve:
    """An implicit curve ``lhs = rhs`` in the variable and the dependent letter y."""

    lhs: sp.Expr
    rhs: sp.Expr
    dependent: sp.Symbol


@dataclass(frozen=True)
class Parametric:
    """A parametric curve: ``names[0] = values[0], names[1] = values[1]`` in the parameter."""

    names: tuple[sp.Symbol, sp.Symbol]
    values: tuple[sp.Expr, sp.Expr]


def top_level(text: str, mark: str) -> list[tuple[str, int]]:
    """Split ``text`` at each ``mark`` outside brackets; return (part, column) pairs.

    For ``=``, the marks of ``==``, ``<=``, ``>=`` and ``!=`` are left to the parser.
    """
    cuts: list[int] = []
    depth = 0
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
        elif char == mark and depth == 0:
            if mark == "=" and (
                "=" in text[i - 1 : i] + text[i + 1 : i + 2] or text[i - 1 : i] in ("<", ">", "!")
            ):
                continue
            cuts.append(i)
    bounds = [-1, *cuts, len(text)]
    return [(text[a + 1 : b], a + 1) for a, b in itertools.pairwise(bounds)]


def _side(text: str, part: str, column: int, known: tuple[str, ...]) -> sp.Expr:
    """Parse one side of an equation; an empty side is a ParseError at its column."""
    if not part.strip():
        raise ParseError("an expression is missing around '='", text, column)
    try:
        return parse(part, known)
    except ParseError as exc:
        position = None if exc.position is None else exc.position + column
        raise ParseError(exc.message, text, position) from None


def read_equations(text: str, var: sp.Symbol) -> Curve | Parametric | None:
    """Read ``text`` as a curve or a parametric pair; None when it has no top-level ``=``.

    Raises ParseError for more than one ``=`` in an equation, and UnsupportedError for an
    equation that defines no dy/dx: no y in it, or one component of a parametric curve.
    """
    parts = top_level(text, ",")
    if len(parts) > 1 and any(len(top_level(p, "=")) > 1 for p, _ in parts):
        return _parametric(text, parts, var)
    equals = top_level(text, "=")
    if len(equals) == 1:
        return None
    if len(equals) > 2:
        raise ParseError(
            "an equation has one '=': write one curve such as x^2 + y^2 = 1", text, equals[2][1] - 1
        )
    if var.name == DEPENDENT:
        raise UnsupportedError(
            "an implicit curve is differentiated in x (--var x): y is the dependent variable"
        )
    known = (var.name, DEPENDENT)
    (left, at_left), (right, at_right) = equals
    lhs, rhs = _side(text, left, at_left, known), _side(text, right, at_right, known)
    return _curve(lhs, rhs, var, right.strip())


def curve_of(given: object, var: sp.Symbol) -> Curve | Parametric | None:
    """Read a SymPy ``Eq(lhs, rhs)`` as a curve, a pair of them as a parametric curve.

    None for anything else (an expression to differentiate); the same errors as
    :func:`read_equations`.
    """
    if isinstance(given, sp.Equality | tuple | list):
        given = _named(given, var)
    if isinstance(given, sp.Equality):
        if var.name == DEPENDENT:
            raise UnsupportedError(
                "an implicit curve is differentiated in x (var='x'): y is the dependent variable"
            )
        return _curve(given.lhs, given.rhs, var, str(given.rhs))
    if isinstance(given, tuple | list) and any(isinstance(g, sp.Equality) for g in given):
        if len(given) != 2 or not all(isinstance(g, sp.Equality) for g in given):
            raise UnsupportedError(
                "a parametric curve is two equations, (Eq(x, cos(t)), Eq(y, sin(t))); "
                f"this has {len(given)} items"
            )
        names, values = zip(*((g.lhs, g.rhs) for g in given), strict=True)
        if not all(isinstance(n, sp.Symbol) for n in names):
            raise ParseError("a component is named by one letter: Eq(x, cos(t))")
        return _components(tuple(names), tuple(values), var)
    return None


def _named(given: sp.Equality | tuple | list, var: sp.Symbol) -> sp.Basic | tuple:
    """``given`` within the limits, its symbols named like ``var`` replaced by ``var``."""
    equations = given if isinstance(given, tuple | list) else (given,)
    swapped = []
    for equation in equations:
        if isinstance(equation, sp.Basic):
            check_expression(equation)
            same = {s: var for s in equation.free_symbols if getattr(s, "name", None) == var.name}
            equation = equation.xreplace(same)
        swapped.append(equation)
    return tuple(swapped) if isinstance(given, tuple | list) else swapped[0]


def _curve(lhs: sp.Expr, rhs: sp.Expr, var: sp.Symbol, right: str) -> Curve:
    """The curve ``lhs = rhs``; UnsupportedError when it has no y (``right`` is rhs's text)."""
    found = [
        s for s in (lhs - rhs).free_symbols if isinstance(s, sp.Symbol) and s.name == DEPENDENT
    ]
    if not found and isinstance(lhs, sp.Symbol) and lhs != var and rhs.has(var):
        raise UnsupportedError(
            f"{lhs} = {right} is one component of a parametric curve: give both, "
            f"separated by a comma ({lhs} = cos(t), y = sin(t))"
        )
    if not found:
        raise UnsupportedError(
            f"the equation has no {DEPENDENT}: an implicit curve is an equation in "
            f"{var.name} and {DEPENDENT} (x^2 + y^2 = 1); a parametric curve has two "
            f"components (x = cos(t), y = sin(t))"
        )
    return Curve(lhs, rhs, found[0])


def _parametric(text: str, parts: list[tuple[str, int]], var: sp.Symbol) -> Parametric:
    """Read ``x = X(t), y = Y(t)``: two components, each a letter equal to an expression."""
    if len(parts) != 2:
        raise UnsupportedError(
            f"a parametric curve has two components (x = cos(t), y = sin(t)), not {len(parts)}"
        )
    names: list[sp.Symbol] = []
    values: list[sp.Expr] = []
    for part, column in parts:
        equals = top_level(part, "=")
        if len(equals) != 2:
            raise ParseError(
                "each component of a parametric curve is one 'letter = expression'", text, column
            )
        (left, at_left), (right, at_right) = equals
        name = _side(text, left, column + at_left, (var.name,))
        if isinstance(name, sp.Symbol) and name.name == var.name:
            raise UnsupportedError(
                f"a parametric curve is derived in its parameter (var='t'), "
                f"not in {var.name}, which names a component"
            )
        if not isinstance(name, sp.Symbol):
            raise ParseError(
                "a component is named by one letter: x = cos(t)",
                text,
                column + at_left,
            )
        names.append(name)
        values.append(_side(text, right, column + at_right, (var.name,)))
    if names[0] == names[1]:
        raise ParseError(f"the two components are both named {names[0]}", text, parts[1][1])
    return _components((names[0], names[1]), (values[0], values[1]), var)


def _components(
    names: tuple[sp.Symbol, ...], values: tuple[sp.Expr, ...], var: sp.Symbol
) -> Parametric:
    """The parametric curve ``names = values``, each value a function of ``var`` alone."""
    if names[0] == names[1]:
        raise ParseError(f"the two components are both named {names[0]}")
    if any(n.name == var.name for n in names):
        raise UnsupportedError(
            f"a parametric curve is derived in its parameter (var='t'), "
            f"not in {var.name}, which names a component"
        )
    for value in values:
        if value.free_symbols & set(names):
            raise UnsupportedError(
                f"each component is a function of {var.name} alone: "
                f"{', '.join(map(str, names))} cannot appear on the right"
            )
    if not any(value.has(var) for value in values):
        raise UnsupportedError(f"neither component depends on {var.name}: nothing to derive")
    return Parametric((names[0], names[1]), (values[0], values[1]))
