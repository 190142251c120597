"""The one place that builds and prints the form a step claims.

SymPy re-orders and re-normalises on construction and printing; the helpers here build
unevaluated trees and print them with ``order="none"`` so a step shows what it says.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.core.operations import AssocOp
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.precedence import PRECEDENCE, precedence_traditional
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import greek_unicode, pretty_use_unicode
from sympy.printing.pretty.stringpict import prettyForm, stringPict
from sympy.printing.str import StrPrinter

from .functions import NamedFunction
from .latex_names import AmsmathLatex


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


#: The most entries a memory of :func:`fold` (or the inline printer's) holds; then it starts over.
MEMO_LIMIT = 16384

T = TypeVar("T")


def fold(
    memo: dict[sp.Basic, T],
    expr: sp.Basic,
    combine: Callable[[sp.Basic, Callable[[sp.Basic], T]], T],
) -> T:
    """Return ``combine(expr, value_of)``, ``value_of`` folding a subexpression the same way.

    Each distinct subtree is folded once and remembered in ``memo``: the derivative of sin
    nested n deep has n²/2 nodes as a tree but about 2n different ones, and a long product's
    derivative repeats each factor n times. A memo that holds :data:`MEMO_LIMIT` entries
    when a fold begins starts over.
    """
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    get = memo.get

    def value_of(node: sp.Basic) -> T:
        known = get(node)
        if known is None:
            known = memo[node] = combine(node, value_of)
        return known

    return value_of(expr)


def in_print_order(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` rebuilt unevaluated with its terms and factors in SymPy's print order.

    An evaluated expression keeps its arguments in an internal order (3 + 2x); printed with
    ``order="none"`` it would show that. This is the order SymPy itself prints: 2x + 3.
    """
    return fold({}, expr, _in_print_order)


def _in_print_order(expr: sp.Expr, order: Callable[[sp.Expr], sp.Expr]) -> sp.Expr:
    if not expr.args or isinstance(expr, (sp.Derivative, sp.Function)):
        return expr
    if isinstance(expr, sp.Add):
        return sp.Add(*(order(t) for t in expr.as_ordered_terms()), evaluate=False)
    if isinstance(expr, sp.Mul):
        coefficient, rest = expr.as_coeff_Mul()
        factors = [order(f) for f in rest.as_ordered_factors()]
        if coefficient != 1:
            factors.insert(0, coefficient)
        return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)
    if isinstance(expr, sp.Pow):
        return sp.Pow(*(order(a) for a in expr.args), evaluate=False)
    return expr


