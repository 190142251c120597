"""Turn user text into a SymPy expression through a strict whitelist, never through eval."""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from sigderiv.errors import LimitError, ParseError, SigderivError
from sigderiv.input.shorthand import apply_bare, split_names
from sigderiv.input.tokens import (
    _PLACEHOLDER,
    MAX_DEPTH,
    _check_and_join,
    _lift_function_powers,
    _to_source,
    _Token,
    _tokenize,
)
from sigderiv.input.vocabulary import CONSTANTS, FUNCTIONS, piecewise

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_NUMBER_DIGITS",
    "Reading",
    "parse",
    "read",
]

#: Longest input accepted, in characters.
MAX_LENGTH = 2000
#: Most expression nodes (numbers, names, operators, calls) in one input.
MAX_NODES = 2000
#: Most digits in one number literal (and largest exponent in its ``e`` notation).
MAX_DIGITS = 100
#: Largest absolute value of a numeric exponent.
MAX_EXPONENT = 10000
#: Most decimal digits of any exact number built (Python refuses to print ints over 4300).
MAX_NUMBER_DIGITS = 4000

_BINARY_OPS: dict[type[ast.operator], Callable[[sp.Expr, sp.Expr], sp.Expr]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}

_UNARY_OPS: dict[type[ast.unaryop], Callable[[sp.Expr], sp.Expr]] = {
    ast.USub: lambda a: -a,
    ast.UAdd: lambda a: a,
    ast.Invert: sp.sqrt,  # only ever produced by '√'
}

_COMPARE_OPS: dict[type[ast.cmpop], Callable[[sp.Expr, sp.Expr], sp.Basic]] = {
    ast.Lt: sp.Lt,
    ast.LtE: sp.Le,
    ast.Gt: sp.Gt,
    ast.GtE: sp.Ge,
}

_UNDEFINED: tuple[sp.Basic, ...] = (sp.zoo, sp.nan, sp.oo, -sp.oo)

#: What a comparison outside the conditions of piecewise(...) is told.
_NOT_A_CONDITION = (
    "a comparison is only allowed as a condition of piecewise(...), "
    "as in piecewise(x^2, x < 0, sin(x))"
)


@dataclass(frozen=True)
class Reading:
    """An expression read from text, and the multi-letter words it took as one symbol each."""

    expr: sp.Expr
    one_names: tuple[str, ...] = ()  # such as "xy" when x is not known: one symbol, not x·y


def parse(text: str, known: Iterable[str] = ()) -> sp.Expr:
    """Parse ``text`` into a SymPy expression, or raise ParseError / LimitError.

    ``known`` are the names the problem already has (the variable): a word made of them,
    such as ``xy``, is their product (see :func:`read`).
    """
    return read(text, known).expr


def read(text: str, known: Iterable[str] = ()) -> Reading:
    """Read ``text`` with the shorthands of docs/input.md; raise ParseError / LimitError."""
    if not isinstance(text, str):
        raise TypeError(f"parse() expects a str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise LimitError(
            f"input is {len(text)} characters long; the limit is MAX_LENGTH = {MAX_LENGTH}"
        )
    tokens = _tokenize(text)
    if not tokens:
        raise ParseError("empty input: type an expression such as x^2 + 1", text, 0)
    tokens, one_names = split_names(tokens, known)
    tokens = _lift_function_powers(tokens, text)
    tokens = apply_bare(tokens, text)
    tokens = _check_and_join(tokens, text)
    source, colmap, atoms = _to_source(tokens)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        offset = (exc.offset or 1) - 1
        position = colmap[offset] if 0 <= offset < len(colmap) else len(text)
        raise ParseError("invalid syntax", text, position) from None
    except (RecursionError, MemoryError):
        raise LimitError(
            f"expression is too deeply nested; the limit is MAX_DEPTH = {MAX_DEPTH}"
        ) from None
    nodes = sum(isinstance(node, ast.expr) for node in ast.walk(tree))
    if nodes > MAX_NODES:
        raise LimitError(f"expression has {nodes} nodes; the limit is MAX_NODES = {MAX_NODES}")
    try:
        return Reading(_Builder(text, source, colmap, atoms).build(tree), tuple(one_names))
    except (RecursionError, MemoryError):
        raise LimitError(
            f"expression is too deeply nested; the limit is MAX_DEPTH = {MAX_DEPTH}"
        ) from None


