"""The order a teacher writes terms and factors in, shared by every printer.

What is reordered. Only a node that claims nothing beyond its value is reordered: a sum or
product whose own evaluation by SymPy gives back the same terms (factors), in any order, and
whose parts are such nodes too (:func:`is_plain`). Everything the engine built on purpose keeps
the order it was built in: ``1 + e^(−x) − 1``, ``0·(1 + e^(−x)) − 1·e^(−x)·d/dx (−x)``,
``e^(−x)·(−1)``, ``u′·v + u·v′``. A product is reordered unless it has a factor that is a
derivative or a display wrapper (Paren, UnevaluatedExpr): reordering factors never changes
what a product claims, and it never drops one (a ``1·`` or ``0·`` built on purpose still shows).
Evaluated or not, the factors of a product are read flattened (``a·(b·c)`` is ``a·b·c``).

Sums (:func:`ordered_terms`). Terms go by degree in the variable, highest first; the degree of
a term is the sum of the degrees of its polynomial factors (``x·cos x`` has degree 1, ``(x +
1)²`` degree 2, ``1/x`` degree −1, ``e^(−x)`` and ``d/dx`` of a degree-0 term degree 0; a
derivative is read through: ``d/dx x³`` has degree 3). At equal degree, a term free of the
variable closes the sum when the sum has a term of higher degree (``x² + eˣ + 5``, the constant
of a polynomial) and opens it otherwise (``1 + e^(−x)``, ``1 − σ(x)``); remaining ties keep
the order of the sum's terms: SymPy's canonical order once evaluated, so the same sum always
prints the same, and the order built for a formula such as ``u′·v + u·v′``. A sum then opens with a
positive term: if the highest term is negative, the lowest-first order is used when that one
opens positive (``1 − x²``, ``1 + 2x − x²``), else the first positive term moves to the front
(``σ(z) − y``).

Products (:func:`ordered_factors`). Numbers first, then other constants (π, √2), then letters
and their powers (alphabetical: ``2kx``, ``3x²y``, as textbooks write parameters), then
functions and powers of them (``sin(x²)``, ``e^(−x)``), then brackets (sums and their powers,
smaller first: ``σ(x)·(1 − σ(x))·(1 − 2σ(x))``); ties keep SymPy's canonical order.

The variable is the one the caller names (``variable=``) or, by default, x if the expression
has it, else its only free symbol, else none (then every term has degree 0).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cmp_to_key
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.pretty.pretty_symbology import greek_unicode

from sigderiv.expr import memory
from sigderiv.expr.build import function
from sigderiv.expr.intermediate import Intermediate, Named
from sigderiv.expr.memory import remembered
from sigderiv.expr.walk import add_only_sorts, contains, free_symbols, has_type, mul_only_sorts

__all__ = [
    "ORDER_SETTINGS",
    "TeacherOrder",
    "default_variable",
    "derivative_parts",
    "factor_group",
    "fraction_parts",
    "in_variable",
    "is_operator",
    "is_plain",
    "is_reorderable",
    "juxtaposes",
    "needs_operand_brackets",
    "ordered_factors",
    "ordered_terms",
    "partial_shown",
    "primed",
    "signed",
    "visible_dot",
]


@remembered  # a long product's terms sort the same factors again and again
def _compare(a: sp.Basic, b: sp.Basic) -> int:
    return int(a.compare(b))


_CANONICAL = cmp_to_key(_compare)
_X = sp.Symbol("x")


def default_variable(expr: sp.Basic) -> sp.Symbol | None:
    """Return x if ``expr`` has it, else its only free symbol, else None."""
    symbols = free_symbols(expr) if isinstance(expr, sp.Basic) else frozenset()
    if _X in symbols:
        return _X
    if len(symbols) == 1:
        (only,) = symbols
        return only if isinstance(only, sp.Symbol) else None
    return None


@remembered
def is_plain(expr: sp.Basic) -> bool:
    """True when ``expr`` claims nothing beyond its value: SymPy's own form, up to order."""
    if not expr.args:
        return True
    if isinstance(expr, sp.UnevaluatedExpr):
        return False
    if isinstance(expr, sp.Derivative):
        return is_plain(expr.expr)
    if isinstance(expr, sp.Mul) and any(
        isinstance(f, sp.Derivative) or f is sp.S.One for f in expr.args
    ):
        # Mul drops its identity before anything else (AssocOp.__new__) and never gives a
        # factor 1 back: a 1· built on purpose is not SymPy's form, known without evaluating
        # (or looking into) the n factors of each term of a long product's product rule
        return False
    if not all(map(is_plain, expr.args)):
        return False
    if isinstance(expr, sp.Mul):
        if mul_only_sorts(expr.args):  # Mul would only sort them: no flatten needed to know
            return True
        return Counter(sp.Mul(*expr.args).args) == Counter(expr.args)
    if isinstance(expr, sp.Add):
        if add_only_sorts(expr.args):  # Add would only sort them: no flatten needed to know
            return True
        return Counter(sp.Add(*expr.args).args) == Counter(expr.args)
    if isinstance(expr, sp.Pow):
        return sp.Pow(*expr.args) == expr
    return True


