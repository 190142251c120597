"""The one place that builds and prints the form a step claims.

SymPy re-orders and re-normalises on construction and printing; the helpers here build
unevaluated trees and print them with ``order="none"`` so a step shows what it says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode
from sympy.printing.pretty.stringpict import prettyForm, stringPict
from sympy.printing.str import StrPrinter


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
        if flat and _is_negative_literal(factor):
            flat.append(Paren(factor))
            continue
        flat.extend(factor.args if isinstance(factor, sp.Mul) else (factor,))
    return flat[0] if len(flat) == 1 else sp.Mul(*flat, evaluate=False)


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


def evaluated(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` rebuilt with SymPy's normal evaluation (display wrappers removed)."""
    return expr.doit()


def rewrite(expr: sp.Expr, change: Callable[[sp.Expr], sp.Expr | None]) -> sp.Expr:
    """Return ``expr`` with each outermost node that ``change`` maps replaced, form kept.

    ``xreplace`` and ``subs`` rebuild with evaluation and would undo the displayed form, so
    this walk rebuilds each changed node with ``evaluate=False``; products stay flat.
    """
    new = change(expr)
    if new is not None:
        return new
    if not expr.args or isinstance(expr, sp.Derivative):
        return expr
    args = [rewrite(arg, change) for arg in expr.args]
    if all(a is b for a, b in zip(args, expr.args, strict=True)):
        return expr
    if isinstance(expr, sp.Mul):
        return mul(*args)
    if isinstance(expr, (sp.Add, sp.Pow)):
        return expr.func(*args, evaluate=False)
    return expr.func(*args)


def replace(expr: sp.Expr, old: sp.Expr, new: sp.Expr) -> sp.Expr:
    """Return ``expr`` with every occurrence of ``old`` replaced by ``new``, form kept."""
    return rewrite(expr, lambda e: new if e == old else None)


# ---- printing -------------------------------------------------------------------------------


class InlinePrinter(StrPrinter):
    """One-line math for prose: e^(−x), x², a·b, σ(x), the way people write it by hand."""

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
            return f"1/{self.parenthesize(base, 60)}^{-exponent}"
        if exponent == sp.S.Half:
            return f"√({self._print(base)})"
        text = self._print(exponent)
        simple = exponent.is_Symbol or (exponent.is_Integer and not exponent.is_negative)
        exp_text = text if simple else f"({text})"
        return f"{self.parenthesize(base, 60)}^{exp_text}"

    def _print_Derivative(self, expr: sp.Expr) -> str:
        inner = expr.expr
        var = expr.variables[0]
        body = self._print(inner)
        body = body if inner.is_Atom else f"({body})"
        return f"d/d{self._print(var)} {body}"

    def _print_Function(self, expr: sp.Expr) -> str:
        name = "σ" if expr.func.__name__ == "sigma" else expr.func.__name__
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    def _print_Mul(self, expr: sp.Expr) -> str:
        return super()._print_Mul(expr).replace("*", "·")

    def _print_UnevaluatedExpr(self, expr: sp.Expr) -> str:
        return self._print(expr.args[0])


_INLINE = InlinePrinter({"order": "none"})


def inline(expr: sp.Expr) -> str:
    """Return ``expr`` as one line of math for prose (unicode: σ, ·, −)."""
    return _INLINE.doprint(expr).replace("-", "−")


class _Pretty(PrettyPrinter):
    """SymPy's pretty printer, but a derivative in one variable is always d/dx.

    SymPy writes ∂/∂x whenever the expression has a second symbol; here every other
    symbol is a constant, so the ordinary d is right. SymPy has no setting for this.
    """

    def _print_Derivative(self, deriv: sp.Derivative) -> prettyForm:
        (var, count), *more = deriv.variable_count
        if more or count != 1:
            return super()._print_Derivative(deriv)
        below = prettyForm(*self._print(var).left("d"))
        body = prettyForm(*self._print(deriv.expr).parens(), binding=prettyForm.FUNC)
        form = prettyForm(*prettyForm("d").below(stringPict.LINE, below))
        form.baseline = form.baseline + 1
        form = prettyForm(*stringPict.next(form, body))
        form.binding = prettyForm.MUL
        return form


def pretty(*exprs: sp.Expr, ascii: bool = False) -> str:
    """Return ``exprs`` in SymPy's two-dimensional pretty form, joined by ``=``, as built."""
    printer = _Pretty({"use_unicode": not ascii, "order": "none", "wrap_line": False})
    previous = pretty_use_unicode(not ascii)
    try:
        forms = [printer._print(e) for e in exprs]
        joined = forms[0]
        for form in forms[1:]:
            joined = prettyForm(*stringPict.next(joined, " = ", form))
        return joined.render(wrap_line=False)
    finally:
        pretty_use_unicode(previous)


_ASCII = str.maketrans(
    {"−": "-", "·": "*", "′": "'", "σ": "sigma", "≠": "!=", "²": "^2", "³": "^3", "π": "pi"}
)


def ascii_text(text: str) -> str:
    """Return prose written with :func:`inline` math in plain ASCII (σ -> sigma, − -> -)."""
    return text.translate(_ASCII)


class _Latex(LatexPrinter):
    """SymPy's LaTeX printer, but a derivative in one variable is always d/dx (see _Pretty)."""

    def _needs_mul_brackets(self, expr: sp.Expr, first: bool = False, last: bool = False) -> bool:
        # A Paren brings its own brackets; SymPy would look through it and add a second pair.
        return not isinstance(expr, Paren) and super()._needs_mul_brackets(expr, first, last)

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        (var, count), *more = expr.variable_count
        if more or count != 1:
            return super()._print_Derivative(expr)
        negative = any(arg.could_extract_minus_sign() for arg in expr.args)
        body = self.parenthesize(expr.expr, PRECEDENCE["Mul"], is_neg=negative, strict=True)
        return rf"\frac{{d}}{{d {self._print(var)}}} {body}"


def latex(expr: sp.Expr) -> str:
    """Return ``expr`` as LaTeX, in the order it was built."""
    return _Latex({"order": "none"}).doprint(expr)
