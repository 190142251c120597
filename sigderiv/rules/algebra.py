"""Algebra rewrites on whole expressions: reduce, add and subtract, split, cancel, factor."""

from __future__ import annotations

import sympy as sp

from sigderiv.expr.build import add, fraction, power, product
from sigderiv.expr.memory import remembered
from sigderiv.expr.walk import evaluated, in_print_order, replace, rewrite
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.printing.inline import looks_the_same
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Family, declaring


@declaring(
    "reduce",
    "Reduce",
    name="reducing",
    family=Family.ALGEBRA,
    rewrite="SymPy's own evaluation: drop terms multiplied by zero, factors of one, collect signs",
    when="(0·v − 1·e⁻ˣ·(−1))/v² → e⁻ˣ/v²",
    example="x sin(x)",
)
def reduce(expr: sp.Expr) -> Rewrite | None:
    """0*a + b -> b, (-1)*(-a) -> a, 1*a -> a: SymPy's own evaluation, shown as a step."""
    kept, back, held = _scaled_sums(expr)
    value = evaluated(kept)
    if value == kept and all(back[s] == held[s] for s in back):  # already SymPy's own form
        return None
    after = in_print_order(value)
    for symbol, inner in back.items():
        after = replace(after, symbol, in_print_order(inner))
    if looks_the_same(after, expr):
        return None  # nothing visible changed
    if same_up_to_order(after, expr):
        if not _number_after_first(expr):
            return None  # only the order changed, and no clearer for it: no step
        return Rewrite(
            Rule.REDUCE,
            Words.plain("Reorder"),
            Words.plain(
                "Write the number first in each product, the way a coefficient is written."
            ),
            after,
        )
    return Rewrite(
        Rule.REDUCE,
        Words.plain("Reduce"),
        Words.plain(
            "Tidy up: drop the terms multiplied by zero, drop factors of one, and collect the "
            "signs (a minus times a minus is a plus)."
        ),
        after,
    )


def _scaled_sums(
    expr: sp.Expr,
) -> tuple[sp.Expr, dict[sp.Symbol, sp.Expr], dict[sp.Symbol, sp.Expr]]:
    """Return ``expr`` with each sum that a number multiplies held as a symbol, the way back
    (each sum evaluated) and each sum as it was.

    SymPy multiplies 2·(x − 1) out on evaluation; a teacher keeps the factor that the power
    rule or the chain rule put in front.
    """
    back: dict[sp.Symbol, sp.Expr] = {}
    held: dict[sp.Symbol, sp.Expr] = {}

    def change(node: sp.Expr) -> sp.Expr | None:
        if not isinstance(node, sp.Mul):
            return None
        factors = [a for a in node.args if a is not sp.S.One]  # the only SymPy 1 is S.One
        numbers = [a for a in factors if a.is_Rational]
        if len(factors) != len(numbers) + 1 or abs(sp.Mul(*numbers)) in (0, 1):
            return None  # not a number times one other factor: no sum to look at
        sums = [evaluated(a) for a in factors if isinstance(a, sp.Add)]
        if not sums:
            return None
        if not isinstance(sums[0], sp.Add) or sums[0].as_content_primitive()[0] != 1:
            return None
        symbol = sp.Dummy("sum")
        back[symbol] = sums[0]
        held[symbol] = next(a for a in factors if isinstance(a, sp.Add))
        args = [symbol if isinstance(a, sp.Add) else a for a in node.args]
        return sp.Mul(*args, evaluate=False)

    return rewrite(expr, change), back, held


@remembered  # shared subtrees (a long product's factors) are shaped once
def _shape(expr: sp.Basic) -> str:
    if isinstance(expr, sp.UnevaluatedExpr):
        return _shape(expr.args[0])
    if isinstance(expr, (sp.Add, sp.Mul)):
        return f"{type(expr).__name__}({','.join(sorted(_shape(a) for a in expr.args))})"
    if not expr.args:
        return sp.srepr(expr)
    return f"{type(expr).__name__}({','.join(_shape(a) for a in expr.args)})"


