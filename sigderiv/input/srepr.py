"""SymPy ``srepr`` text, written in the order built and read back by a whitelist, never eval.

``dumps(expr)`` writes ``srepr`` with ``order="none"`` so an unevaluated sum or product keeps
its terms in the order they were built. ``loads(text)`` reads such text through Python's
``ast`` and rebuilds the tree from a whitelist of SymPy classes, with ``evaluate=False``
wherever SymPy would otherwise re-normalise, so the displayed form survives the round trip.
Anything else (attributes, subscripts, names or calls outside the whitelist, keyword
arguments other than the few listed, an argument of the wrong kind such as a Tuple or a
relation where a term belongs) is refused with a :class:`~sigderiv.errors.ParseError`.

The reader applies the limits of :mod:`sigderiv.limits` while it reads, node by node, before
anything is built on a node past them: digits and precision of numbers, exponents (also an
exponent written as an unevaluated ``Pow(10, 9)``: exact numbers are followed through sums,
products and powers as the parser computes them), orders of derivatives and of special
functions, and the length, node count and nesting of the text. Past one: LimitError.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable

import sympy as sp
import sympy.functions.elementary.complexes
import sympy.functions.elementary.exponential
import sympy.functions.elementary.hyperbolic
import sympy.functions.elementary.integers
import sympy.functions.elementary.miscellaneous
import sympy.functions.elementary.piecewise
import sympy.functions.elementary.trigonometric
import sympy.functions.special.delta_functions
import sympy.functions.special.error_functions
import sympy.functions.special.gamma_functions
import sympy.functions.special.zeta_functions
from sympy.core.assumptions import _assume_defined
from sympy.core.symbol import Str
from sympy.functions.elementary.piecewise import ExprCondPair
from sympy.logic.boolalg import Boolean

from sigderiv.errors import LimitError, ParseError
from sigderiv.expr import functions
from sigderiv.expr.build import Paren
from sigderiv.expr.functions import Defined, NamedFunction
from sigderiv.expr.intermediate import Intermediate
from sigderiv.input.limits import MAX_EXPONENT, MAX_INTEGER_DIGITS, MAX_PRECISION, check_node

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "MAX_LENGTH", "MAX_NODES", "dumps", "loads"]

#: Longest srepr text accepted, in characters.
MAX_LENGTH = 1_000_000
#: Most syntax nodes in one text.
MAX_NODES = 200_000
#: Deepest nesting of calls.
MAX_DEPTH = 200
#: Most digits in one integer argument.
MAX_DIGITS = 4000


def _function_classes(*namespaces: object) -> dict[str, type[sp.Function]]:
    """The SymPy Function classes defined in the given modules (not those they import)."""
    return {
        name: cls
        for namespace in namespaces
        for name, cls in vars(namespace).items()
        if isinstance(cls, type)
        and issubclass(cls, sp.Function)
        and cls.__module__ == namespace.__name__  # type: ignore[attr-defined]
        and not name.startswith("_")
    }


#: SymPy's elementary and special functions (exp, log, sin, ..., Piecewise, erf, gamma, ...),
#: by the name srepr writes; each is rebuilt with ``evaluate=False``. Combinatorial and
#: number-theory functions are left out: the engine never emits them.
_SYMPY_FUNCTIONS: dict[str, type[sp.Function]] = _function_classes(
    sympy.functions.elementary.complexes,
    sympy.functions.elementary.exponential,
    sympy.functions.elementary.hyperbolic,
    sympy.functions.elementary.integers,
    sympy.functions.elementary.miscellaneous,
    sympy.functions.elementary.piecewise,
    sympy.functions.elementary.trigonometric,
    sympy.functions.special.error_functions,
    sympy.functions.special.gamma_functions,
    sympy.functions.special.zeta_functions,
    sympy.functions.special.delta_functions,
)

#: Relations and logic (the conditions of a Piecewise), Max and Min; rebuilt unevaluated.
_LOGIC: dict[str, type[sp.Basic]] = {
    cls.__name__: cls
    for cls in (
        sp.Equality,
        sp.Unequality,
        sp.StrictGreaterThan,
        sp.GreaterThan,
        sp.StrictLessThan,
        sp.LessThan,
        sp.And,
        sp.Or,
        sp.Not,
        sp.Max,
        sp.Min,
    )
}

#: Names srepr writes bare for SymPy's singletons. Not ``nan`` and ``zoo``: undefined values
#: are no part of a derivation (the parser refuses them too), and no renderer shows them.
_CONSTANTS: dict[str, sp.Expr] = {
    "E": sp.E,
    "pi": sp.pi,
    "I": sp.I,
    "oo": sp.oo,
    "EulerGamma": sp.EulerGamma,
    "GoldenRatio": sp.GoldenRatio,
    "Catalan": sp.Catalan,
    "true": sp.true,
    "false": sp.false,
}

_IDENTIFIER = re.compile(r"[^\W\d]\w{0,99}['′]*")
_FLOAT_TEXT = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e([+-]?\d+))?|[+-]?inf", re.ASCII)
#: Most bits of precision of a Float: MAX_PRECISION decimal digits.
_MAX_BITS = math.ceil(MAX_PRECISION / math.log10(2))
_LOG10_2 = math.log10(2)

#: Logic whose arguments are conditions; every other class read here but Piecewise, Tuple,
#: Lambda, Subs, Derivative and Defined (each checked by its builder) takes terms only.
_CONDITIONS = frozenset({"And", "Or", "Not"})


def dumps(expr: sp.Basic) -> str:
    """Return ``srepr(expr)`` with sums and products in the order they were built."""
    return sp.srepr(expr, order="none")


def _own_functions() -> dict[str, type[sp.Function]]:
    """Every function class of sigderiv (σ, named definitions, ...), by class name."""
    found: dict[str, type[sp.Function]] = {
        name: cls
        for name, cls in vars(functions).items()
        if isinstance(cls, type)
        and issubclass(cls, sp.Function)
        and cls.__module__ == functions.__name__
    }
    pending: list[type[sp.Function]] = list(NamedFunction.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.__module__.split(".")[0] == "sigderiv":
            found[cls.__name__] = cls
        pending.extend(cls.__subclasses__())
    return found


def _is_term(obj: sp.Basic) -> bool:
    """True for an expression that can stand as a term: not a Lambda, Tuple, Str or relation."""
    return isinstance(obj, sp.Expr) and not isinstance(obj, sp.Lambda)


def _kind(obj: sp.Basic) -> str:
    """Name the kind of ``obj`` in a message."""
    return type(obj).__name__


def _digits(value: sp.Rational) -> int:
    """Decimal digits of the longer of numerator and denominator, estimated from bits."""
    return int(max(abs(int(value.p)), int(value.q)).bit_length() * _LOG10_2) + 1


def _magnitude(value: sp.Rational) -> float:
    """log10 of the larger of the numerator's and denominator's absolute values (the parser's)."""
    return max(math.log10(abs(int(value.p)) or 1), math.log10(int(value.q)))


def _defined_shape(args: list[sp.Basic]) -> bool:
    """True for Defined's arguments: a Str name, a Lambda of one variable, a term, a Lambda."""
    lambdas = [args[1], *args[3:]] if len(args) >= 3 else []
    return (
        len(args) in (3, 4)
        and isinstance(args[0], Str)
        and _is_term(args[2])
        and all(isinstance(f, sp.Lambda) and len(f.variables) == 1 for f in lambdas)
    )


def _name(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else "?"


class _Reader:
    """Rebuilds one srepr tree from its ``ast``, refusing anything off the whitelist."""

    def __init__(self, text: str) -> None:
        self.text = text
        #: Exact values of the number-only subtrees read so far, as the parser would compute.
        self.exact: dict[sp.Basic, sp.Rational] = {}
        known = {**_SYMPY_FUNCTIONS, **_own_functions()}
        self.builders: dict[str, Callable[[ast.Call, int], sp.Basic]] = {
            "Symbol": self._symbol,
            "Dummy": self._symbol,
            "Str": self._str,
            "Lambda": self._lambda,
            "Subs": self._subs,
            "ExprCondPair": self._pair,
            **{name: self._logic(cls) for name, cls in _LOGIC.items()},
            "Integer": self._integer,
            "Rational": self._rational,
            "Float": self._float,
            "Add": self._operator(sp.Add),
            "Mul": self._operator(sp.Mul),
            "Pow": self._operator(sp.Pow, arity=2),
            "Derivative": self._derivative,
            "Intermediate": self._intermediate,
            "Tuple": self._tuple,
            "UnevaluatedExpr": self._wrapper(sp.UnevaluatedExpr),
            "Paren": self._wrapper(Paren),
            **{name: self._function(cls) for name, cls in known.items()},
        }

    def fail(self, node: ast.AST, message: str) -> ParseError:
        """Return a ParseError for ``node``, pointing at its column."""
        column = getattr(node, "col_offset", None)
        return ParseError(f"srepr: {message}", self.text, column)

    def read(self, node: ast.AST, depth: int = 0) -> sp.Basic:
        """Return the SymPy object that ``node`` stands for."""
        if depth > MAX_DEPTH:
            raise LimitError(f"srepr: nested deeper than {MAX_DEPTH} calls")
        if isinstance(node, ast.Name):
            if node.id in _CONSTANTS:
                return _CONSTANTS[node.id]
            raise self.fail(node, f"unknown name {node.id!r}")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            if isinstance(node.operand, ast.Name) and node.operand.id == "oo":
                return sp.S.NegativeInfinity
            raise self.fail(node, "a minus sign is allowed only in integers and -oo")
        if not isinstance(node, ast.Call):
            raise self.fail(node, f"expected a SymPy constructor, found {type(node).__name__}")
        if (
            isinstance(node.func, ast.Call)
            and isinstance(node.func.func, ast.Name)
            and node.func.func.id == "Function"
        ):
            return self._applied_undefined(node, depth + 1)
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only plain constructor names may be called")
        builder = self.builders.get(node.func.id)
        if builder is None:
            raise self.fail(node, f"{node.func.id!r} is not a class sigderiv reads back")
        return self.checked(node, builder(node, depth + 1))

    # ---- limits and kinds, node by node ------------------------------------------------------

    def checked(self, node: ast.Call, built: sp.Basic) -> sp.Basic:
        """Return ``built`` once it is within the limits, its exact value (if any) followed."""
        check_node(built)
        if isinstance(built, sp.Pow):
            self.check_power(built)
        self.follow_exact(built)
        return built

    def check_power(self, built: sp.Pow) -> None:
        """Refuse a power whose exponent, or whose exact value, is past the parser's limits."""
        exponent = self.exact.get(built.exp)
        if exponent is None:
            return
        if abs(exponent) > MAX_EXPONENT:
            raise LimitError(
                "srepr: a power's exponent is a number past the limit MAX_EXPONENT = "
                f"{MAX_EXPONENT}"
            )
        base = self.exact.get(built.base)
        if (
            base is not None
            and base != 0
            and _magnitude(base) * abs(exponent) >= MAX_INTEGER_DIGITS
        ):
            raise LimitError(
                "srepr: a power would have more than MAX_INTEGER_DIGITS = "
                f"{MAX_INTEGER_DIGITS} digits"
            )

    def follow_exact(self, built: sp.Basic) -> None:
        """Remember the exact value of a number written as sums, products and powers."""
        if isinstance(built, sp.Rational):
            self.exact[built] = built
            return
        if not isinstance(built, (sp.Add, sp.Mul, sp.Pow, sp.UnevaluatedExpr, Paren)):
            return
        found = [self.exact.get(arg) for arg in built.args]
        values = [v for v in found if v is not None]
        if len(values) < len(found):
            return
        if isinstance(built, sp.Pow):
            base, exponent = values
            if not isinstance(exponent, sp.Integer) or (base == 0 and exponent < 0):
                return
        elif sum(_digits(v) for v in values) > 2 * MAX_INTEGER_DIGITS:
            raise LimitError(
                f"srepr: a number of more than MAX_INTEGER_DIGITS = {MAX_INTEGER_DIGITS} digits"
            )
        if isinstance(built, sp.Add):
            value = sp.Add(*values)
        elif isinstance(built, sp.Mul):
            value = sp.Mul(*values)
        elif isinstance(built, sp.Pow):
            value = values[0] ** values[1]
        else:
            value = values[0]
        check_node(value)
        self.exact[built] = value

    # ---- arguments ----------------------------------------------------------------------------

    def args(self, node: ast.Call, depth: int) -> list[sp.Basic]:
        """Return the positional arguments of ``node`` as SymPy objects; no keywords."""
        if node.keywords:
            raise self.fail(node, f"{_name(node)} takes no keyword arguments")
        return [self.read(arg, depth) for arg in node.args]

    def terms(self, node: ast.Call, depth: int) -> list[sp.Basic]:
        """Return the arguments of ``node``, refused unless each is a term (see _is_term)."""
        args = self.args(node, depth)
        for arg in args:
            if not _is_term(arg):
                raise self.fail(node, f"{_name(node)} of a {_kind(arg)}: a term belongs there")
        return args

    def conditions(self, node: ast.Call, depth: int) -> list[sp.Basic]:
        """Return the arguments of ``node``, refused unless each is a condition."""
        args = self.args(node, depth)
        for arg in args:
            if not isinstance(arg, Boolean):
                raise self.fail(node, f"{_name(node)} of a {_kind(arg)}: a condition belongs there")
        return args

    def integer(self, node: ast.AST) -> int:
        """Return the Python int that ``node`` (``7`` or ``-7``) spells."""
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            sign, node = -1, node.operand
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return sign * node.value
        raise self.fail(node, "expected an integer")

    def string(self, node: ast.AST, what: str) -> str:
        """Return the str constant ``node``."""
        if isinstance(node, ast.Constant) and type(node.value) is str:
            return node.value
        raise self.fail(node, f"expected {what} as a string")

    def identifier(self, node: ast.AST, what: str) -> str:
        """Return the str constant ``node`` when it is a name: letters, digits, _ and '."""
        text = self.string(node, what)
        if not _IDENTIFIER.fullmatch(text):
            raise self.fail(node, f"{what} must be a name, not {text[:40]!r}")
        return text

    def exactly(self, node: ast.Call, count: int) -> None:
        """Refuse ``node`` unless it has ``count`` positional arguments."""
        if len(node.args) != count:
            raise self.fail(node, f"{_name(node)} takes {count} argument(s), not {len(node.args)}")

    # ---- builders -----------------------------------------------------------------------------

    def _symbol(self, node: ast.Call, depth: int) -> sp.Basic:
        self.exactly(node, 1)
        name = self.identifier(node.args[0], "a symbol name")
        dummy = _name(node) == "Dummy"
        assumptions: dict[str, bool] = {}
        index: int | None = None
        for keyword in node.keywords:
            value = keyword.value
            if dummy and keyword.arg == "dummy_index":
                index = self.integer(value)
            elif (
                keyword.arg is not None
                and keyword.arg in _assume_defined
                and (isinstance(value, ast.Constant) and type(value.value) is bool)
            ):
                assumptions[keyword.arg] = value.value
            else:
                raise self.fail(node, f"unknown symbol assumption {keyword.arg!r}")
        if dummy:
            return sp.Dummy(name, dummy_index=index, **assumptions)
        return sp.Symbol(name, **assumptions)

    def _str(self, node: ast.Call, depth: int) -> sp.Basic:
        self.exactly(node, 1)
        if node.keywords:
            raise self.fail(node, "Str takes no keyword arguments")
        return Str(self.identifier(node.args[0], "a name"))

    def _lambda(self, node: ast.Call, depth: int) -> sp.Basic:
        self.exactly(node, 2)
        signature, body = self.args(node, depth)
        if not (isinstance(signature, sp.Tuple) and all(v.is_Symbol for v in signature)):
            raise self.fail(node, "a Lambda's variables must be a Tuple of symbols")
        if not _is_term(body):
            raise self.fail(node, f"a Lambda of a {_kind(body)}")
        return sp.Lambda(signature, body)

    def _subs(self, node: ast.Call, depth: int) -> sp.Basic:
        self.exactly(node, 3)
        expr, variables, points = self.args(node, depth)
        if not (
            isinstance(variables, sp.Tuple)
            and isinstance(points, sp.Tuple)
            and len(variables) == len(points)
            and all(v.is_Symbol for v in variables)
            and _is_term(expr)
            and all(_is_term(p) for p in points)
        ):
            raise self.fail(node, "Subs needs a term, a Tuple of symbols and a Tuple of points")
        return sp.Subs(expr, variables, points)

    def _pair(self, node: ast.Call, depth: int) -> sp.Basic:
        self.exactly(node, 2)
        expr, condition = self.args(node, depth)
        if not (_is_term(expr) and isinstance(condition, Boolean)):
            raise self.fail(node, "ExprCondPair needs a term and a condition")
        return ExprCondPair(expr, condition)

    def _logic(self, cls: type[sp.Basic]) -> Callable[[ast.Call, int], sp.Basic]:
        def build(node: ast.Call, depth: int) -> sp.Basic:
            read = self.conditions if cls.__name__ in _CONDITIONS else self.terms
            args = read(node, depth)
            if not args:
                raise self.fail(node, f"{cls.__name__} needs arguments")
            return cls(*args, evaluate=False)

        return build

    def _applied_undefined(self, node: ast.Call, depth: int) -> sp.Basic:
        """``Function('f')(x)``: an undefined function, named by an identifier, applied."""
        callee = node.func
        assert isinstance(callee, ast.Call)
        if callee.keywords or len(callee.args) != 1:
            raise self.fail(node, "Function takes just a name")
        name = self.identifier(callee.args[0], "a function name")
        return sp.Function(name)(*self.terms(node, depth))

    def _integer(self, node: ast.Call, depth: int) -> sp.Basic:
        self.exactly(node, 1)
        if node.keywords:
            raise self.fail(node, "Integer takes no keyword arguments")
        return sp.Integer(self.integer(node.args[0]))

    def _rational(self, node: ast.Call, depth: int) -> sp.Basic:
        self.exactly(node, 2)
        if node.keywords:
            raise self.fail(node, "Rational takes no keyword arguments")
        p, q = (self.integer(arg) for arg in node.args)
        if q == 0:
            raise self.fail(node, "a rational with denominator 0")
        return sp.Rational(p, q)

    def _float(self, node: ast.Call, depth: int) -> sp.Basic:
        self.exactly(node, 1)
        text = self.string(node.args[0], "a number")
        match = _FLOAT_TEXT.fullmatch(text) if len(text) <= MAX_DIGITS else None
        if match is None:
            raise self.fail(node, f"not a number: {text[:40]!r}")
        if match.group(1) is not None and abs(int(match.group(1))) > MAX_EXPONENT:
            raise LimitError(
                f"srepr: a Float's exponent is past the limit MAX_EXPONENT = {MAX_EXPONENT}"
            )
        precision: int | None = None
        for keyword in node.keywords:
            if keyword.arg != "precision":
                raise self.fail(node, f"Float takes no keyword {keyword.arg!r}")
            precision = self.integer(keyword.value)
            if not 1 <= precision <= _MAX_BITS:
                raise self.fail(node, f"a Float precision must be 1 to {_MAX_BITS} bits")
        return sp.Float(text, precision=precision) if precision else sp.Float(text)

    def _operator(
        self, cls: type[sp.Basic], arity: int | None = None
    ) -> Callable[[ast.Call, int], sp.Basic]:
        def build(node: ast.Call, depth: int) -> sp.Basic:
            if arity is not None:
                self.exactly(node, arity)
            elif not node.args:
                raise self.fail(node, f"{cls.__name__} needs arguments")
            return cls(*self.terms(node, depth), evaluate=False)

        return build

    def _derivative(self, node: ast.Call, depth: int) -> sp.Basic:
        if len(node.args) < 2:
            raise self.fail(node, "Derivative needs an expression and a variable")
        expr, *counts = self.args(node, depth)
        if not _is_term(expr):
            raise self.fail(node, f"Derivative of a {_kind(expr)}")
        for count in counts:
            if not (
                isinstance(count, sp.Tuple)
                and len(count) == 2
                and (count[0].is_Symbol or isinstance(count[0], Intermediate))
                and isinstance(count[1], sp.Integer)
                and count[1] >= 1
            ):
                raise self.fail(node, "Derivative's variables must be Tuple(Symbol, Integer)")
        return sp.Derivative(expr, *counts, evaluate=False)

    def _intermediate(self, node: ast.Call, depth: int) -> sp.Basic:
        self.exactly(node, 2)
        name, value = self.args(node, depth)
        if not (isinstance(name, Str) and _IDENTIFIER.fullmatch(name.name) and _is_term(value)):
            raise self.fail(node, "Intermediate needs Str(name) and a term")
        return Intermediate(name, value)

    def _tuple(self, node: ast.Call, depth: int) -> sp.Basic:
        return sp.Tuple(*self.args(node, depth))

    def _wrapper(self, cls: type[sp.Basic]) -> Callable[[ast.Call, int], sp.Basic]:
        def build(node: ast.Call, depth: int) -> sp.Basic:
            self.exactly(node, 1)
            return cls(*self.terms(node, depth))

        return build

    def _function(self, cls: type[sp.Function]) -> Callable[[ast.Call, int], sp.Basic]:
        def build(node: ast.Call, depth: int) -> sp.Basic:
            special = issubclass(cls, (Defined, sp.Piecewise))
            args = self.args(node, depth) if special else self.terms(node, depth)
            if issubclass(cls, Defined) and not _defined_shape(args):
                raise self.fail(node, "Defined needs Str, Lambda(y, body), a term[, Lambda]")
            if issubclass(cls, sp.Piecewise) and not all(isinstance(a, ExprCondPair) for a in args):
                raise self.fail(node, "Piecewise needs ExprCondPair arguments")
            try:
                return cls(*args, evaluate=False)
            except Exception as error:  # SymPy refused these arguments: say so, in one line
                raise self.fail(node, f"{cls.__name__}: {error}") from None

        return build


def loads(text: str) -> sp.Basic:
    """Return the SymPy object that srepr ``text`` spells, through the whitelist only.

    Raises ParseError for text outside the whitelist and LimitError for text too large.
    """
    if not isinstance(text, str):
        raise ParseError(f"srepr: expected text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise LimitError(f"srepr: longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError) as error:
        column = getattr(error, "offset", None)
        raise ParseError(
            f"srepr: not valid: {error.args[0] if error.args else error}",
            text,
            None if column is None else max(column - 1, 0),
        ) from None
    except (RecursionError, MemoryError):
        raise LimitError("srepr: nested too deeply") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise LimitError(f"srepr: more than {MAX_NODES} nodes")
    integers = (n.value for n in ast.walk(tree) if isinstance(n, ast.Constant))
    if any(type(n) is int and abs(n).bit_length() > MAX_DIGITS * 10 // 3 for n in integers):
        raise LimitError(f"srepr: an integer with more than {MAX_DIGITS} digits")
    try:
        return _Reader(text).read(tree.body)
    except RecursionError:
        raise LimitError("srepr: nested too deeply") from None
    except (TypeError, ValueError, AttributeError, IndexError) as error:
        # A whitelisted class that SymPy would not build from these arguments.
        raise ParseError(f"srepr: SymPy refused the arguments: {error}", text) from None
