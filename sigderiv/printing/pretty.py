"""The pretty printer: SymPy's two-dimensional form, a derivative always d/dx."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import sympy as sp
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode
from sympy.printing.pretty.stringpict import prettyForm, stringPict


class _Pretty(PrettyPrinter):
    """SymPy's pretty printer, but a derivative in one variable is always d/dx.

    SymPy writes ∂/∂x whenever the expression has a second symbol; here every other
    symbol is a constant, so the ordinary d is right. SymPy has no setting for this.
    """

    def _print_Mul(self, product: sp.Mul) -> prettyForm:
        # SymPy's own _print_Mul imports sympy.physics.units (a tenth of a second, a third
        # of the CLI's start) only to sort unit quantities last. No Quantity exists unless
        # that module was imported, so until then this is SymPy's method without the import.
        if "sympy.physics.units" in sys.modules:
            return super()._print_Mul(product)
        args = product.args
        if args[0] is sp.S.One or any(isinstance(arg, sp.Number) for arg in args[1:]):
            strargs = [self._print(arg) for arg in args]
            negone = strargs[0] == "-1"
            if negone:
                strargs[0] = prettyForm("1", 0, 0)
            obj = prettyForm.__mul__(*strargs)
            if negone:
                obj = prettyForm("-" + obj.s, obj.baseline, obj.binding)
            return obj
        factors = (
            list(product.args) if self.order in ("old", "none") else (product.as_ordered_factors())
        )
        above: list[sp.Basic] = []
        below: list[sp.Basic] = []
        for item in factors:
            if (
                item.is_commutative
                and item.is_Pow
                and item.exp.is_Rational
                and item.exp.is_negative
            ):
                evaluate = item.exp == -1
                below.append(sp.Pow(item.base, -item.exp, evaluate=evaluate))
            elif item.is_Rational and item is not sp.S.Infinity:
                if item.p != 1:
                    above.append(sp.Rational(item.p))
                if item.q != 1:
                    below.append(sp.Rational(item.q))
            else:
                above.append(item)
        top = [self._print(a) for a in above] or [self._print(sp.S.One)]
        if not below:
            return prettyForm.__mul__(*top)
        return prettyForm.__mul__(*top) / prettyForm.__mul__(*[self._print(b) for b in below])

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


def printer(ascii: bool = False) -> PrettyPrinter:
    """Return the printer :func:`pretty` uses (print with it inside :func:`glyphs`)."""
    return _Pretty({"use_unicode": not ascii, "order": "none", "wrap_line": False})


@contextmanager
def glyphs(ascii: bool = False) -> Iterator[None]:
    """Draw SymPy's pretty forms in unicode (or ASCII) while inside, as :func:`pretty` does."""
    previous = pretty_use_unicode(not ascii)
    try:
        yield
    finally:
        pretty_use_unicode(previous)


def pretty(*exprs: sp.Expr, ascii: bool = False) -> str:
    """Return ``exprs`` in SymPy's two-dimensional pretty form, joined by ``=``, as built."""
    chosen = printer(ascii)
    previous = pretty_use_unicode(not ascii)
    try:
        forms = [chosen._print(e) for e in exprs]
        joined = forms[0]
        for form in forms[1:]:
            joined = prettyForm(*stringPict.next(joined, " = ", form))
        return joined.render(wrap_line=False)
    finally:
        pretty_use_unicode(previous)