def evaluated(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` rebuilt with SymPy's normal evaluation (display wrappers removed).

    This is ``expr.doit()``, with equal subtrees evaluated once (see :func:`fold`). What
    was evaluated is remembered for the rest of the derivation: a step's rewrite and its
    proof evaluate the same expression.
    """
    return fold(_EVALUATED, expr, _evaluated)


def _evaluated(node: sp.Basic, walk: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
    if not node.args:
        return node
    if isinstance(node, sp.UnevaluatedExpr):
        return walk(node.args[0])
    if isinstance(node, AssocOp) and type(node).doit is AssocOp.doit:
        return node.func(*(walk(a) for a in node.args), evaluate=True)
    if type(node).doit is sp.Basic.doit:  # the same as doit: rebuild from the args
        args = [walk(a) for a in node.args]
        unchanged = all(a is b for a, b in zip(args, node.args, strict=True))
        # a function applied to what it was applied to is as SymPy built it: building
        # cos(w) again asks w's assumptions again, the whole of w, for nothing
        return node if unchanged and isinstance(node, sp.Function) else node.func(*args)
    return node.doit()  # a derivative, a piecewise, ...: its own doit


def rewrite(expr: sp.Expr, change: Callable[[sp.Expr], sp.Expr | None]) -> sp.Expr:
    """Return ``expr`` with each outermost node that ``change`` maps replaced, form kept.

    ``xreplace`` and ``subs`` rebuild with evaluation and would undo the displayed form, so
    this walk rebuilds each changed node with ``evaluate=False``; products stay flat. Equal
    subtrees are rewritten once (see :func:`fold`).
    """

    def combine(node: sp.Basic, walk: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
        new = change(node)
        return _rebuilt(node, walk) if new is None else new

    return fold({}, expr, combine)


def _rebuilt(node: sp.Expr, walk: Callable[[sp.Expr], sp.Expr]) -> sp.Expr:
    if not node.args or isinstance(node, sp.Derivative):
        return node
    args = [walk(arg) for arg in node.args]
    if all(a is b for a, b in zip(args, node.args, strict=True)):
        return node
    if isinstance(node, sp.Mul):
        return mul(*args)
    if isinstance(node, (sp.Add, sp.Pow, sp.Piecewise)):
        return node.func(*args, evaluate=False)
    return node.func(*args)


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
        self._printed: dict[sp.Basic, str] = {}

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if kwargs or not isinstance(expr, sp.Basic):  # printed in a context: not reusable
            return super()._print(expr, **kwargs)
        text = self._printed.get(expr)
        if text is None:
            text = super()._print(expr)
            if len(self._printed) >= MEMO_LIMIT:
                self._printed.clear()
            self._printed[expr] = text
        return text


_INLINE = _RememberingPrinter()


#: The number of nodes of each expression measured so far (see :func:`_larger_than`).
_SIZES: dict[sp.Basic, int] = {}
#: The names of the symbols in each expression looked at so far (see :func:`names_in`).
_NAMES: dict[sp.Basic, frozenset[str]] = {}
#: The lower bounds on operations found so far (see :func:`fewest_operations`).
_FEWEST: dict[sp.Basic, int] = {}
#: What each expression evaluated to so far (see :func:`evaluated`).
_EVALUATED: dict[sp.Basic, sp.Basic] = {}


def forget() -> None:
    """Empty what this module remembers: each derivation starts from the same state."""
    _INLINE._printed.clear()
    _SIZES.clear()
    _NAMES.clear()
    _FEWEST.clear()
    _EVALUATED.clear()


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


def _larger_than(expr: sp.Basic, limit: int) -> bool:
    return _size(expr) > limit


def names_in(expr: sp.Basic) -> frozenset[str]:
    """Return the names of the symbols in ``expr``, each distinct subtree looked at once."""
    return fold(_NAMES, expr, _names)


def _names(node: sp.Basic, names: Callable[[sp.Basic], frozenset[str]]) -> frozenset[str]:
    if isinstance(node, sp.Symbol):
        return frozenset((node.name,))
    return frozenset().union(*(names(a) for a in node.args))


def fewest_operations(expr: sp.Expr) -> int:
    """Return a lower bound on SymPy's ``count_ops(expr)``, each distinct subtree counted once.

    ``count_ops`` counts one operation for every function application and one for every
    term of a sum after the first (an addition or a subtraction), and more for the rest; so
    does this, and nothing else. Counting those costs nothing for the n²/2 nodes of a long
    product's or a nested function's derivative, where ``count_ops`` walks them all.
    """
    return fold(_FEWEST, expr, _fewest)


def _fewest(node: sp.Basic, fewest: Callable[[sp.Basic], int]) -> int:
    own = len(node.args) - 1 if isinstance(node, sp.Add) else 0
    own += 1 if isinstance(node, sp.Function) else 0
    return own + sum(fewest(a) for a in node.args)


def _size(expr: sp.Basic) -> int:
    """Return the nodes of ``expr`` as a tree, each distinct subtree measured once."""
    return fold(_SIZES, expr, lambda node, size: 1 + sum(size(a) for a in node.args))


def looks_the_same(a: sp.Expr, b: sp.Expr) -> bool:
    """True when ``a`` and ``b`` print the same inline, in full (nothing cut short)."""
    return a == b or _INLINE.doprint(a) == _INLINE.doprint(b)


def inline(expr: sp.Expr) -> str:
    """Return ``expr`` as one line of math for prose (unicode: σ, ·, −); huge ones cut short."""
    printer = _BriefPrinter(8) if _larger_than(expr, INLINE_NODES) else _INLINE
    return printer.doprint(expr).replace("-", "−")


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

        self.dom.createTextNode = escaped  # type: ignore[method-assign]

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


def _factor_key(factor: sp.Expr) -> tuple[int, int]:
    if factor.is_Number:
        return (0, 0)
    if isinstance(factor, sp.Add):
        return (3, sp.count_ops(factor))
    if isinstance(factor, sp.Pow) and factor.exp.is_negative:
        return (4, 0)
    return (1 if factor.is_Symbol else 2, sp.count_ops(factor))


def tidy(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` in the order a teacher writes it: constants first, brackets last.

    σ(x)·(1 − σ(x))·(1 − 2σ(x)) rather than SymPy's (1 − 2σ(x))·(1 − σ(x))·σ(x).
    """
    if not expr.args or isinstance(expr, sp.Derivative):
        return expr
    args = [tidy(a) for a in expr.args]
    if isinstance(expr, sp.Mul):
        numbers = [a for a in args if a.is_Number]
        if len(numbers) == 1 and numbers[0] == -1 and len(args) > 1:
            rest = sorted((a for a in args if a is not numbers[0]), key=_factor_key)
            return neg(rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False))
        return sp.Mul(*sorted(args, key=_factor_key), evaluate=False)
    if isinstance(expr, sp.Add):
        ordered = sorted(args, key=lambda a: 0 if a.is_Number else 1)
        return sp.Add(*ordered, evaluate=False)
    if isinstance(expr, sp.Pow):
        return sp.Pow(*args, evaluate=False)
    return expr.func(*args) if args != list(expr.args) else expr
