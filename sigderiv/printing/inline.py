"""The inline printer: one line of math for prose (e^(−x), x², 3x² − 8x + 7, σ(x))."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from contextlib import closing
from typing import Any, ClassVar

import sympy as sp
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.pretty.pretty_symbology import greek_unicode
from sympy.printing.str import StrPrinter

from sigderiv.expr import memory
from sigderiv.expr.walk import larger_than
from sigderiv.printing.order import (
    ORDER_SETTINGS,
    TeacherOrder,
    derivative_parts,
    fraction_parts,
    is_operator,
    juxtaposes,
    needs_operand_brackets,
    on_top,
    ordered_factors,
    partial_shown,
    signed,
)

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(n: int) -> str:
    """Return a non-negative integer in superscript digits: 12 -> ¹²."""
    return str(n).translate(_SUPERSCRIPTS)


class InlinePrinter(TeacherOrder, StrPrinter):
    """One-line math for prose: e^(−x), x², 2x·sin(x²), σ(x), the way people write it by hand."""

    _default_settings: ClassVar[dict[str, Any]] = {
        **StrPrinter._default_settings,
        **ORDER_SETTINGS,
    }

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        return "".join(self._add_pieces(expr))

    def _add_pieces(self, expr: sp.Add) -> Iterator[str]:
        """Yield the terms of a sum as printed, each with its sign: 3x², " - 8x", " + 7"."""
        for i, term in enumerate(self._as_ordered_terms(expr)):
            negative, magnitude = signed(term)
            text = self._print(magnitude)
            if isinstance(magnitude, sp.Add) or precedence(magnitude) < PRECEDENCE["Add"]:
                text = f"({text})"
            sign = ("-" if negative else "") if i == 0 else (" - " if negative else " + ")
            yield sign + text

    def _print_Mul(self, expr: sp.Mul) -> str:
        negative, magnitude = signed(expr)
        if negative:
            text = self._print(magnitude)
            return f"-({text})" if isinstance(magnitude, sp.Add) else f"-{text}"
        numer, denom = fraction_parts(ordered_factors(expr))
        top = self._product(numer)  # a·b/c reads (a·b)/c: no brackets needed on top
        if not denom:
            return top
        bottom = self._product(denom)
        return f"{top}/({bottom})" if len(denom) > 1 else f"{top}/{bottom}"

    def _product(self, factors: list[sp.Expr]) -> str:
        """Return factors written one after another: 2x·sin(x²), σ(x)·(1 − σ(x))."""
        out = ""
        for i, factor in enumerate(factors):
            text = self._print(factor)
            last = i == len(factors) - 1
            if (i and precedence(factor) < PRECEDENCE["Mul"]) or (
                isinstance(factor, sp.Add) or (is_operator(factor) and not last)
            ):
                text = f"({text})"
            if i:
                out += "" if juxtaposes(factors[i - 1], factor) else "·"
            out += text
        return out

    def _print_exp(self, expr: sp.Expr) -> str:
        arg = expr.args[0]
        text = self._print(arg)
        return f"e^{text}" if arg.is_Symbol or (arg.is_Integer and arg >= 0) else f"e^({text})"

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "e"

    def _print_Pow(self, expr: sp.Expr, rational: bool = False) -> str:
        base, exponent = expr.args
        if exponent == -1:
            return f"1/{self.parenthesize(base, 50)}"
        if exponent.is_Integer and exponent < 0:
            return f"1/{self._power(base, superscript(-int(exponent)))}"
        if exponent == sp.S.Half:
            shown = self._print(base)
            return f"√{shown}" if base.is_Atom and not base.is_negative else f"√({shown})"
        if exponent == -sp.S.Half:
            return f"1/{self._print(sp.sqrt(base))}"
        if exponent.is_Rational and exponent.is_negative:
            return f"1/{self._print(sp.Pow(base, -exponent, evaluate=False))}"
        if exponent.is_Integer:
            return self._power(base, superscript(int(exponent)))
        text = self._print(exponent)
        simple = exponent.is_Symbol or (exponent.is_Integer and not exponent.is_negative)
        exp_text = text if simple else f"({text})"
        return f"{self.parenthesize(base, 60)}^{exp_text}"

    def _power(self, base: sp.Expr, exponent: str) -> str:
        """Return base with a superscript exponent: x², (x − 1)², sin²(x)."""
        if isinstance(base, sp.Function) and _TRIG.match(base.func.__name__):
            return self._print_Function(base, exponent)
        return f"{self.parenthesize(base, PRECEDENCE['Pow'])}{exponent}"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        shown = self.primed(expr)
        if shown is not None:  # f′(x): an unknown function's derivative
            return self._print(shown)
        d, order, below = derivative_parts(expr, self._settings["partial"])
        top = d + (superscript(order) if order > 1 else "")
        bottom = "".join(
            f"{d}{self._print(var)}" + (superscript(n) if n > 1 else "") for var, n in below
        )
        body = self._print(expr.expr)
        if on_top(expr):
            return f"{top}{body}/{bottom}"
        if needs_operand_brackets(expr.expr, one_line=True):
            body = f"({body})"
        return f"{top}/{bottom} {body}"

    def _print_Function(self, expr: sp.Expr, exponent: str = "") -> str:
        name = {"sigma": "σ", "log": "ln"}.get(expr.func.__name__, expr.func.__name__)
        return f"{name}{exponent}({', '.join(self._print(a) for a in expr.args)})"

    def _print_UnevaluatedExpr(self, expr: sp.Expr) -> str:
        return self._print(expr.args[0])

    def _print_Max(self, expr: sp.Expr) -> str:
        return f"max({', '.join(self._print(a) for a in expr.args)})"

    def _print_Min(self, expr: sp.Expr) -> str:
        return f"min({', '.join(self._print(a) for a in expr.args)})"

    def _print_Piecewise(self, expr: sp.Expr) -> str:
        pieces = [
            f"{self._print(e)} otherwise"
            if c == sp.true
            else f"{self._print(e)} if {self._print(c)}"
            for e, c in expr.args
        ]
        return "{" + "; ".join(pieces) + "}"

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return greek_unicode.get(expr.name, expr.name)

    def _print_Pi(self, expr: sp.Expr) -> str:
        return "π"

    def _print_Abs(self, expr: sp.Expr) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_Or(self, expr: sp.Expr) -> str:
        return " or ".join(self._print(a) for a in expr.args)

    def _print_And(self, expr: sp.Expr) -> str:
        return " and ".join(self._print(a) for a in expr.args)

    def _print_Equality(self, expr: sp.Expr) -> str:
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_Relational(self, expr: sp.Expr) -> str:
        symbols = {"<=": "≤", ">=": "≥", "!=": "≠"}
        op = symbols.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"


class _RememberingPrinter(InlinePrinter):
    """The inline printer that prints each distinct subexpression once.

    A derivative's prose names the inner function at every step of the chain rule, and each
    inner function is the next one with one more layer: remembering what was printed keeps
    that linear instead of quadratic. The memory is bounded: it starts over when full.
    """

    def __init__(self) -> None:
        super().__init__({"order": "none"})

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if kwargs or not self._remembers(expr):
            return super()._print(expr, **kwargs)
        printed = memory.current().printed
        text = printed.get(expr)
        if text is None:
            text = super()._print(expr)
            if len(printed) >= memory.MEMO_LIMIT:
                printed.clear()
            printed[expr] = text
        return text

    def _remembers(self, expr: Any) -> bool:
        """False for what is printed in a context, or in an order by a variable other than x."""
        return not (
            not isinstance(expr, sp.Basic)
            or self.variable != _X
            or self._settings["partial"]
            or partial_shown()
            or isinstance(expr, (sp.Derivative, sp.Subs))  # f′(x) inside, d/dx f(x) alone
        )

    def pieces(self, expr: sp.Expr) -> Generator[str, None, None]:
        """Yield what :meth:`doprint` returns for ``expr`` in pieces: a sum term by term.

        Their concatenation is the text; two expressions can be compared piece by piece,
        and a difference in the first terms found without printing the rest.
        """
        expr = self.prepare(expr)
        known = memory.current().printed.get(expr) if self._remembers(expr) else None
        if known is not None or type(expr) is not sp.Add:
            yield known if known is not None else self._str(self._print(expr))
            return
        # as _print would: one level into the expression (TeacherOrder's, and Printer's)
        self._depth += 1
        self._print_level += 1
        try:
            yield from self._add_pieces(expr)
        finally:
            self._depth -= 1
            self._print_level -= 1


_INLINE = _RememberingPrinter()
#: The second side of :func:`looks_the_same`, printed alongside the first.
_OTHER = _RememberingPrinter()
_X = sp.Symbol("x")
#: Functions whose square is written on the name, sin²(x), as SymPy's LaTeX and pretty do.
_TRIG = re.compile(r"^(a(rc)?)?(sin|cos|tan|cot|sec|csc)h?$|^log$")


class _BriefPrinter(InlinePrinter):
    """The inline printer that writes … for whatever lies deeper than a few levels."""

    def __init__(self, depth: int) -> None:
        super().__init__({"order": "none"})
        self._left = depth

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if self._left <= 0 and isinstance(expr, sp.Basic) and expr.args:
            return "…"
        self._left -= 1
        try:
            return super()._print(expr, **kwargs)
        finally:
            self._left += 1


#: Prose shows an expression of more nodes than this only to a few levels deep, with …
INLINE_NODES = 150


def looks_the_same(a: sp.Expr, b: sp.Expr) -> bool:
    """True when ``a`` and ``b`` print the same inline, in full (nothing cut short)."""
    if a == b:
        return True
    # printed piece by piece, each side by its own printer (each orders by its own variable)
    _OTHER._settings["partial"] = _INLINE._settings["partial"]
    with closing(_INLINE.pieces(a)) as one, closing(_OTHER.pieces(b)) as other:
        return same_text(one, other)


def same_text(one: Iterator[str], other: Iterator[str]) -> bool:
    """True when the pieces of ``one`` and of ``other`` join to the same text.

    Read as far as they agree: the first difference ends it.
    """
    left: str | None = ""
    right: str | None = ""
    while True:
        if not left:
            left = next(one, None)
            if left is None:  # the first has ended: so must the second
                return not right and not any(other)
        if not right:
            right = next(other, None)
            if right is None:
                return not left and not any(one)
        common = min(len(left), len(right))
        if left[:common] != right[:common]:
            return False
        left, right = left[common:], right[common:]


def inline(expr: sp.Expr, *, variable: sp.Symbol | None = None, partial: bool = False) -> str:
    """Return ``expr`` as one line of math for prose (unicode: σ, ·, −); huge ones cut short.

    ``variable`` is the one whose powers order sums (default: see :mod:`.order`); with
    ``partial`` a derivative is written ∂/∂x.
    """
    printer = _BriefPrinter(8) if larger_than(expr, INLINE_NODES) else _INLINE
    printer._settings["partial"] = partial
    return printer.doprint(expr, variable=variable).replace("-", "−")


_ASCII = str.maketrans(
    {
        "−": "-",
        "·": "*",
        "′": "'",
        "σ": "sigma",
        "≠": "!=",
        "≤": "<=",
        "≥": ">=",
        "π": "pi",
        "√": "sqrt",
        "∂": "d",
        "◀": "<-",
        "→": "->",
        "✓": "[ok]",
        "✗": "[x]",
        **{letter: name for name, letter in greek_unicode.items() if name.islower()},
    }
)


_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def ascii_text(text: str) -> str:
    """Return prose written with :func:`inline` math in plain ASCII (σ -> sigma, x² -> x^2)."""
    raised = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_PLAIN_DIGITS), text)
    return raised.translate(_ASCII)
