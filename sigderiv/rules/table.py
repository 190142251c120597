"""The function rule's families and the lookup of d/dy h(y): SymPy's functions and named ones."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import mul, power
from sigderiv.expr.derivatives import TABLE, Known
from sigderiv.expr.functions import Defined, NamedFunction, apply_lambda
from sigderiv.model.steps import Rule
from sigderiv.printing.inline import inline
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Family, RuleInfo, Slipped, declare


def known(applied: sp.Expr) -> Known | None:
    """Return the table entry for the function applied in ``applied``, or None.

    Named functions know their own derivative; a Defined one knows it once found.
    """
    entry = TABLE.get(type(applied))
    if entry is not None:
        return entry
    if isinstance(applied, NamedFunction):
        function = type(applied)
        y = sp.Symbol("{y}")
        words = f"{inline(function(y))}′ = {inline(function.derivative(y))}"
        return Known("named_function_rule", function.derivative, words)
    if isinstance(applied, Defined) and applied.known_derivative is not None:
        lam = applied.known_derivative
        y = sp.Symbol(_PLACEHOLDER)
        words = _template(f"{inline(applied.at(y))}′ = {inline(apply_lambda(lam, y))}, found above")
        return Known("named_function_rule", lambda arg: apply_lambda(lam, arg), words)
    return None


#: The variable's name while words are printed, before it becomes the template's {y}.
_PLACEHOLDER = "Y__"


def _template(text: str) -> str:
    """Return printed words as a ``str.format`` template: braces kept, the variable as {y}.

    A piecewise derivative prints with braces, {1 if y > 0; ...}, which format would read.
    """
    return text.replace("{", "{{").replace("}", "}}").replace(_PLACEHOLDER, "{y}")


def table_slips_on(
    core: sp.Expr, inner: sp.Expr, x: sp.Symbol, scale: sp.Expr, then: sp.Expr
) -> list[Slipped]:
    """A table derivative g′ with its sign wrong, or the sign of one of its terms."""
    entry = known(core)
    if entry is None or entry.rule is Rule.FALLBACK:
        return []
    y = sp.Dummy("y")
    prime = entry.derivative(y)
    words = entry.words.format(y=inline(inner) if inner != x else str(x))
    variants = [sp.Mul(sp.S.NegativeOne, prime, evaluate=False)]
    for node in sp.preorder_traversal(prime):
        if isinstance(node, sp.Add):
            for term in node.args:
                variants.append(prime.xreplace({node: node - 2 * term}))
    slips: list[Slipped] = []
    for variant in variants:
        at = variant.xreplace({y: inner})
        kept = [f for f in (scale, at, then) if f != 1]
        slips.append(
            Slipped(
                "outer_derivative",
                f"A sign slipped in a derivative from the table: {words}.",
                mul(*kept),
            )
        )
    return slips


#: The families of functions the table's entries name: a new family is declared here, and a
#: new function is one entry in sigderiv.expr.derivatives.TABLE (see docs/contributing.md).


def function_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """A table derivative with a sign slipped; a^x without ln a; e^x taken for a power."""
    if isinstance(u, sp.Pow):  # a^x, by the exponential rule
        return [
            Slipped(
                "missing_log_factor",
                f"d/d{x} a^{x} = a^{x}·ln(a): the factor ln({inline(u.base)}) is missing.",
                u,
            )
        ]
    if not (isinstance(u, sp.Function) and u.args and u.args[-1] == x):
        return []
    slips = table_slips_on(u, x, x, sp.S.One, sp.S.One)
    if isinstance(u, sp.exp):
        slips.append(
            Slipped(
                "power_rule_on_exponential",
                f"e^{x} is an exponential, not a power of {x}: the power rule does not "
                f"apply; d/d{x} e^{x} = e^{x}.",
                mul(x, power(sp.E, x - 1)),
            )
        )
    return slips


def _family(rule: str, title: str, rewrite: str, example: str, when: str = "likewise") -> None:
    """Declare one family of the table: the rule that its functions' entries name."""
    declare(
        RuleInfo(
            rule,
            title,
            f"the {title[0].lower()}{title[1:]}",
            Family.DIFFERENTIATION,
            rewrite,
            when,
            example,
            slips=function_slips,
        )
    )


_family(
    "exponential_rule",
    "Exponential rule",
    "d/dx eˣ → eˣ; d/dx aˣ → aˣ·ln a",
    "2^x",
    "e^x, or a constant base a",
)
_family(
    "log_rule",
    "Logarithm rule",
    "d/dx ln x → 1/x",
    "ln(x)",
    "ln x; a logarithm to base b is ln x/ln b, a constant multiple",
)
_family(
    "trig_rule",
    "Trigonometric rule",
    "sin′ = cos, cos′ = −sin, tan′ = 1 + tan², cot′ = −(1 + cot²), sec′ = sec·tan, csc′ = −csc·cot",
    "sin(x)",
    "the function applied to x itself",
)
_family(
    "inverse_trig_rule",
    "Inverse trigonometric rule",
    "asin′ = 1/√(1 − x²), acos′ = −1/√(1 − x²), atan′ = 1/(1 + x²), acot′, asec′, acsc′",
    "atan(x)",
)
_family(
    "hyperbolic_rule",
    "Hyperbolic rule",
    "sinh′ = cosh, cosh′ = sinh, tanh′ = 1 − tanh², coth′ = 1 − coth², sech′ = −sech·tanh, "
    "csch′ = −csch·coth",
    "tanh(x)",
)
_family(
    "inverse_hyperbolic_rule",
    "Inverse hyperbolic rule",
    "asinh′ = 1/√(x² + 1), acosh′, atanh′ = 1/(1 − x²), acoth′, asech′, acsch′",
    "asinh(x)",
)
_family("erf_rule", "Error function rule", "erf′ = 2e^(−x²)/√π, erfc′ = −2e^(−x²)/√π", "erf(x)")
_family(
    "special_function_rule",
    "Special function rule",
    "Si′ = sin x/x, Ci′ = cos x/x, Ei′ = eˣ/x: the sine, cosine and exponential integrals",
    "Si(x)",
)
_family(
    "abs_rule",
    "Absolute value rule",
    "d/dx |x| → sign(x) for x ≠ 0 (no derivative at 0); sign′ = 0 for x ≠ 0",
    "abs(x)",
)
_family(
    "named_function_rule",
    "Named function rule",
    "σ′ = σ(1 − σ); a named function whose derivative was found earlier (higher orders)",
    "x sigma(x)",
    "σ(x) inside a larger expression",
)
