"""The LaTeX printer: SymPy's, in teacher order (:mod:`.order`), d/dx, \\ln, 2x \\sin(x^2)."""

from __future__ import annotations

from typing import Any, ClassVar

import sympy as sp
from sympy.core.function import AppliedUndef

from sigderiv.expr.build import Paren
from sigderiv.expr.functions import NamedFunction
from sigderiv.printing.latex_names import AmsmathLatex
from sigderiv.printing.order import (
    ORDER_SETTINGS,
    TeacherOrder,
    derivative_parts,
    fraction_parts,
    is_operator,
    needs_operand_brackets,
    on_top,
    ordered_factors,
    signed,
    visible_dot,
)


def _unbraced(text: str) -> str:
    r"""Return ``\sin{\left(x \right)}`` as ``\sin\left(x \right)``; other text unchanged.

    In braces, the brackets are no longer the function's: ``\cos{\left(x \right)} 2 x``
    reads as cos(x·2x) to a parser.
    """
    if not text.endswith(r"\right)}"):
        return text
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {"}": 1, "{": -1}.get(text[i], 0)
        if depth == 0:
            return text[:i] + text[i + 1 : -1] if text.startswith(r"{\left(", i) else text
    return text


class _Latex(TeacherOrder, AmsmathLatex):
    """SymPy's LaTeX printer in teacher order, d/dx unless told ∂, 2x \\sin(x^2), \\ln."""

    _default_settings: ClassVar[dict[str, Any]] = {
        **AmsmathLatex._default_settings,
        **ORDER_SETTINGS,
    }

    def _needs_mul_brackets(self, expr: sp.Expr, first: bool = False, last: bool = False) -> bool:
        # A Paren brings its own brackets; SymPy would look through it and add a second pair.
        if isinstance(expr, Paren):
            return False
        # d/dx u · v reads as d/dx (u·v): a derivative that is not the last factor gets brackets.
        if not last and is_operator(expr):
            return True
        return super()._needs_mul_brackets(expr, first, last)

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        tex = ""
        for i, term in enumerate(self._as_ordered_terms(expr)):
            negative, magnitude = signed(term)
            if i == 0:
                magnitude = term  # the product or number writes its own minus
            else:
                tex += " - " if negative else " + "
            text = self._print(magnitude)
            tex += rf"\left({text}\right)" if self._needs_add_brackets(magnitude) else text
        return tex

    def _print_Mul(self, expr: sp.Mul) -> str:
        if not isinstance(expr, sp.Mul):  # SymPy's _print_Pow hands x**-1 here as it is
            return super()._print_Mul(expr)
        negative, magnitude = signed(expr)
        if negative:
            text = self._print(magnitude)
            return rf"- \left({text}\right)" if isinstance(magnitude, sp.Add) else f"- {text}"
        numer, denom = fraction_parts(ordered_factors(expr))
        top = self._product(numer)
        return rf"\frac{{{top}}}{{{self._product(denom)}}}" if denom else top

    def _product(self, factors: list[sp.Expr]) -> str:
        r"""Return factors one after another: ``2 x \sin(x^2)``, a number after a dot."""
        if len(factors) == 1 and not isinstance(factors[0], sp.Derivative):
            return self._print(factors[0])  # alone above or below a fraction line
        tex = ""
        for i, factor in enumerate(factors):
            text = self._print(factor)
            bracketed = isinstance(factor, Paren)
            if self._needs_mul_brackets(factor, first=i == 0, last=i == len(factors) - 1):
                text, bracketed = rf"\left({text}\right)", True
            if i:
                # k (1 + x) reads as a function k applied to 1 + x; 3 2^x as 32^x
                after_symbol = bracketed and factors[i - 1].is_Symbol
                dot = visible_dot(factors[i - 1], factor) or text[:1].isdigit() or after_symbol
                tex += r" \cdot " if dot else " "
            tex += text
        return tex

    def _print(self, expr: Any, **kwargs: Any) -> str:
        text = super()._print(expr, **kwargs)
        return _unbraced(text) if isinstance(expr, sp.Function) else text

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        # A template letter's prime (u′, from sigderiv.expr.letters) is TeX's ': u'.
        name, primes = expr.name.rstrip("′"), len(expr.name) - len(expr.name.rstrip("′"))
        if not primes or not name:
            return super()._print_Symbol(expr, style)
        return super()._print_Symbol(sp.Symbol(name), style) + "'" * primes

    def _hprint_Function(self, func: str) -> str:
        name = func.rstrip("′")
        if name == func or not name:
            return super()._hprint_Function(func)
        return super()._hprint_Function(name) + "'" * (len(func) - len(name))

    def _print_Function(self, expr: sp.Expr, exp: str | None = None) -> str:
        # σ(x) as \sigma\left(x\right), a call that LaTeX readers (and SymPy's parser) see
        # as σ applied to x; SymPy writes \sigma{\left(x \right)}, which reads as σ·x.
        if not isinstance(expr, (NamedFunction, AppliedUndef)):
            return super()._print_Function(expr, exp)
        name = self._hprint_Function(expr.func.__name__)
        args = ", ".join(self._print(arg) for arg in expr.args)
        text = rf"{name}\left({args}\right)"
        return text if exp is None else rf"{text}^{{{exp}}}"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        shown = self.primed(expr)
        if shown is not None:  # f′(x): an unknown function's derivative
            return self._print(shown)
        d, order, pairs = derivative_parts(expr, self._settings["partial"])
        d = r"\partial" if d == "∂" else "d"
        below = " ".join(
            f"{d} {self.parenthesize_super(self._print(var))}" + (f"^{{{n}}}" if n > 1 else "")
            for var, n in pairs
        )
        above = d if order == 1 else f"{d}^{{{order}}}"
        body = self._print(expr.expr)
        if on_top(expr):
            return rf"\frac{{{above} {body}}}{{{below}}}"
        if needs_operand_brackets(expr.expr):
            body = rf"\left({body}\right)"
        return rf"\frac{{{above}}}{{{below}}} {body}"


#: Settings of every LaTeX print: terms in teacher order (see :mod:`.order`), arctan rather
#: than atan (the usual notation, and one that LaTeX knows as \arctan), ln rather than log.
LATEX_SETTINGS: dict[str, Any] = {"order": "none", "inv_trig_style": "full", "ln_notation": True}


def latex(expr: sp.Expr, *, variable: sp.Symbol | None = None, partial: bool = False) -> str:
    """Return ``expr`` as LaTeX, in teacher order by ``variable``; ∂ for d with ``partial``."""
    return _Latex({**LATEX_SETTINGS, "partial": partial}).doprint(expr, variable)
