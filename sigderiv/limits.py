"""Limits on the expressions sigderiv derives and on the work one derivation may do.

The parser (:mod:`sigderiv.parse`) bounds the *text*: its length, nesting, node count and the
numbers written in it. SymPy then builds the expression, and building can grow it: it merges
``((x+1)^100)^100`` into ``(x+1)^10000`` and multiplies exact numbers out. So the *built*
expression is checked again here, and so is a SymPy expression handed to
:func:`sigderiv.derive` directly, which never went through the parser. Each refusal is a
:class:`~sigderiv.errors.LimitError` whose message names the limit and its value.

The time and memory bounds at the end are the defaults of ``derive``; see
:mod:`sigderiv.bound` for how they are enforced.
"""

from __future__ import annotations

import math

import sympy as sp

from .errors import LimitError

__all__ = [
    "CHECK_TIMEOUT",
    "MAX_EXPONENT",
    "MAX_FUNCTION_ORDER",
    "MAX_INTEGER_DIGITS",
    "MAX_MEMORY",
    "MAX_NAME_LENGTH",
    "MAX_ORDER",
    "MAX_PRECISION",
    "MAX_TIMEOUT",
    "MAX_TREE_DEPTH",
    "MAX_TREE_SIZE",
    "MEMORY",
    "TIMEOUT",
    "check_expression",
    "check_memory",
    "check_node",
    "check_order",
    "check_seconds",
]

#: Most nodes (operators, functions, symbols, numbers) in the built expression.
MAX_TREE_SIZE = 5000
#: Deepest nesting of the built expression (a node inside a node inside ...).
MAX_TREE_DEPTH = 100
#: Largest absolute value of a numeric exponent, after SymPy merged powers of powers.
MAX_EXPONENT = 10000
#: Most decimal digits of any exact number (numerator or denominator) in the expression.
MAX_INTEGER_DIGITS = 4000
#: Most decimal digits of precision of a floating-point number in the expression.
MAX_PRECISION = 1000
#: Highest power of a sum that simplification or a cheap proof multiplies out.
MAX_EXPANDED_POWER = 12
#: The highest order of derivative ``derive`` computes, and of any derivative in an expression.
MAX_ORDER = 8
#: Largest order a special function carries as an argument (polygamma's n, DiracDelta's k,
#: polylog's s): each derivative moves it by one, and evaluating it costs about n steps.
MAX_FUNCTION_ORDER = 100
#: Longest name accepted for the variable or the function, in characters.
MAX_NAME_LENGTH = 100

#: Default wall-clock bound, in seconds, for one whole derivation (parse, derive, checks).
TIMEOUT = 60.0
#: Default wall-clock bound, in seconds, for the slow route of one step's check.
CHECK_TIMEOUT = 10.0
#: Default memory bound, in bytes, that a derivation's worker may allocate: 2 GiB.
MEMORY = 2 * 1024**3
#: Longest time bound accepted, in seconds: one day (the operating system's timers and
#: waits take no more than about 24 days; None, not a huge number, lifts a bound).
MAX_TIMEOUT = 86_400.0
#: Largest memory bound accepted, in bytes: 1 TiB (None lifts the bound).
MAX_MEMORY = 1024**4

_LOG10_2 = math.log10(2)


def _digits(n: int) -> int:
    """Return the number of decimal digits of ``n``, estimated without printing it."""
    return int(abs(n).bit_length() * _LOG10_2) + 1


def _check_number(node: sp.Basic) -> None:
    """Refuse an exact number with too many digits or a float with too much precision."""
    if isinstance(node, sp.Rational):
        digits = max(_digits(int(node.p)), _digits(int(node.q)))
        if digits > MAX_INTEGER_DIGITS:
            raise LimitError(
                f"the expression contains a number with about {digits} digits; the limit is "
                f"MAX_INTEGER_DIGITS = {MAX_INTEGER_DIGITS}"
            )
    elif isinstance(node, sp.Float):
        digits = int(node._prec * _LOG10_2)
        if digits > MAX_PRECISION:
            raise LimitError(
                f"the expression contains a float with {digits} digits of precision; the "
                f"limit is MAX_PRECISION = {MAX_PRECISION}"
            )


def _check_power(node: sp.Pow) -> None:
    """Refuse a numeric exponent beyond MAX_EXPONENT."""
    exponent = node.exp
    if isinstance(exponent, sp.Rational) and abs(exponent) > MAX_EXPONENT:
        shown = str(exponent) if _digits(int(exponent.p)) < 30 else "a huge number"
        raise LimitError(
            f"the expression contains a power with exponent {shown}; the limit is "
            f"MAX_EXPONENT = {MAX_EXPONENT}"
        )


