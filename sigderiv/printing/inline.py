"""The inline printer: one line of math for prose (e^(−x), x², σ(x))."""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.printing.pretty.pretty_symbology import greek_unicode
from sympy.printing.str import StrPrinter

from sigderiv.expr import memory
from sigderiv.expr.walk import larger_than


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
        if kwargs or not isinstance(expr, sp.Basic):  # printed in a context: not reusable
            return super()._print(expr, **kwargs)
        printed = memory.current().printed
        text = printed.get(expr)
        if text is None:
            text = super()._print(expr)
            if len(printed) >= memory.MEMO_LIMIT:
                printed.clear()
            printed[expr] = text
        return text


_INLINE = _RememberingPrinter()


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
    return a == b or _INLINE.doprint(a) == _INLINE.doprint(b)


def inline(expr: sp.Expr) -> str:
    """Return ``expr`` as one line of math for prose (unicode: σ, ·, −); huge ones cut short."""
    printer = _BriefPrinter(8) if larger_than(expr, INLINE_NODES) else _INLINE
    return printer.doprint(expr).replace("-", "−")


_ASCII = str.maketrans(
    {
        "−": "-",
        "·": "*",
        "′": "'",
        "σ": "sigma",
        "≠": "!=",
        "≤": "<=",
        "≥": ">=",
        "²": "^2",
        "³": "^3",
        "π": "pi",
        "√": "sqrt",
        "◀": "<-",
        "→": "->",
        "✓": "[ok]",
        "✗": "[x]",
        **{letter: name for name, letter in greek_unicode.items() if name.islower()},
    }
)


def ascii_text(text: str) -> str:
    """Return prose written with :func:`inline` math in plain ASCII (σ -> sigma, − -> -)."""
    return text.translate(_ASCII)