def flat_factors(expr: sp.Mul) -> list[sp.Expr]:
    """Return the factors of ``expr`` with nested products opened, in the order built."""
    out: list[sp.Expr] = []
    for factor in expr.args:
        out.extend(flat_factors(factor) if isinstance(factor, sp.Mul) else [factor])
    return out


def is_reorderable(expr: sp.Mul) -> bool:
    """True when the printers may put the factors of ``expr`` in teacher order."""
    return all(
        f.is_commutative
        and not isinstance(f, sp.UnevaluatedExpr)
        and not (isinstance(f, sp.Derivative) and primed(f) is None)
        for f in flat_factors(expr)
    )


def _as_letter(expr: sp.Expr) -> sp.Expr:
    """A named quantity stands where its letter would: 2a(1 − a), a before a function."""
    if isinstance(expr, Intermediate):
        return Named(expr.name)
    if isinstance(expr, sp.Pow) and isinstance(expr.base, Intermediate):
        return sp.Pow(Named(expr.base.name), expr.exp, evaluate=False)
    return expr


def factor_group(factor: sp.Expr) -> int:
    """Return where a factor goes: numbers, constants, letters, functions, brackets, ln(2)."""
    factor = _as_letter(factor)
    if factor.is_Number:
        return 0
    if factor.is_number and not isinstance(factor, sp.Add):
        return 5 if factor.atoms(sp.Function) else 1  # ln(2) closes: 2^x·ln(2)
    base = factor.base if isinstance(factor, sp.Pow) else factor
    if base.is_Symbol:
        return 2
    if isinstance(base, sp.Add):
        return 4
    return 3


@remembered
def _size(expr: sp.Expr) -> int:
    return int(sp.count_ops(expr))


@remembered  # a long product's factors recur in each term of its derivative
def _factor_key(factor: sp.Expr) -> tuple[int, float, str]:
    factor = _as_letter(factor)
    if primed(factor) is not None:  # f′(x) is a function, after the functions: 2f(x)·f′(x);
        return 3, 1 + 1 / (1 + _size(factor)), ""  # the outer one first: f′(g(x))·g′(x)
    group = factor_group(factor)
    if group == 2:  # letters alphabetically: 3x²y
        return group, 0, str(factor.base if isinstance(factor, sp.Pow) else factor)
    return group, _size(factor) if group == 4 else 0, ""


def ordered_factors(expr: sp.Mul) -> list[sp.Expr]:
    """Return the factors of ``expr`` in the order to print them (see the module)."""
    return list(_ordered_factors(expr))


@remembered  # a product is ordered for its sign and again for its factors
def _ordered_factors(expr: sp.Mul) -> tuple[sp.Expr, ...]:
    factors = flat_factors(expr)
    if not is_reorderable(expr):
        return tuple(factors)
    by_canon = sorted(factors, key=_CANONICAL)
    return tuple(sorted(by_canon, key=_factor_key))


@remembered  # a long product's factors recur in each term of its derivative
def _degree(expr: sp.Expr, var: sp.Symbol) -> sp.Rational | None:
    """Return the degree of ``expr`` as a polynomial (or Laurent) in ``var``, or None."""
    if not expr.has(var):
        return sp.S.Zero
    if expr == var:
        return sp.S.One
    if isinstance(expr, sp.Pow) and expr.exp.is_Rational:
        inner = _degree(expr.base, var)
        return None if inner is None else inner * expr.exp
    if isinstance(expr, (sp.Mul, sp.Add)):
        parts = [_degree(a, var) for a in expr.args]
        if any(p is None for p in parts):
            return None
        known = [p for p in parts if p is not None]
        return sum(known, sp.S.Zero) if isinstance(expr, sp.Mul) else max(known)
    return None