#: Functions whose first (or, for DiracDelta, second) argument is an order, by class name.
_ORDER_ARGUMENT = {"polygamma": 0, "polylog": 0, "DiracDelta": 1}


def _check_orders(node: sp.Basic) -> None:
    """Refuse a derivative beyond MAX_ORDER and a special function's order beyond its limit."""
    if isinstance(node, sp.Derivative):
        for _variable, count in node.variable_count:
            if isinstance(count, sp.Integer) and count > MAX_ORDER:
                shown = str(count) if _digits(int(count)) < 30 else "a huge number"
                raise LimitError(
                    f"the expression contains a derivative of order {shown}; the limit is "
                    f"MAX_ORDER = {MAX_ORDER}"
                )
        return
    where = _ORDER_ARGUMENT.get(type(node).__name__)
    if where is not None and len(node.args) > where:
        order = node.args[where]
        if isinstance(order, sp.Rational) and abs(order) > MAX_FUNCTION_ORDER:
            shown = str(order) if _digits(int(order.p)) < 30 else "a huge number"
            raise LimitError(
                f"the expression contains {type(node).__name__} of order {shown}; the limit is "
                f"MAX_FUNCTION_ORDER = {MAX_FUNCTION_ORDER}"
            )


def check_node(node: sp.Basic) -> None:
    """Raise LimitError if ``node`` itself (a number, power, derivative) is past a limit above."""
    if isinstance(node, sp.Number):
        _check_number(node)
    elif isinstance(node, sp.Pow):
        _check_power(node)
    else:
        _check_orders(node)


def check_expression(expr: sp.Basic) -> None:
    """Raise LimitError if the built expression ``expr`` is beyond one of the limits above.

    The walk is iterative and stops at the first node past MAX_TREE_SIZE, so checking a
    huge expression costs no more than checking one at the limit.
    """
    if not isinstance(expr, sp.Basic):
        raise TypeError(f"expected a SymPy expression, not {type(expr).__name__}")
    stack: list[tuple[sp.Basic, int]] = [(expr, 1)]
    size = 0
    while stack:
        node, depth = stack.pop()
        size += 1
        if size > MAX_TREE_SIZE:
            raise LimitError(
                f"the expression has more than {MAX_TREE_SIZE} nodes; the limit is "
                f"MAX_TREE_SIZE = {MAX_TREE_SIZE}"
            )
        if depth > MAX_TREE_DEPTH:
            raise LimitError(
                f"the expression nests deeper than {MAX_TREE_DEPTH} levels; the limit is "
                f"MAX_TREE_DEPTH = {MAX_TREE_DEPTH}"
            )
        check_node(node)
        stack.extend((arg, depth + 1) for arg in node.args)


def check_order(order: object) -> int:
    """Return ``order`` if it is a whole number from 1 to MAX_ORDER; raise LimitError if not."""
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= MAX_ORDER:
        if isinstance(order, (int, float)) and abs(order) < 1e9:
            shown = repr(order)
        else:
            shown = "a number that large" if isinstance(order, int) else type(order).__name__
        raise LimitError(
            f"the order must be a whole number from 1 to {MAX_ORDER}, not {shown}; the "
            f"limit is MAX_ORDER = {MAX_ORDER}"
        )
    return order


def check_seconds(value: object, label: str) -> float | None:
    """Return the time bound ``value`` (None: unbounded) if it is a positive, finite number of
    seconds up to MAX_TIMEOUT; raise LimitError naming the parameter ``label`` if not."""
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not 0 < value <= MAX_TIMEOUT
    ):
        raise LimitError(
            f"{label}= must be a positive number of seconds up to {MAX_TIMEOUT:g} (or None for "
            f"no bound), not {_shown(value)}; the limit is MAX_TIMEOUT = {MAX_TIMEOUT:g}"
        )
    return float(value)


def check_memory(value: object, label: str = "memory") -> int | None:
    """Return the memory bound ``value`` (None: unbounded) if it is a whole number of bytes
    from 1 to MAX_MEMORY; raise LimitError naming the parameter ``label`` if not."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_MEMORY:
        raise LimitError(
            f"{label}= must be a whole number of bytes from 1 to {MAX_MEMORY} (or None for no "
            f"bound), not {_shown(value)}; the limit is MAX_MEMORY = {MAX_MEMORY}"
        )
    return value


def _shown(value: object) -> str:
    """Return ``value`` as a message shows it: short numbers as written, others by type."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = repr(value)
        return text if len(text) <= 30 else "a number that large"
    return type(value).__name__
