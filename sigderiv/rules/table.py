"""The function rule's families and the lookup of d/dy h(y): SymPy's functions and named ones."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import derivative, mul, power
from sigderiv.expr.derivatives import TABLE, Known
from sigderiv.expr.functions import Defined, NamedFunction, apply_lambda
from sigderiv.expr.letters import equation, letters
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
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
        return Known("named_function_rule", type(applied).derivative)
    if isinstance(applied, Defined) and applied.known_derivative is not None:
        lam = applied.known_derivative
        return Known(
            "named_function_rule", lambda arg: apply_lambda(lam, arg), "{rule}, found above"
        )
    return None


def applied_to(applied: sp.Expr, y: sp.Expr) -> sp.Expr:
    """Return the function of ``applied`` applied to ``y`` instead: sin(x²) -> sin(y).

    ``applied`` itself when its argument is ``y`` already (nothing to evaluate again).
    """
    if isinstance(applied, Defined):
        return applied.at(y)
    if applied.args[-1] == y:
        return applied
    return applied.func(*applied.args[:-1], y)


def table_words(applied: sp.Expr, y: sp.Symbol) -> Words:
    """Return what the table says of the function of ``applied``, in the variable ``y``.

    ``d/dy sin(y) = cos(y)``, with the entry's own words around it (|y| has no derivative
    at y = 0).
    """
    entry = known(applied)
    assert entry is not None  # callers look the entry up first
    rule = equation(derivative(applied_to(applied, y), y), entry.derivative(y))
    return words(
        entry.words,
        rule=rule,
        y=y,
        nonzero=sp.Ne(y, 0, evaluate=False),
        zero=equation(y, sp.S.Zero),
    )


def table_slips_on(
    core: sp.Expr, inner: sp.Expr, x: sp.Symbol, scale: sp.Expr, then: sp.Expr
) -> list[Slipped]:
    """A table derivative g′ with its sign wrong, or the sign of one of its terms."""
    entry = known(core)
    if entry is None or entry.rule is Rule.FALLBACK:
        return []
    y = sp.Dummy("y")
    prime = entry.derivative(y)
    (letter,) = letters(inner, "y") if inner != x else (x,)
    said = table_words(core, letter)
    # The sign may have slipped in either derivative of the table the line used: name both,
    # and claim no more than the table's entries and that a sign is wrong.
    if inner != x and known(inner) is not None:
        said = words("{outer}, and {inner}", outer=said, inner=table_words(inner, x))
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
                words(
                    "A sign slipped: this line has the other sign of a derivative from the "
                    "table. Compare its signs with the table: {said}.",
                    said=said,
                ),
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
                words(
                    "{rule}: the factor {factor} is missing.",
                    rule=exponential_rule(x),
                    factor=sp.log(u.base),
                ),
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
                words(
                    "{u} is an exponential, not a power of {x}: the power rule does not "
                    "apply; {rule}.",
                    u=u,
                    x=x,
                    rule=equation(derivative(u, x), u),
                ),
                mul(x, power(sp.E, x - 1)),
            )
        )
    return slips


def exponential_rule(x: sp.Symbol) -> sp.Basic:
    """d/dx a^x = a^x·ln(a), in the template letter a."""
    (a,) = letters(x, "a")
    return equation(derivative(power(a, x), x), mul(power(a, x), sp.log(a)))


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
    "Si′ = sin x/x, Ci′ = cos x/x, Ei′ = eˣ/x; every other special function (sinc, erfinv, Γ, "
    "Bessel functions, …) by SymPy's own derivative, named in words; in several arguments, the "
    "multivariable chain rule",
    "Si(x)",
)
_family(
    "abs_rule",
    "Absolute value rule",
    "d/dx |x| → sign(x) for x ≠ 0 (no derivative at 0); sign′ = 0 for x ≠ 0",
    "abs(x)",
)
_family(
    "rounding_rule",
    "Rounding rule",
    "floor′ = ceiling′ = 0 and frac′ = 1, away from the integers (jumps there)",
    "floor(x)",
)
_family(
    "complex_part_rule",
    "Complex part rule",
    "re′ = conjugate′ = 1 and im′ = arg′ = 0 of a real argument (arg away from 0)",
    "re(x)",
)
_family(
    "named_function_rule",
    "Named function rule",
    "σ′ = σ(1 − σ); a named function whose derivative was found earlier (higher orders)",
    "x sigma(x)",
    "σ(x) inside a larger expression",
)
