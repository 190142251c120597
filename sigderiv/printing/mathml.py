"""The MathML printer: presentation MathML that follows the LaTeX printer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.precedence import precedence_traditional
from sympy.printing.pretty.pretty_symbology import greek_unicode

from sigderiv.expr.build import Paren
from sigderiv.expr.functions import NamedFunction
from sigderiv.printing.latex import LATEX_SETTINGS, _Latex
from sigderiv.printing.latex_names import AmsmathLatex
from sigderiv.printing.order import (
    ORDER_SETTINGS,
    TeacherOrder,
    derivative_parts,
    fraction_parts,
    needs_operand_brackets,
    on_top,
    ordered_factors,
    signed,
    visible_dot,
)

_XML_TEXT = re.compile(r"&(?!#?\w+;)|<|>")
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_INVISIBLE_TIMES, _MINUS, _DOT = "\u2062", "\u2212", "\u00b7"


@cache
def _latex_rules() -> AmsmathLatex:
    """The LaTeX printer whose bracket rules the MathML printer follows."""
    return _Latex(LATEX_SETTINGS)


class _MathML(TeacherOrder, MathMLPresentationPrinter):
    """SymPy's presentation MathML printer, taught the forms a step claims.

    SymPy's own re-orders products, folds e^(−x) into 1/e^x, writes UnevaluatedExpr and Paren
    as functions called ``unevaluatedexpr``/``paren`` and ∂ for d: this one follows the LaTeX
    printer above, term by term and in the same teacher order (:mod:`.order`). Objects that
    know how to show themselves (a ``_mathml`` method) are asked first.
    """

    printmethod = "_mathml"
    _default_settings: ClassVar[dict[str, Any]] = {
        **MathMLPresentationPrinter._default_settings,
        **ORDER_SETTINGS,
    }

    def __init__(self, partial: bool = False) -> None:
        super().__init__({"order": "none", "partial": partial})
        raw = self.dom.createTextNode  # SymPy writes text unescaped; escape what is not markup

        def escaped(data: str) -> Any:
            return raw(_XML_TEXT.sub(lambda m: _XML_ESCAPES[m.group()[0]], data))

        self.dom.createTextNode = escaped

    def _node(self, tag: str, *children: Any, text: str | None = None) -> Any:
        node = self.dom.createElement(tag)
        if text is not None:
            node.appendChild(self.dom.createTextNode(text))
        for child in children:
            node.appendChild(child)
        return node

    def _mo(self, text: str) -> Any:
        return self._node("mo", text=text)

    def _fenced(self, inner: Any) -> Any:
        # Browsers draw stretchy brackets from glyph parts with loose spacing: (  x  ).
        # Brackets stretch only around something tall, such as a fraction.
        left, right = self._mo("("), self._mo(")")
        if not (inner.tagName == "mfrac" or inner.getElementsByTagName("mfrac")):
            for bracket in (left, right):
                bracket.setAttribute("stretchy", "false")
        return self._node("mrow", left, inner, right)

    def parenthesize(self, item: sp.Basic, level: int, strict: bool = False) -> Any:
        if isinstance(item, Paren):
            return self._print(item)
        rank = precedence_traditional(item)
        if rank < level or (not strict and rank <= level):
            return self._fenced(self._print(item))
        return self._print(item)

    def _print_Paren(self, expr: Paren) -> Any:
        return self._fenced(self._print(expr.args[0]))

    def _print_UnevaluatedExpr(self, expr: sp.UnevaluatedExpr) -> Any:
        return self._print(expr.args[0])

    def _print_Exp1(self, expr: sp.Expr) -> Any:
        return self._node("mi", text="e")

    def _print_exp(self, expr: sp.Expr) -> Any:
        return self._node("msup", self._print_Exp1(expr), self._print(expr.args[0]))

    def _print_Integer(self, expr: sp.Integer) -> Any:
        if expr < 0:
            return self._node("mrow", self._mo(_MINUS), self._node("mn", text=str(-expr)))
        return self._node("mn", text=str(expr))

    def _print_Pow(self, expr: sp.Pow) -> Any:
        base, exponent = expr.args
        named = isinstance(base, (NamedFunction, AppliedUndef))
        if isinstance(base, sp.Function) and not named and exponent.is_Integer and exponent > 0:
            return self._print_Function(base, self._print(exponent))  # sin²(x), as LaTeX
        return super()._print_Pow(expr)

    def _print_Function(self, expr: sp.Expr, exponent: Any = None) -> Any:
        name = expr.func.__name__
        if name == "log" and len(expr.args) == 1:
            name = "ln"
        shown = greek_unicode.get(name, name)
        args = [self._print(arg) for arg in expr.args]
        inner = args[0] if len(args) == 1 else self._node("mrow")
        if len(args) > 1:
            for i, arg in enumerate(args):
                if i:
                    inner.appendChild(self._mo(","))
                inner.appendChild(arg)
        head = self._node("mi", text=shown)
        if exponent is not None:
            head = self._node("msup", head, exponent)
        return self._node("mrow", head, self._mo("\u2061"), self._fenced(inner))

    def _print_Derivative(self, expr: sp.Derivative) -> Any:
        shown = self.primed(expr)
        if shown is not None:  # f′(x): an unknown function's derivative
            return self._print(shown)
        d, order, pairs = derivative_parts(expr, self._settings["partial"])

        def sign() -> Any:
            node = self._node("mi", text=d)
            node.setAttribute("mathvariant", "normal")
            return node

        def raised(node: Any, times: int) -> Any:
            return node if times == 1 else self._node("msup", node, self._mn(times))

        below = self._node("mrow")
        for var, times in pairs:  # d x², the square on the x: d²/dx²
            below.appendChild(sign())
            below.appendChild(raised(self._print(var), times))
        if on_top(expr):
            return self._node(
                "mfrac", self._node("mrow", raised(sign(), order), self._print(expr.expr)), below
            )
        frac = self._node("mfrac", raised(sign(), order), below)
        body = self._print(expr.expr)
        if needs_operand_brackets(expr.expr):
            body = self._fenced(body)
        return self._node("mrow", frac, body)

    def _mn(self, value: int) -> Any:
        return self._node("mn", text=str(value))

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> Any:
        row = self._node("mrow")
        for i, term in enumerate(self._as_ordered_terms(expr)):
            negative, magnitude = signed(term)
            if i:
                row.appendChild(self._mo(_MINUS if negative else "+"))
                term = magnitude
            node = self._print(term)
            row.appendChild(
                self._fenced(node) if _latex_rules()._needs_add_brackets(term) else node
            )
        return row

    def _needs_mul_brackets(self, expr: sp.Expr, first: bool, last: bool) -> bool:
        """The LaTeX printer's rule, so a product shows the same brackets in both."""
        return _latex_rules()._needs_mul_brackets(expr, first=first, last=last)

    def _factors(self, args: Sequence[sp.Expr]) -> Any:
        if len(args) == 1 and not isinstance(args[0], sp.Derivative):
            return self._print(args[0])  # alone above or below a fraction line
        row = self._node("mrow")
        for i, term in enumerate(args):
            node = self._print(term)
            if self._needs_mul_brackets(term, first=i == 0, last=i == len(args) - 1):
                node = self._fenced(node)
            if i:
                before = args[i - 1]
                numbers = visible_dot(before, term) or (
                    term.is_Pow and term.base.is_Number and before.is_Number
                )
                after_symbol = isinstance(term, Paren) and before.is_Symbol
                times = self._mo(_DOT if numbers or after_symbol else _INVISIBLE_TIMES)
                if not (numbers or after_symbol) and _named_function(term) and not before.is_Number:
                    times.setAttribute("rspace", "0.1667em")  # y ln(x), as LaTeX spaces \ln
                row.appendChild(times)
            row.appendChild(node)
        return row

    def _print_Mul(self, expr: sp.Mul) -> Any:
        negative, magnitude = signed(expr)
        if negative:
            row = self._node("mrow", self._mo(_MINUS))
            node = self._print(magnitude)
            row.appendChild(self._fenced(node) if isinstance(magnitude, sp.Add) else node)
            return row
        numer, denom = fraction_parts(ordered_factors(expr))
        top = self._factors(numer)
        return self._node("mfrac", top, self._factors(denom)) if denom else top


def _named_function(expr: sp.Expr) -> bool:
    """True for a function written by its name (ln, sin, σ), or a power of one."""
    base = expr.base if isinstance(expr, sp.Pow) else expr
    return isinstance(base, sp.Function) and not isinstance(base, sp.exp)


def mathml(
    *exprs: sp.Expr,
    block: bool = False,
    variable: sp.Symbol | None = None,
    partial: bool = False,
) -> str:
    """Return ``exprs`` joined by ``=`` as one MathML ``<math>`` element, in teacher order."""
    printer = _MathML(partial=partial)
    printer.use_variable(sp.Tuple(*exprs), variable)
    row = printer._node("mrow")
    for i, expr in enumerate(exprs):
        if i:
            row.appendChild(printer._mo("="))
        row.appendChild(printer._print(expr))
    inner = row.toxml().encode("ascii", "xmlcharrefreplace").decode()
    return f'<math display="block">{inner}</math>' if block else f"<math>{inner}</math>"