def _number(tok: _Token) -> sp.Rational:
    """Return the exact value of a number token, enforcing MAX_DIGITS."""
    literal = tok.value
    mantissa, _, exponent = literal.lower().partition("e")
    digits = sum(c.isdigit() for c in mantissa)
    if digits > MAX_DIGITS:
        raise LimitError(
            f"number at column {tok.pos} has {digits} digits; the limit is "
            f"MAX_DIGITS = {MAX_DIGITS}"
        )
    if exponent and abs(int(exponent)) > MAX_DIGITS:
        raise LimitError(
            f"number at column {tok.pos} has exponent {int(exponent)}; the limit is "
            f"MAX_DIGITS = {MAX_DIGITS}"
        )
    if exponent or "." in mantissa:
        value = Fraction(literal)
        return sp.Rational(value.numerator, value.denominator)
    return sp.Integer(int(literal))


def _magnitude(value: sp.Rational) -> float:
    """Return log10 of the larger of the numerator's and denominator's absolute values."""
    return max(math.log10(abs(int(value.p)) or 1), math.log10(int(value.q)))


def _digits(value: sp.Rational) -> int:
    """Return how many decimal digits the longer of numerator and denominator has."""
    return math.floor(_magnitude(value)) + 1


def _numeric_magnitude(value: sp.Basic) -> float:
    """Return log10 of the exact-number part of a product such as 3*sqrt(2), else 0."""
    total = 0.0
    for factor in sp.Mul.make_args(value):
        if isinstance(factor, sp.Rational) and factor != 0:
            total += _magnitude(factor)
        elif (
            isinstance(factor, sp.Pow)
            and isinstance(factor.base, sp.Rational)
            and isinstance(factor.exp, sp.Rational)
            and factor.base != 0
        ):
            total += _magnitude(factor.base) * float(abs(factor.exp))
    return total


def _check_numbers(value: sp.Basic, position: int) -> None:
    """Refuse huge exact numbers and roots of long numbers near the top of ``value``."""
    for node in (value, *value.args, *(grand for arg in value.args for grand in arg.args)):
        if isinstance(node, sp.Rational) and _digits(node) > MAX_NUMBER_DIGITS:
            raise LimitError(
                f"a number at column {position} has more than "
                f"MAX_NUMBER_DIGITS = {MAX_NUMBER_DIGITS} digits"
            )
        if (
            isinstance(node, sp.Pow)
            and isinstance(node.base, sp.Rational)
            and isinstance(node.exp, sp.Rational)
            and _digits(node.base) > MAX_DIGITS
        ):
            raise LimitError(
                f"a root at column {position} is of a number with more than "
                f"MAX_DIGITS = {MAX_DIGITS} digits"
            )


def _is_undefined(value: sp.Basic) -> bool:
    """Return whether ``value`` is, or directly contains, zoo, nan or an infinity."""
    return any(value is bad for bad in _UNDEFINED) or any(
        arg is bad for arg in value.args for bad in _UNDEFINED
    )


def _is_condition(value: sp.Basic) -> bool:
    """Return whether ``value`` is a condition (x < 0, true), not a value (a Symbol is both)."""
    return isinstance(value, sp.logic.boolalg.Boolean) and not isinstance(value, sp.Expr)


def _bad_base(base: sp.Expr) -> bool:
    """Return whether ``base`` is a number that no logarithm has: 1, 0, negative or complex."""
    if not base.is_number:
        return False  # a symbolic base (log(x, a)) stays allowed
    return base == 1 or base.is_extended_positive is False