def _term_degree(term: sp.Expr, var: sp.Symbol | None) -> sp.Rational:
    """Return the degree a term is sorted by: its polynomial factors' degrees summed."""
    if var is None:
        return sp.S.Zero
    while isinstance(term, sp.Derivative):
        term = term.expr
    factors = flat_factors(term) if isinstance(term, sp.Mul) else [term]
    # each factor's degree as Python integers (p, q), (0, 1) for none, one look-up each: a
    # long product's factors recur in each of its derivative's n terms
    known = memory.current().degrees.setdefault(var, {})
    if len(known) >= memory.MEMO_LIMIT:
        known.clear()
    top, bottom = 0, 1  # the sum as a fraction of Python integers: n factors, n additions
    for factor in factors:
        fraction = known.get(factor)
        if fraction is None:
            degree = _degree(factor, var)
            # None (not a polynomial) and 0 add nothing
            fraction = known[factor] = (int(degree.p), int(degree.q)) if degree else (0, 1)
        p, q = fraction
        if p:
            top, bottom = top * q + p * bottom, bottom * q
    return sp.Rational(top, bottom)


def signed(term: sp.Expr) -> tuple[bool, sp.Expr]:
    """Return (negative, magnitude) of a term as it prints: ``−2x`` is (True, 2x)."""
    if term.is_Number:
        return (True, -term) if term.is_negative else (False, term)
    if isinstance(term, sp.Mul):
        factors = ordered_factors(term)
        first = factors[0]
        if first.is_Number and first.is_negative and len(factors) > 1:
            rest = factors[1:] if first == -1 else [-first, *factors[1:]]
            return True, rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
    return False, term


def _positive_first(terms: list[sp.Expr]) -> list[sp.Expr]:
    """Return ``terms`` with the first positive one moved to the front, if the first is not."""
    if not signed(terms[0])[0]:
        return terms
    for i, term in enumerate(terms):
        if not signed(term)[0]:
            return [term, *terms[:i], *terms[i + 1 :]]
    return terms


def ordered_terms(expr: sp.Add, variable: sp.Symbol | None) -> list[sp.Expr]:
    """Return the terms of ``expr`` in the order to print them (see the module)."""
    terms = list(expr.args)  # SymPy's canonical order once evaluated; else as built
    if not is_plain(expr):
        return _positive_first(terms)  # as built, but never opening with a minus needlessly
    degrees = {id(t): _term_degree(t, variable) for t in terms}
    leads = any(d > 0 for d in degrees.values())

    def constant_rank(term: sp.Expr) -> int:
        if variable is not None and contains(term, variable):
            return 0
        return 1 if leads else -1

    down = sorted(terms, key=lambda t: (-degrees[id(t)], constant_rank(t)))
    if not signed(down[0])[0]:
        return down
    up = sorted(terms, key=lambda t: (degrees[id(t)], -1 if constant_rank(t) else 0))
    if not signed(up[0])[0]:
        return up
    return _positive_first(down)


#: The variable of the derivation being shown, set by :func:`in_variable` around a rendering:
#: every print inside orders its sums by it unless told otherwise.
_VARIABLE: ContextVar[sp.Symbol | None] = ContextVar("sigderiv_variable", default=None)
#: Whether the derivation being shown is a partial derivative: ∂ for d, set likewise.
_PARTIAL: ContextVar[bool] = ContextVar("sigderiv_partial", default=False)


@contextmanager
def in_variable(variable: sp.Symbol | None, partial: bool = False) -> Iterator[None]:
    """Order every sum printed inside by powers of ``variable`` (a derivation's: z for a loss),
    and with ``partial`` write every derivative ∂/∂x."""
    tokens = _VARIABLE.set(variable), _PARTIAL.set(partial)
    try:
        yield
    finally:
        _VARIABLE.reset(tokens[0])
        _PARTIAL.reset(tokens[1])


def partial_shown() -> bool:
    """True inside :func:`in_variable` for a partial derivative."""
    return _PARTIAL.get()


#: The printer settings every printer here adds: the variable whose powers order a sum (None:
#: see :func:`default_variable`) and ∂ for d (a partial derivative the user asked for).
ORDER_SETTINGS: dict[str, Any] = {"variable": None, "partial": False}


