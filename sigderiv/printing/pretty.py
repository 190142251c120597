"""The pretty printer: SymPy's two-dimensional form in teacher order, d/dx unless told ∂."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode, xsym
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from sigderiv.expr.functions import NamedFunction
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
    signed,
)


def _negative(form: prettyForm, first: bool) -> prettyForm:
    """Return −form, the minus on the form's baseline (never above a fraction's line)."""
    if form.binding > prettyForm.NEG or form.binding == prettyForm.ADD:
        form = prettyForm(*form.parens())
    sign = " - " if not first else "- " if form.height() > 1 else "-"
    return prettyForm(*stringPict.next(sign, form), binding=prettyForm.NEG)


#: What is drawn differently outermost than inside (see ``_Pretty._print``).
_BY_DEPTH = (sp.Float, sp.Subs, sp.Derivative)


class _Pretty(TeacherOrder, PrettyPrinter):
    """SymPy's pretty printer in teacher order (:mod:`.order`): 2x⋅sin(x²), d²/dx², ln.

    SymPy writes ∂/∂x whenever the expression has a second symbol; here every other
    symbol is a constant, so the ordinary d is right unless the ``partial`` setting says ∂.
    """

    _default_settings: ClassVar[dict[str, Any]] = {
        **PrettyPrinter._default_settings,
        **ORDER_SETTINGS,
    }

    def _print(self, expr: Any, **kwargs: Any) -> Any:
        """Return ``expr``'s form, each exact (sub)expression drawn once by this printer.

        A side is drawn whole and then term by term (:mod:`.layout`), and the same
        subexpressions recur in every part: memoised on the exact expression and the
        glyphs, it is drawn a third as often. A Float (its precision), a derivative and a
        Subs (f′) are drawn differently outermost, so for them that is in the key too.
        Each caller gets a copy, which it may change.
        """
        if kwargs or not isinstance(expr, sp.Basic):
            return super()._print(expr, **kwargs)
        outermost = self._depth == 0 if isinstance(expr, _BY_DEPTH) else None
        key = (expr, outermost, pretty_use_unicode())
        memo: dict[Any, Any] = self.__dict__.setdefault("_memo", {})
        form = memo.get(key)
        if form is None:
            form = memo[key] = super()._print(expr)
        return copy.copy(form)

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> prettyForm:
        forms = []
        for i, term in enumerate(self._as_ordered_terms(expr)):
            negative, magnitude = signed(term)
            if i == 0 and not negative:
                form = self._print(term)
            elif negative:
                form = _negative(self._print(magnitude), first=i == 0)
            else:
                form = self._print(term)
            if term.is_Relational or (isinstance(magnitude, sp.Add) and not negative):
                form = prettyForm(*form.parens())
            forms.append(form)
        return prettyForm.__add__(*forms)

    def _print_Mul(self, product: sp.Mul) -> prettyForm:
        # SymPy's own _print_Mul imports sympy.physics.units (a tenth of a second, a third
        # of the CLI's start) only to sort unit quantities last; this one never calls it.
        negative, magnitude = signed(product)
        if negative:
            return _negative(self._print(magnitude), first=True)
        numer, denom = fraction_parts(ordered_factors(product))
        top = self._product(numer)
        return top / self._product(denom) if denom else top

    def _product(self, factors: list[sp.Expr]) -> prettyForm:
        """Return factors one after another: 2x⋅sin(x²), σ(x)⋅(1 - σ(x))."""
        if len(factors) == 1 and not isinstance(factors[0], sp.Derivative):
            return self._print(factors[0])  # alone above or below a fraction line
        parts: list[Any] = []
        for i, factor in enumerate(factors):
            form = self._print(factor)
            weak = form.binding > prettyForm.MUL and not (i == 0 and form.binding == prettyForm.NEG)
            if weak or (is_operator(factor) and i < len(factors) - 1):
                form = prettyForm(*form.parens())
            if i and not juxtaposes(factors[i - 1], factor):
                parts.append(xsym("*"))
            parts.append(form)
        return prettyForm(*stringPict.next(*parts), binding=prettyForm.MUL)

    def _print_Pow(self, power: sp.Pow) -> prettyForm:
        base, exponent = power.args
        if isinstance(base, (NamedFunction, AppliedUndef)) and exponent.is_positive:
            # σ(x)², as the LaTeX printer writes it; SymPy would write σ²(x)
            shown = prettyForm(*self._print(base), binding=prettyForm.ATOM)
            return shown ** self._print(exponent)
        return super()._print_Pow(power)

    def _print_log(self, expr: sp.Expr) -> prettyForm:
        return self._print_Function(expr, func_name="ln")

    def _print_Max(self, expr: sp.Expr) -> prettyForm:
        return self._print_Function(expr, func_name="max")

    def _print_Min(self, expr: sp.Expr) -> prettyForm:
        return self._print_Function(expr, func_name="min")

    def _print_Derivative(self, deriv: sp.Derivative) -> prettyForm:
        shown = self.primed(deriv)
        if shown is not None:  # f′(x): an unknown function's derivative
            return self._print(shown)
        d, order, pairs = derivative_parts(deriv, self._settings["partial"])
        d = d if self._use_unicode else "d"
        below: prettyForm | None = None
        for var, times in pairs:
            part = prettyForm(*self._print(var).left(d))
            if times > 1:
                part = part ** prettyForm(str(times))
            below = part if below is None else prettyForm(*below.right(" ", part))
        above = prettyForm(d) if order == 1 else prettyForm(d) ** prettyForm(str(order))
        body = self._print(deriv.expr)
        if on_top(deriv):
            above = prettyForm(*above.right(body))
        form = prettyForm(*above.below(stringPict.LINE, below))
        form.baseline = form.baseline + 1
        if on_top(deriv):
            form.binding = prettyForm.MUL
            return form
        if needs_operand_brackets(deriv.expr):
            form = prettyForm(*stringPict.next(form, prettyForm(*body.parens())))
        else:  # a space, or a fraction's line would run on from the d/dx line
            form = prettyForm(*stringPict.next(form, " ", body))
        form.binding = prettyForm.MUL
        return form


def printer(
    *exprs: sp.Expr,
    ascii: bool = False,
    variable: sp.Symbol | None = None,
    partial: bool = False,
) -> PrettyPrinter:
    """Return the printer :func:`pretty` uses for ``exprs`` (print inside :func:`glyphs`)."""
    settings = {"use_unicode": not ascii, "order": "none", "wrap_line": False}
    chosen = _Pretty({**settings, "partial": partial})
    chosen.use_variable(sp.Tuple(*exprs), variable)
    return chosen


@contextmanager
def glyphs(ascii: bool = False) -> Iterator[None]:
    """Draw SymPy's pretty forms in unicode (or ASCII) while inside, as :func:`pretty` does."""
    previous = pretty_use_unicode(not ascii)
    try:
        yield
    finally:
        pretty_use_unicode(previous)


def pretty(
    *exprs: sp.Expr,
    ascii: bool = False,
    variable: sp.Symbol | None = None,
    partial: bool = False,
) -> str:
    """Return ``exprs`` in two-dimensional form, joined by ``=``, in teacher order."""
    chosen = printer(*exprs, ascii=ascii, variable=variable, partial=partial)
    with glyphs(ascii):
        forms = [chosen._print(e) for e in exprs]
        joined = forms[0]
        for form in forms[1:]:
            joined = prettyForm(*stringPict.next(joined, " = ", form))
        return joined.render(wrap_line=False)
