"""Building expressions unevaluated, in the form a step claims."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp
from sympy.core.function import UndefinedFunction
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pretty.stringpict import prettyForm


class Paren(sp.UnevaluatedExpr):
    """An expression shown in parentheses as it stands, e.g. the factor ``(−1)`` in ``e^x·(−1)``."""

    # It brings its own parentheses, so printers must not add more around it.
    precedence = PRECEDENCE["Atom"]

    def _pretty(self, printer: Any) -> Any:
        return prettyForm(*printer._print(self.args[0]).parens())

    def _sympystr(self, printer: Any) -> str:
        return f"({printer._print(self.args[0])})"

    def _latex(self, printer: Any) -> str:
        return rf"\left({printer._print(self.args[0])}\right)"


#: The undefined function classes made so far, by name and assumptions, and how many are kept.
_FUNCTIONS: dict[tuple[str, frozenset[tuple[str, object]]], UndefinedFunction] = {}
_FUNCTIONS_KEPT = 256


def function(name: str, **assumptions: object) -> UndefinedFunction:
    """Return ``Function(name, **assumptions)``, the class made before for the same pair if any.

    An undefined function is its name and assumptions (equal classes are equal functions),
    and SymPy makes a new class each time it is asked, about a quarter of a millisecond:
    the chain rule names four of them a step. A class holds nothing a derivation changes, so
    one kept across derivations gives the same results (at most a fixed number are kept).
    """
    key = (name, frozenset(assumptions.items()))
    known = _FUNCTIONS.get(key)
    if known is None:
        known = sp.Function(name, **assumptions)
        if len(_FUNCTIONS) < _FUNCTIONS_KEPT:
            _FUNCTIONS[key] = known
    return known


def derivative(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """Return the unevaluated derivative d/dvar(expr)."""
    return sp.Derivative(expr, var, evaluate=False)


def add(*terms: sp.Expr) -> sp.Expr:
    """Return the sum of ``terms`` in this order, unevaluated."""
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def mul(*factors: sp.Expr) -> sp.Expr:
    """Return the product of ``factors`` in this order, unevaluated; nested products flattened.

    A negative factor after the first is shown in parentheses: ``e^x·(−1)``, ``e^x·(−k)``.
    """
    flat: list[sp.Expr] = []
    for factor in factors:
        # only a number or a product can be a negative literal: a sum is not asked
        if (
            flat
            and (factor.is_Number or isinstance(factor, sp.Mul))
            and _is_negative_literal(factor)
        ):
            flat.append(Paren(factor))
            continue
        flat.extend(factor.args if isinstance(factor, sp.Mul) else (factor,))
    return flat[0] if len(flat) == 1 else unevaluated(sp.Mul, flat)


def unevaluated(kind: type[sp.Add] | type[sp.Mul], args: Sequence[sp.Basic]) -> sp.Expr:
    """Return ``kind(*args, evaluate=False)``, built directly when that is the same object.

    With ``evaluate=False`` SymPy's constructor converts each argument, looks up each
    argument's classes for constructor postprocessors (matrix expressions have them) and
    then builds the node from its arguments as given. For expressions of classes without
    postprocessors that last part is all it does: a long product's terms are rebuilt in a
    fraction of the time.
    """
    if plain_expressions(args):
        built: sp.Expr = kind._from_args(tuple(args))
        return built
    return kind(*args, evaluate=False)


def plain_expressions(args: Sequence[sp.Basic]) -> bool:
    """True when every argument is an Expr of a class without constructor postprocessors."""
    registered = len(sp.Basic._constructor_postprocessor_mapping)
    kinds = set(map(type, args))
    return all(issubclass(k, sp.Expr) and not _postprocessed(k, registered) for k in kinds)


#: Whether a class has constructor postprocessors, keyed by the class and by how many
#: classes have them registered (a module imported later may register more).
_POSTPROCESSED: dict[tuple[type, int], bool] = {}


def _postprocessed(cls: type, registered: int) -> bool:
    known = _POSTPROCESSED.get((cls, registered))
    if known is None:
        mapping = sp.Basic._constructor_postprocessor_mapping
        known = _POSTPROCESSED[cls, registered] = any(c in mapping for c in cls.__mro__)
    return known


def _is_negative_literal(expr: sp.Expr) -> bool:
    return bool(
        (expr.is_Number and expr.is_negative)
        or (isinstance(expr, sp.Mul) and expr.args and expr.args[0] == -1)
    )


def neg(term: sp.Expr) -> sp.Expr:
    """Return −term, unevaluated."""
    return sp.Mul(sp.S.NegativeOne, term, evaluate=False)


def power(base: sp.Expr, exponent: sp.Expr | int) -> sp.Expr:
    """Return base**exponent, unevaluated (so D/D**2 is not cancelled on construction)."""
    return sp.Pow(base, exponent, evaluate=False)


def fraction(numerator: sp.Expr, denominator: sp.Expr) -> sp.Expr:
    """Return numerator/denominator as one fraction, unevaluated."""
    den = (
        power(denominator.base, -denominator.exp)
        if isinstance(denominator, sp.Pow)
        else power(denominator, -1)
    )
    if numerator == 1:
        return den
    return sp.Mul(numerator, den, evaluate=False)


def product(*factors: sp.Expr) -> sp.Expr:
    """Return a product that prints as separate factors, fractions included.

    Printers fold ``a/b · (1 − c/b)`` into one fraction; wrapping each factor that is or
    contains a fraction keeps it apart.
    """
    kept = [sp.UnevaluatedExpr(f) if _has_fraction(f) else f for f in factors]
    return sp.Mul(*kept, evaluate=False)


def _has_fraction(expr: sp.Expr) -> bool:
    return any(
        isinstance(e, sp.Pow) and e.exp.is_number and e.exp.is_negative
        for e in sp.preorder_traversal(expr)
    )


def _factor_key(factor: sp.Expr) -> tuple[int, int]:
    if factor.is_Number:
        return (0, 0)
    if isinstance(factor, sp.Add):
        return (3, sp.count_ops(factor))
    if isinstance(factor, sp.Pow) and factor.exp.is_negative:
        return (4, 0)
    return (1 if factor.is_Symbol else 2, sp.count_ops(factor))


def tidy(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` in the order a teacher writes it: constants first, brackets last.

    σ(x)·(1 − σ(x))·(1 − 2σ(x)) rather than SymPy's (1 − 2σ(x))·(1 − σ(x))·σ(x).
    """
    if not expr.args or isinstance(expr, sp.Derivative):
        return expr
    args = [tidy(a) for a in expr.args]
    if isinstance(expr, sp.Mul):
        numbers = [a for a in args if a.is_Number]
        if len(numbers) == 1 and numbers[0] == -1 and len(args) > 1:
            rest = sorted((a for a in args if a is not numbers[0]), key=_factor_key)
            return neg(rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False))
        return sp.Mul(*sorted(args, key=_factor_key), evaluate=False)
    if isinstance(expr, sp.Add):
        ordered = sorted(args, key=lambda a: 0 if a.is_Number else 1)
        return sp.Add(*ordered, evaluate=False)
    if isinstance(expr, sp.Pow):
        return sp.Pow(*args, evaluate=False)
    return expr.func(*args) if args != list(expr.args) else expr
