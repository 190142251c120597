"""Limits on the expressions sigderiv derives and on the work one derivation may do.

The parser (:mod:`sigderiv.input.parse`) bounds the *text*: its length, nesting, node count and the
numbers written in it. SymPy then builds the expression, and building can grow it: it merges
``((x+1)^100)^100`` into ``(x+1)^10000`` and multiplies exact numbers out. So the *built*
expression is checked again here, and so is a SymPy expression handed to
:func:`sigderiv.derive` directly, which never went through the parser. Each refusal is a
:class:`~sigderiv.errors.LimitError` whose message names the limit and its value.

The time and memory bounds at the end are the defaults of ``derive``; see
:mod:`sigderiv.sandbox.bound` for how they are enforced.
"""

from __future__ import annotations

import math

import sympy as sp

from sigderiv.errors import LimitError
from sigderiv.model.bounds import CHECK_TIMEOUT, MAX_MEMORY, MAX_TIMEOUT, MEMORY, TIMEOUT

__all__ = [
    "CHECK_TIMEOUT",
    "MAX_EXPONENT",
    "MAX_FUNCTION_ORDER",
    "MAX_INPUT_BYTES",
    "MAX_INPUT_LINES",
    "MAX_INTEGER_DIGITS",
    "MAX_MEMORY",
    "MAX_NAME_LENGTH",
    "MAX_ORDER",
    "MAX_PRECISION",
    "MAX_RANGE",
    "MAX_TIMEOUT",
    "MAX_TREE_DEPTH",
    "MAX_TREE_SIZE",
    "MEMORY",
    "TIMEOUT",
    "check_expression",
    "check_lines",
    "check_memory",
    "check_node",
    "check_order",
    "check_range",
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
#: Largest absolute value of either end of a plot's range: far past any curve worth drawing,
#: and far enough inside the floating-point range for the plot's own arithmetic (ticks,
#: widths) not to overflow, as it does near 1e308.
MAX_RANGE = 1e100
#: Most bytes ``sigderiv check`` reads from its file or standard input: 1 MiB, far more
#: than MAX_LINES forms of the parser's MAX_LENGTH characters each (an endless or huge
#: file, such as /dev/zero, is refused after reading this much, not read to the end).
MAX_INPUT_BYTES = 1024**2
#: Most lines (blank lines and comments included) one check reads, from a file or from
#: ``check()``'s text or iterable of lines.
MAX_INPUT_LINES = 10_000


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


def _too_big() -> LimitError:
    return LimitError(
        f"the expression has more than {MAX_TREE_SIZE} nodes; the limit is "
        f"MAX_TREE_SIZE = {MAX_TREE_SIZE}"
    )


def _too_deep() -> LimitError:
    return LimitError(
        f"the expression nests deeper than {MAX_TREE_DEPTH} levels; the limit is "
        f"MAX_TREE_DEPTH = {MAX_TREE_DEPTH}"
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

    Size and depth are those of the expression written out as a tree, which is what
    printing it, walking it or differentiating it costs; but they are measured over its
    DAG: each distinct subtree (a SymPy object shared by several parents, as in
    ``e = sin(e) + cos(e)`` repeated) is visited once and its size and height are
    remembered. The walk is iterative (no RecursionError at any depth) and stops at the
    first sign of a limit: a path longer than MAX_TREE_DEPTH, a subtree whose tree size
    passes MAX_TREE_SIZE, or more than MAX_TREE_SIZE arguments looked at in all (each
    distinct subtree's arguments are looked at once, so they are fewer than the tree's
    nodes). So checking any expression costs at most about MAX_TREE_SIZE steps.
    """
    if not isinstance(expr, sp.Basic):
        raise TypeError(f"expected a SymPy expression, not {type(expr).__name__}")
    size: dict[int, int] = {}  # id of a subtree -> its tree size; expr keeps every one alive
    height: dict[int, int] = {}
    stack: list[tuple[sp.Basic, int, bool]] = [(expr, 1, False)]
    looked_at = 0
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        args = node.args
        if children_done:
            size[key] = 1 + sum(size[id(a)] for a in args)
            height[key] = 1 + max((height[id(a)] for a in args), default=0)
            if size[key] > MAX_TREE_SIZE:
                raise _too_big()
            if height[key] > MAX_TREE_DEPTH:
                raise _too_deep()
            continue
        if key in size:
            continue  # a shared subtree, measured already
        if depth > MAX_TREE_DEPTH:
            raise _too_deep()
        looked_at += len(args)
        if looked_at >= MAX_TREE_SIZE:
            raise _too_big()
        check_node(node)
        stack.append((node, depth, True))
        stack.extend((arg, depth + 1, False) for arg in args)


def check_order(order: object) -> int:
    """Return ``order`` if it is a whole number from 1 to MAX_ORDER; raise LimitError if not."""
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= MAX_ORDER:
        if isinstance(order, (int, float)) and abs(order) < 1e9:
            shown = repr(order)
        else:
            shown = "a number that large" if isinstance(order, int) else type(order).__name__
        raise LimitError(
            f"order= must be a whole number from 1 to {MAX_ORDER}, not {shown}; the "
            f"limit is MAX_ORDER = {MAX_ORDER}"
        )
    return order


def check_lines(count: int, what: str) -> None:
    """Raise LimitError if ``count`` lines of ``what`` are more than MAX_INPUT_LINES."""
    if count > MAX_INPUT_LINES:
        raise LimitError(
            f"{what} has more than {MAX_INPUT_LINES} lines; the limit is "
            f"MAX_INPUT_LINES = {MAX_INPUT_LINES}"
        )


def check_range(low: float, high: float, label: str = "the range") -> tuple[float, float]:
    """Return the plot range ``(low, high)`` if both ends are finite numbers within
    MAX_RANGE and low < high; raise LimitError naming it ``label`` if not."""
    if not (math.isfinite(low) and math.isfinite(high)) or max(abs(low), abs(high)) > MAX_RANGE:
        raise LimitError(
            f"{label} must be two finite numbers from -{MAX_RANGE:g} to {MAX_RANGE:g}, not "
            f"{low:g} {high:g}; the limit is MAX_RANGE = {MAX_RANGE:g}"
        )
    if not low < high:
        raise LimitError(f"{label} needs low < high, not {low:g} {high:g}")
    return float(low), float(high)


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
