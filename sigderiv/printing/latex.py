"""The LaTeX printer: SymPy's, in the order built, a derivative always d/dx."""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.precedence import PRECEDENCE

from sigderiv.expr.build import Paren
from sigderiv.expr.functions import NamedFunction
from sigderiv.printing.latex_names import AmsmathLatex


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


class _Latex(AmsmathLatex):
    """SymPy's LaTeX printer, but a derivative in one variable is always d/dx (see _Pretty)."""

    def _needs_mul_brackets(self, expr: sp.Expr, first: bool = False, last: bool = False) -> bool:
        # A Paren brings its own brackets; SymPy would look through it and add a second pair.
        if isinstance(expr, Paren):
            return False
        # d/dx u · v reads as d/dx (u·v): a derivative that is not the last factor gets brackets.
        if not last and isinstance(expr, sp.Derivative):
            return True
        return super()._needs_mul_brackets(expr, first, last)

    def _print_Mul(self, expr: sp.Mul) -> str:
        # k (1 + x) reads as a function k applied to 1 + x: after a bare symbol, a factor in
        # brackets gets a dot, k · (1 + x).
        if not isinstance(expr, sp.Mul):  # SymPy's _print_Pow hands x**-1 here as it is
            return super()._print_Mul(expr)
        args = expr.args
        for i in range(1, len(args)):
            last = i == len(args) - 1
            bracketed = isinstance(args[i], Paren) or self._needs_mul_brackets(args[i], last=last)
            if bracketed and args[i - 1].is_Symbol:
                head, tail = args[:i], args[i:]
                left = self._print(head[0] if len(head) == 1 else sp.Mul(*head, evaluate=False))
                if len(tail) > 1:
                    right = self._print(sp.Mul(*tail, evaluate=False))
                elif isinstance(tail[0], Paren):
                    right = self._print(tail[0])
                else:
                    right = rf"\left({self._print(tail[0])}\right)"
                return rf"{left} \cdot {right}"
        return super()._print_Mul(expr)

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
        (var, count), *more = expr.variable_count
        if more or count != 1:
            return super()._print_Derivative(expr)
        negative = any(arg.could_extract_minus_sign() for arg in expr.args)
        body = self.parenthesize(expr.expr, PRECEDENCE["Mul"], is_neg=negative, strict=True)
        return rf"\frac{{d}}{{d {self._print(var)}}} {body}"


#: Settings of every LaTeX print: the order built, and arctan rather than atan (the usual
#: notation, and one that LaTeX knows as \arctan).
LATEX_SETTINGS: dict[str, Any] = {"order": "none", "inv_trig_style": "full"}


def latex(expr: sp.Expr) -> str:
    """Return ``expr`` as LaTeX, in the order it was built."""
    return _Latex(LATEX_SETTINGS).doprint(expr)