class TeacherOrder:
    """A Printer mixin: sums in teacher order, the variable chosen when printing starts."""

    _settings: dict[str, Any]
    #: The variable of the expression being printed (set by :meth:`use_variable`).
    variable: sp.Symbol | None = None

    def use_variable(self, expr: sp.Basic, variable: sp.Symbol | None = None) -> None:
        """Order sums by ``variable``, else the setting, else the default for ``expr``."""
        chosen = variable if variable is not None else self._settings.get("variable")
        chosen = chosen if chosen is not None else _VARIABLE.get()
        self.variable = chosen if chosen is not None else default_variable(expr)

    def doprint(self, expr: Any, variable: sp.Symbol | None = None) -> Any:
        """Print ``expr`` with sums ordered by ``variable`` (see :meth:`use_variable`)."""
        return super().doprint(self.prepare(expr, variable))  # type: ignore[misc]

    def prepare(self, expr: Any, variable: sp.Symbol | None = None) -> Any:
        """Return ``expr`` as :meth:`doprint` prints it, the variable chosen for it."""
        if isinstance(expr, sp.Basic) and has_type(expr, Intermediate):
            # a named quantity is written as its name, and ordered as that letter: 2a(1 − a)
            expr = expr.replace(lambda e: isinstance(e, Intermediate), lambda e: Named(e.name))
        self.use_variable(expr, variable)
        return expr

    def _as_ordered_terms(self, expr: sp.Expr, order: str | None = None) -> list[sp.Expr]:
        if not isinstance(expr, sp.Add):
            return [expr]
        return ordered_terms(expr, self.variable)

    #: How deep inside the expression being printed the printer is (1: the whole of it).
    _depth: int = 0

    def _print(self, expr: Any, **kwargs: Any) -> Any:
        self._depth += 1
        try:
            return super()._print(expr, **kwargs)  # type: ignore[misc]
        finally:
            self._depth -= 1

    def _print_Subs(self, expr: sp.Subs) -> Any:
        shown = self.primed(expr)  # the chain rule's f′(g(x))
        return self._print(shown) if shown is not None else super()._print_Subs(expr)  # type: ignore[misc]

    def primed(self, expr: sp.Basic) -> sp.Expr | None:
        """f′(x) for an unknown function's derivative inside an expression (see :func:`primed`).

        A derivative printed on its own stays d/dx f(x): it is the question, not an answer.
        """
        return primed(expr) if isinstance(expr, sp.Subs) or self._depth > 1 else None


def fraction_parts(factors: list[sp.Expr]) -> tuple[list[sp.Expr], list[sp.Expr]]:
    """Return (numerator, denominator) factors: x⁻² and the 3 of 2/3 go below the line."""
    numer: list[sp.Expr] = []
    denom: list[sp.Expr] = []
    for factor in factors:
        if isinstance(factor, sp.Pow) and factor.exp.is_Rational and factor.exp.is_negative:
            exp = -factor.exp
            denom.append(factor.base if exp == 1 else sp.Pow(factor.base, exp, evaluate=False))
        elif factor.is_Rational and not factor.is_Integer:
            if factor.p != 1:
                numer.append(sp.Integer(factor.p))
            denom.append(sp.Integer(factor.q))
        else:
            numer.append(factor)
    return numer or [sp.S.One], denom


def juxtaposes(before: sp.Expr, factor: sp.Expr) -> bool:
    """True when ``factor`` is written right after ``before`` with no sign.

    A bracket is, but after a letter: 15(3x + 2)⁴, σ(x)(1 − σ(x)), 6x·(x² + 1)². After a
    number, so are a letter, a power of one, a constant and a function: 2x, 3x², 2π, 3cos(3x),
    3e^x; never a number, and e never after 1 (1e^x reads as scientific notation). Anything
    else takes a dot: 2x·sin(x²).
    """
    factor, before = primed(factor) or factor, primed(before) or before  # f′(x): a function
    factor, before = _as_letter(factor), _as_letter(before)
    if factor.is_Number or (before.is_Number and before in (0, 1)):
        return False  # 2·3, and a 0· or 1· built on purpose: 1·cos(x), 0·(1 + e^(−x))
    base = factor.base if isinstance(factor, sp.Pow) else factor
    positive_power = not isinstance(factor, sp.Pow) or factor.exp.is_positive
    if isinstance(base, sp.Add) and positive_power:
        # k(1 + x) would read as a function k applied: after a letter, a dot; and after 0 or
        # 1, built on purpose (0·(1 + e^(−x))), too
        return not (before.is_Symbol or (before.is_Number and before in (0, 1)))
    if (
        base.is_Symbol
        and positive_power
        and (isinstance(before, sp.NumberSymbol) or _letter(before))
    ):
        return _letter(factor) or isinstance(before, sp.NumberSymbol)  # 2πx, kx, xz²
    if not (before.is_Number and before.is_nonnegative):
        return False
    if isinstance(base, sp.exp) or base is sp.E:
        return before != 1  # 3e^x; but 1·e^x (1e^x reads as scientific notation)
    if base.is_Symbol or isinstance(factor, sp.NumberSymbol):
        return positive_power
    return isinstance(factor, sp.Function) and not factor.is_number


