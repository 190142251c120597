"""The MathML printer: presentation MathML that follows the LaTeX printer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import sympy as sp
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.precedence import PRECEDENCE, precedence_traditional
from sympy.printing.pretty.pretty_symbology import greek_unicode

from sigderiv.expr.build import Paren
from sigderiv.printing.latex import LATEX_SETTINGS, _Latex
from sigderiv.printing.latex_names import AmsmathLatex

_XML_TEXT = re.compile(r"&(?!#?\w+;)|<|>")
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_INVISIBLE_TIMES, _MINUS, _DOT = "\u2062", "\u2212", "\u00b7"


@cache
def _latex_rules() -> AmsmathLatex:
    """The LaTeX printer whose bracket rules the MathML printer follows."""
    return _Latex(LATEX_SETTINGS)


class _MathML(MathMLPresentationPrinter):
    """SymPy's presentation MathML printer, taught the forms a step claims.

    SymPy's own re-orders products, folds e^(−x) into 1/e^x, writes UnevaluatedExpr and Paren
    as functions called ``unevaluatedexpr``/``paren`` and ∂ for d: this one follows the LaTeX
    printer above, term by term and in the order built. Objects that know how to show
    themselves (a ``_mathml`` method) are asked first.
    """

    printmethod = "_mathml"

    def __init__(self) -> None:
        super().__init__({"order": "none"})
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

    def _print_Function(self, expr: sp.Expr) -> Any:
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
        return self._node(
            "mrow", self._node("mi", text=shown), self._mo("\u2061"), self._fenced(inner)
        )

    def _print_Derivative(self, expr: sp.Derivative) -> Any:
        (var, count), *more = expr.variable_count
        if more or count != 1:
            return super()._print_Derivative(expr)
        d = self._node("mi", text="d")
        d.setAttribute("mathvariant", "normal")
        below = self._node("mrow", d.cloneNode(True), self._print(var))
        frac = self._node("mfrac", d, below)
        negative = any(arg.could_extract_minus_sign() for arg in expr.args)
        strict = PRECEDENCE["Mul"] if not negative else PRECEDENCE["Mul"] + 1
        return self._node("mrow", frac, self.parenthesize(expr.expr, strict, strict=True))

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> Any:
        row = self._node("mrow")
        for i, term in enumerate(self._as_ordered_terms(expr, order=order)):
            if i:
                negative = term.could_extract_minus_sign()
                row.appendChild(self._mo(_MINUS if negative else "+"))
                term = -term if negative else term
            node = self._print(term)
            row.appendChild(
                self._fenced(node) if _latex_rules()._needs_add_brackets(term) else node
            )
        return row

    def _needs_mul_brackets(self, expr: sp.Expr, first: bool, last: bool) -> bool:
        """The LaTeX printer's rule, so a product shows the same brackets in both."""
        return _latex_rules()._needs_mul_brackets(expr, first=first, last=last)

    def _factors(self, args: Sequence[sp.Expr]) -> Any:
        row = self._node("mrow")
        for i, term in enumerate(args):
            node = self._print(term)
            if self._needs_mul_brackets(term, first=i == 0, last=i == len(args) - 1):
                node = self._fenced(node)
            if i:
                numbers = args[i - 1].is_Number and (
                    term.is_Number or (term.is_Pow and term.base.is_Number)
                )
                after_symbol = isinstance(term, Paren) and args[i - 1].is_Symbol
                row.appendChild(self._mo(_DOT if numbers or after_symbol else _INVISIBLE_TIMES))
            row.appendChild(node)
        return row

    def _print_Mul(self, expr: sp.Mul) -> Any:
        args = list(expr.args)
        if args[0] is sp.S.One or any(isinstance(a, sp.Number) for a in args[1:]):
            return self._factors(args)
        row = self._node("mrow")
        if expr.could_extract_minus_sign():
            row.appendChild(self._mo(_MINUS))
            rest = args[1:] if args[0] == -1 else None
            expr = sp.Mul(*rest, evaluate=False) if rest and len(rest) > 1 else -expr
            if expr.is_Add:
                row.appendChild(self._fenced(self._print(expr)))
                return row
        numer, denom = sp.fraction(expr, exact=True)
        if denom is sp.S.One and sp.Pow(1, -1, evaluate=False) not in expr.args:
            row.appendChild(self._product(expr))
        else:
            row.appendChild(self._node("mfrac", self._product(numer), self._product(denom)))
        return row

    def _product(self, expr: sp.Expr) -> Any:
        return self._factors(list(expr.args)) if expr.is_Mul else self._print(expr)


def mathml(*exprs: sp.Expr, block: bool = False) -> str:
    """Return ``exprs`` joined by ``=`` as one MathML ``<math>`` element, in the order built."""
    printer = _MathML()
    row = printer._node("mrow")
    for i, expr in enumerate(exprs):
        if i:
            row.appendChild(printer._mo("="))
        row.appendChild(printer._print(expr))
    inner = row.toxml().encode("ascii", "xmlcharrefreplace").decode()
    return f'<math display="block">{inner}</math>' if block else f"<math>{inner}</math>"