class _Builder:
    """Walk a parsed tree under the whitelist and build the SymPy expression bottom-up."""

    def __init__(self, text: str, source: str, colmap: list[int], atoms: list[_Token]) -> None:
        self.text = text
        self.source = source
        self.colmap = colmap
        self.atoms = atoms

    def error(self, message: str, position: int) -> ParseError:
        """Return a ParseError at ``position`` of the original text."""
        return ParseError(message, self.text, position)

    def column(self, offset: int) -> int:
        """Map a column of the generated source back to the original text."""
        if 0 <= offset < len(self.colmap):
            return self.colmap[offset]
        return len(self.text)

    def position(self, node: ast.AST) -> int:
        """Return the original column that best identifies ``node``."""
        if isinstance(node, ast.BinOp):
            start, stop = node.left.end_col_offset or 0, node.right.col_offset
            for offset in range(start, min(stop, len(self.source))):
                if self.source[offset] not in " ()":
                    return self.column(offset)
        if isinstance(node, ast.Compare):
            start, stop = node.left.end_col_offset or 0, node.comparators[0].col_offset
            for offset in range(start, min(stop, len(self.source))):
                if self.source[offset] not in " ()":
                    return self.column(offset)
        if isinstance(node, ast.Call):
            return self.position(node.func)
        return self.column(getattr(node, "col_offset", 0))

    def atom(self, node: ast.AST) -> _Token:
        """Return the token behind a placeholder name, refusing anything else."""
        match = _PLACEHOLDER.fullmatch(node.id) if isinstance(node, ast.Name) else None
        if match is None or int(match.group(1)) >= len(self.atoms):
            raise self.error("unexpected name", self.position(node))
        return self.atoms[int(match.group(1))]

    def children(self, node: ast.AST) -> list[ast.expr]:
        """Check ``node`` against the whitelist and return the sub-expressions to build first."""
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_OPS:
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY_OPS:
            return [node.operand]
        if isinstance(node, ast.Name):
            return []
        if isinstance(node, ast.Compare) and all(type(op) in _COMPARE_OPS for op in node.ops):
            return [node.left, *node.comparators]
        if isinstance(node, ast.Call):
            if node.keywords:
                raise self.error("keyword arguments are not allowed", self.position(node))
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    raise self.error("starred arguments are not allowed", self.position(arg))
            func = self.atom(node.func)
            if func.kind != "name" or func.value not in FUNCTIONS:
                raise self.error("only named functions can be called", func.pos)
            arities = FUNCTIONS[func.value][1]
            if len(node.args) not in arities:
                wanted = " or ".join(str(a) for a in arities)
                if len(arities) > 3:
                    wanted = f"{arities[0]} to {arities[-1]}"
                plural = "" if arities == (1,) else "s"
                raise self.error(
                    f"{func.value} takes {wanted} argument{plural}, not {len(node.args)}",
                    func.pos,
                )
            return list(node.args)
        raise self.error(f"{type(node).__name__} is not allowed", self.position(node))

    def leaf(self, node: ast.AST) -> sp.Expr:
        """Return the value of a number or name."""
        tok = self.atom(node)
        if tok.kind == "num":
            return _number(tok)
        if tok.value in CONSTANTS:
            return CONSTANTS[tok.value]
        if tok.value in FUNCTIONS:
            raise self.error(f"{tok.value} is a function; write {tok.value}(...)", tok.pos)
        return sp.Symbol(tok.value)

    def check_conditions(self, node: ast.AST, args: list[sp.Expr]) -> None:
        """Refuse a comparison anywhere but as a condition of piecewise, and a value there."""
        kids: list[ast.expr] = self.children(node)
        is_piecewise = isinstance(node, ast.Call) and (
            FUNCTIONS[self.atom(node.func).value][0] is piecewise
        )
        for i, (kid, arg) in enumerate(zip(kids, args, strict=True)):
            condition = is_piecewise and i % 2 == 1 and i < len(args) - (len(args) % 2)
            if condition and not _is_condition(arg):
                raise self.error(
                    "expected a condition here, a comparison such as x < 0 "
                    "(piecewise takes a value, its condition, ..., and an optional last value)",
                    self.column(kid.col_offset),
                )
            if not condition and _is_condition(arg):
                message = _NOT_A_CONDITION
                if is_piecewise:
                    message = (
                        "expected a value here, not a comparison: piecewise takes a value, "
                        "then the condition where it holds"
                    )
                raise self.error(message, self.position(kid))

    def compare(self, node: ast.Compare, args: list[sp.Expr]) -> sp.Basic:
        """Build a comparison; a chain such as 0 < x <= 1 holds where each link holds."""
        for side, arg in zip([node.left, *node.comparators], args, strict=True):
            if arg.is_number and arg.is_extended_real is False:
                raise self.error(
                    "only real values can be compared (in a condition)", self.position(side)
                )
        links = [
            _COMPARE_OPS[type(op)](left, right)
            for op, left, right in zip(node.ops, args[:-1], args[1:], strict=True)
        ]
        return sp.And(*links)

    def combine(self, node: ast.AST, args: list[sp.Expr]) -> sp.Expr:
        """Build the value of ``node`` from its children's values."""
        position = self.position(node)
        self.check_conditions(node, args)
        if isinstance(node, ast.Compare):
            return self.compare(node, args)
        if isinstance(node, ast.BinOp):
            left, right = args
            if isinstance(node.op, ast.Div) and right == 0:
                raise self.error("division by zero", position)
            if isinstance(node.op, ast.Pow):
                self.check_power(left, right, position)
                if left is sp.E:
                    self.check_exponential(right, position)
            return _BINARY_OPS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Invert):
                self.check_power(args[0], sp.Rational(1, 2), position)
            return _UNARY_OPS[type(node.op)](args[0])
        assert isinstance(node, ast.Call)
        function = FUNCTIONS[self.atom(node.func).value][0]
        if function is sp.exp:
            self.check_exponential(args[0], position)
        elif function is sp.sqrt:
            self.check_power(args[0], sp.Rational(1, 2), position)
        elif function is sp.cbrt:
            self.check_power(args[0], sp.Rational(1, 3), position)
        elif function is sp.root and isinstance(args[1], sp.Rational) and args[1] != 0:
            self.check_power(args[0], 1 / args[1], position)
        elif function is sp.log and len(args) == 2 and _bad_base(args[1]):
            raise self.error(
                f"a logarithm's base must be positive and not 1 (here it is {args[1]})",
                self.column(node.args[1].col_offset),
            )
        return function(*args)

    def check_power(self, base: sp.Expr, exponent: sp.Expr, position: int) -> None:
        """Refuse numeric exponents beyond MAX_EXPONENT and exact powers that would be huge."""
        if not isinstance(exponent, sp.Rational):
            return
        if abs(exponent) > MAX_EXPONENT:
            raise LimitError(
                f"exponent {exponent} at column {position} is too large; the limit is "
                f"MAX_EXPONENT = {MAX_EXPONENT}"
            )
        if base == 0 and exponent < 0:
            raise self.error("division by zero (0 to a negative power)", position)
        if _numeric_magnitude(base) * float(abs(exponent)) >= MAX_NUMBER_DIGITS:
            raise LimitError(
                f"the power at column {position} would have more than "
                f"MAX_NUMBER_DIGITS = {MAX_NUMBER_DIGITS} digits"
            )
        if (
            isinstance(base, sp.Rational)
            and not isinstance(exponent, sp.Integer)
            and _digits(base) > MAX_DIGITS
        ):
            raise LimitError(
                f"the root at column {position} is of a number with more than "
                f"MAX_DIGITS = {MAX_DIGITS} digits"
            )

    def check_exponential(self, argument: sp.Expr, position: int) -> None:
        """Refuse exp(c*log(n)) that SymPy would turn into a huge n^c or a costly root of n."""
        for log in argument.atoms(sp.log):
            value = log.args[0]
            if isinstance(value, sp.Rational) and _digits(value) > MAX_DIGITS:
                raise LimitError(
                    f"the exponential at column {position} is of the logarithm of a number "
                    f"with more than MAX_DIGITS = {MAX_DIGITS} digits"
                )
        for term in sp.Add.make_args(argument):
            coefficient, rest = term.as_coeff_Mul()
            if isinstance(rest, sp.log) and isinstance(rest.args[0], sp.Rational):
                size = float(abs(coefficient)) * _magnitude(rest.args[0])
                if size >= MAX_NUMBER_DIGITS:
                    raise LimitError(
                        f"the exponential at column {position} would have more than "
                        f"MAX_NUMBER_DIGITS = {MAX_NUMBER_DIGITS} digits"
                    )

    def build(self, tree: ast.Expression) -> sp.Expr:
        """Return the SymPy expression for ``tree``, walking it without recursion."""
        if not isinstance(tree, ast.Expression):
            raise self.error(f"{type(tree).__name__} is not allowed", 0)
        stack: list[tuple[ast.expr, bool]] = [(tree.body, False)]
        values: list[sp.Expr] = []
        while stack:
            node, ready = stack.pop()
            if not ready:
                kids = self.children(node)
                stack.append((node, True))
                stack.extend((kid, False) for kid in reversed(kids))
                continue
            if isinstance(node, ast.Name):
                values.append(self.leaf(node))
                continue
            if isinstance(node, ast.Call):
                count = len(node.args)
            elif isinstance(node, ast.Compare):
                count = 1 + len(node.comparators)
            else:
                count = 2 if isinstance(node, ast.BinOp) else 1
            args = values[len(values) - count :]
            del values[len(values) - count :]
            position = self.position(node)
            try:
                value = self.combine(node, args)
            except (SigderivError, RecursionError, MemoryError):
                raise
            except Exception as exc:  # SymPy refusing a well-formed input
                raise self.error(f"cannot evaluate this: {exc}", position) from None
            _check_numbers(value, position)
            if _is_undefined(value):
                raise self.error("undefined value here (division by zero or a pole)", position)
            values.append(value)
        (result,) = values
        if _is_condition(result):
            raise self.error(_NOT_A_CONDITION, self.position(tree.body))
        return result