def _number_after_first(expr: sp.Expr) -> bool:
    """True when some product has a number after its first factor: cos(x²)·2·x."""
    return any(
        isinstance(node, sp.Mul) and any(a.is_Number for a in node.args[1:])
        for node in sp.preorder_traversal(expr)
    )


def same_up_to_order(one: sp.Expr, other: sp.Expr) -> bool:
    """True when the two are written alike but for the order of terms and factors."""
    return _shape(one) == _shape(other)


def scaled(scale: sp.Expr, body: sp.Expr) -> sp.Expr:
    """Return scale·(body) with the body kept as one factor; just body when scale is 1."""
    return body if scale == 1 else sp.Mul(scale, body, evaluate=False)


def split_scale(expr: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """Return (scale, body) for an expression built by :func:`scaled`."""
    if isinstance(expr, sp.Mul) and len(expr.args) == 2 and not expr.args[0].has(x):
        return expr.args[0], expr.args[1]
    return sp.S.One, expr


def _negative_power(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
    """Return (base, n) when ``expr`` is base**(-n) with n > 0."""
    if isinstance(expr, sp.Pow) and expr.exp.is_number and expr.exp.is_negative:
        return expr.base, -expr.exp
    return None


def _over_power(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr] | None:
    """Return (numerator, base, n) when ``expr`` is numerator * base**(-n), in either order."""
    if not (isinstance(expr, sp.Mul) and len(expr.args) == 2):
        return None
    for numerator, den in (expr.args, expr.args[::-1]):
        found = _negative_power(den)
        if found is not None:
            return numerator, *found
    return None


@declaring(
    "add_subtract_one",
    "Add and subtract one",
    name="adding and subtracting a constant",
    family=Family.ALGEBRA,
    rewrite="N/Dⁿ → k·(D − c)/Dⁿ where D = c + R, c constant, N = k·R",
    when="e⁻ˣ/(1 + e⁻ˣ)² → (1 + e⁻ˣ − 1)/(1 + e⁻ˣ)²",
    example="3/(2+e^x)",
)
def add_subtract_constant(expr: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """N/D**n -> k*(D - c)/D**n, where D = c + R with c constant and N = k*R."""
    value = evaluated(expr)
    for factor in sp.Mul.make_args(value):
        found = _negative_power(factor)
        if found is None or not isinstance(found[0], sp.Add):
            continue
        base, n = found
        constant, rest = base.as_independent(x, as_Add=True)
        if constant == 0 or rest == 0:
            continue
        numerator = sp.powsimp(value * base**n)
        scale = sp.powsimp(sp.cancel(numerator / rest))
        if scale.has(x) or scale == 0:
            continue
        shifted = add(*base.args, -constant)
        after = scaled(scale, fraction(shifted, power(base, n)))
        what: Words | str = "one" if constant == 1 else words("{c}", c=constant)
        return Rewrite(
            Rule.ADD_SUBTRACT_ONE,
            words("Add and subtract {what}", what=what),
            words(
                "The numerator {numerator} is the denominator's base {base} without its "
                "constant {constant}. Adding and subtracting {constant} changes nothing but "
                "makes the base appear in the numerator, so it can cancel.",
                numerator=numerator,
                base=base,
                constant=constant,
            ),
            after,
        )
    return None


@declaring(
    "split_fraction",
    "Split into two fractions",
    name="splitting the fraction",
    family=Family.ALGEBRA,
    rewrite="(a + b)/Dⁿ → a/Dⁿ + b/Dⁿ; leading terms that add up to D stay together",
    when="(1 + e⁻ˣ − 1)/D² → (1 + e⁻ˣ)/D² − 1/D²",
    example="3/(2+e^x)",
)
def split_fraction(expr: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """(a + b)/D**n -> a/D**n + b/D**n; leading terms that add up to D stay together."""
    scale, body = split_scale(expr, x)
    found = _over_power(body)
    if found is None or not isinstance(found[0], sp.Add):
        return None
    numerator, base, n = found
    terms = list(numerator.args)
    groups: list[sp.Expr] = terms
    for size in range(len(terms) - 1, 1, -1):
        if evaluated(add(*terms[:size])) == base:
            groups = [add(*terms[:size]), *terms[size:]]
            break
    after = scaled(scale, add(*(fraction(g, power(base, n)) for g in groups)))
    why = (
        words(
            " The first part, {base}, is exactly the denominator's base, so on its own over "
            "the denominator it can cancel.",
            base=base,
        )
        if len(groups) < len(terms)
        else Words()
    )
    return Rewrite(
        Rule.SPLIT_FRACTION,
        Words.plain(
            "Split into two fractions" if len(groups) == 2 else "Split into separate fractions"
        ),
        "A fraction whose numerator is a sum splits into one fraction per part, each over "
        "the same denominator." + why,
        after,
    )


@declaring(
    "cancel",
    "Cancel the common factor",
    name="cancelling",
    family=Family.ALGEBRA,
    rewrite="D/Dⁿ → 1/Dⁿ⁻¹",
    when="(1 + e⁻ˣ)/(1 + e⁻ˣ)² → 1/(1 + e⁻ˣ)",
    example="3/(2+e^x)",
)
def cancel(expr: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """D/D**n -> 1/D**(n - 1), in every term where the numerator is the denominator's base."""
    scale, body = split_scale(expr, x)
    terms = list(body.args) if isinstance(body, sp.Add) else [body]
    changed = False
    kept: list[sp.Expr] = []
    for term in terms:
        found = _over_power(term)
        if found is not None and found[1] == evaluated(found[0]):
            numerator, _, n = found
            kept.append(sp.S.One if n == 1 else power(numerator, 1 - n))
            changed = True
            continue
        kept.append(term)
    if not changed:
        return None
    return Rewrite(
        Rule.CANCEL,
        Words.plain("Cancel the common factor"),
        Words.plain(
            "In the fraction whose numerator equals the denominator's base, one factor cancels "
            "between top and bottom."
        ),
        scaled(scale, add(*kept)),
    )


@declaring(
    "factor",
    "Factor",
    name="factoring",
    family=Family.ALGEBRA,
    rewrite="a/Dᵐ + b/Dᵐ⁺ʲ → (1/Dᵐ)·(a + b/Dʲ)",
    when="1/D − 1/D² → (1/D)·(1 − 1/D)",
    example="3/(2+e^x)",
)
def factor_out(expr: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """a/D**m + b/D**(m + j) -> 1/D**m * (a + b/D**j): factor out the lowest common power."""
    scale, body = split_scale(expr, x)
    if not isinstance(body, sp.Add):
        return None
    terms = [evaluated(t) for t in body.args]
    lowest: dict[sp.Expr, sp.Expr] = {}
    for i, term in enumerate(terms):
        powers = {}
        for factor in sp.Mul.make_args(term):
            found = _negative_power(factor)
            if found is not None and found[0].has(x):
                powers[found[0]] = found[1]
        if i == 0:
            lowest = powers
        else:
            lowest = {b: min(n, powers[b]) for b, n in lowest.items() if b in powers}
    if not lowest:
        return None
    common = sp.Mul(*(b ** (-n) for b, n in lowest.items()))
    inside = add(*(evaluated(t / common) for t in terms))
    factors = [*(power(b, -n) for b, n in lowest.items()), inside]
    after = product(scale, *factors) if scale != 1 else product(*factors)
    return Rewrite(
        Rule.FACTOR,
        Words.plain("Factor"),
        words("Both terms share the factor {common}; take it out in front.", common=common),
        after,
    )