def _letter(expr: sp.Expr) -> bool:
    """True for a one-letter symbol or a positive power of one: x, z², α (never ab·x as abx)."""
    base = expr.base if isinstance(expr, sp.Pow) else expr
    power = not isinstance(expr, sp.Pow) or expr.exp.is_positive
    return bool(base.is_Symbol and power and (len(base.name) == 1 or base.name in greek_unicode))


def visible_dot(before: sp.Expr, factor: sp.Expr) -> bool:
    """True when LaTeX and MathML need a visible dot before ``factor``: 2·3, sin(x²)·2, 1·eˣ.

    Juxtaposed, a number after anything reads as part of it, and a number before e as
    scientific notation (1e^{−x}).
    """
    if factor.is_Number or (before.is_Number and before in (0, 1)):
        return True  # 2·3, and a 0· or 1· the engine built on purpose: 1·cos(x)
    exponential = isinstance(factor, sp.exp) or factor is sp.E
    exponential = exponential or (isinstance(factor, sp.Pow) and factor.base is sp.E)
    return bool(before.is_Number and exponential)


def needs_operand_brackets(operand: sp.Expr, *, one_line: bool = False) -> bool:
    """True when d/dx's operand is a sum or a product: d/dx (σ(x)·(1 − σ(x))).

    A quotient is bracketed on one line, d/dx (1/(1 + e^(−x))); in two dimensions its
    fraction line already shows where it ends.
    """
    if isinstance(operand, sp.Add):
        return True
    if isinstance(operand, sp.Mul):
        negative, _ = signed(operand)
        return one_line or negative or not fraction_parts(ordered_factors(operand))[1]
    negative_power = isinstance(operand, sp.Pow) and operand.exp.is_number
    return bool(one_line and negative_power and operand.exp.is_negative)


def is_operator(factor: sp.Basic) -> bool:
    """True for a factor written d/dx (…): brackets when another factor follows it.

    Inside a product an unknown function's derivative is f′(x) (:func:`primed`), a function.
    """
    return isinstance(factor, sp.Derivative) and primed(factor) is None and not on_top(factor)


def primed(expr: sp.Basic) -> sp.Expr | None:
    """Return f′(w) for the derivative of an unknown function at a point, else None.

    ``d/dx f(x)`` is f′(x), and SymPy's ``Subs(d/dy f(y), y, g(x))``, the chain rule's outer
    derivative at the inner function, is f′(g(x)): the notation of every textbook. Up to three
    primes (f‴); a higher derivative keeps dⁿ/dxⁿ.
    """
    at = None
    if isinstance(expr, sp.Subs) and len(expr.variables) == 1:
        at, expr = expr.point[0], expr.expr
    if not isinstance(expr, sp.Derivative) or len(expr.variable_count) != 1:
        return None
    (var, count), inner = expr.variable_count[0], expr.expr
    if not (isinstance(inner, AppliedUndef) and inner.args == (var,) and 1 <= count <= 3):
        return None
    applied: sp.Expr = function(inner.func.__name__ + "′" * int(count))(var if at is None else at)
    return applied


def on_top(expr: sp.Derivative) -> bool:
    """True for the derivative of a named quantity, written ∂L/∂a with the name over the line."""
    return isinstance(expr.expr, (Named, Intermediate))


def derivative_parts(
    expr: sp.Derivative, partial: bool
) -> tuple[str, int, list[tuple[sp.Expr, int]]]:
    """Return (d or ∂, total order, [(variable, times)]): d²/dx² is ("d", 2, [(x, 2)])."""
    # d²/∂y∂x (x·y) is ∂/∂y (∂/∂x (x·y)): the first variable is written last, as SymPy does
    pairs = [(var, int(count)) for var, count in reversed(expr.variable_count)]
    several = len(pairs) > 1
    round_d = partial or several or _PARTIAL.get()
    return ("∂" if round_d else "d"), sum(n for _, n in pairs), pairs
