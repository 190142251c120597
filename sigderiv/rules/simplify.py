"""Named simplifications, shown as steps: factor out, combine, cancel, expand, identities."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from sigderiv.expr.build import tidy
from sigderiv.expr.functions import masked
from sigderiv.expr.gather import combine_powers
from sigderiv.expr.letters import equation
from sigderiv.expr.memory import remembered
from sigderiv.expr.trigsimp import trigsimp
from sigderiv.expr.walk import SLOW_TO_EVALUATE, evaluated, fewest_operations, has_type
from sigderiv.input.limits import MAX_EXPANDED_POWER
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.identities import (
    HYPERBOLIC,
    RATIOS,
    SWAP_IDENTITIES,
    SWAPS,
    TRIG,
    Ratio,
    Swap,
    apply_ratio,
    apply_swaps,
    roots_of_squares,
)
from sigderiv.rules.registry import Family, declaring
from sigderiv.rules.special import real_valued

_TRIG_LIKE = (TrigonometricFunction, HyperbolicFunction)


@dataclass(frozen=True)
class Transform:
    """One named SymPy simplification and the words that explain it."""

    title: str
    explanation: str
    apply: Callable[[sp.Expr, sp.Symbol], sp.Expr]
    only_with: tuple[type, ...] = ()
    prefer: int = 0  # operations it may cost over the others and still be chosen: products
    # Beyond this many operations the transform is not tried: factor and trigsimp grow
    # exponentially (trigsimp takes minutes on the derivative of sin nested 16 deep).
    max_ops: int = 400
    expands: bool = False  # multiplies powers out: not tried on (x + 1)**3000
    introduces: tuple[type, ...] = ()  # functions it may bring in: tan for sin/cos
    #: It may bring in the siblings of the functions there (sin, cos, tan for any of them;
    #: sinh, cosh, tanh for any of those) when they replace them: trigsimp writes
    #: (1 − tanh²(x/2))/(2·tanh(x/2)) as 1/sinh(x), but 1 − tanh²(u) stays beside tanh(u).
    siblings: bool = False
    #: The identity it uses, in the letters u, a, m, n: the title is then "Use <identity>",
    #: and the explanation may name it as {identity} and the letter u as {u}. Or what builds
    #: it when a step first says it: building the thirteen ratio identities took a
    #: twentieth of a second of every command's start.
    identity: sp.Basic | Callable[[], sp.Basic] | None = None

    def said(self) -> tuple[Words, Words]:
        """Return the title and the explanation, the identity's math in slots."""
        if self.identity is None:
            return Words.plain(self.title), Words.plain(self.explanation)
        identity = self.identity if isinstance(self.identity, sp.Basic) else self.identity()
        slots = {"identity": identity, "u": _U}
        return words("Use {identity}", **slots), words(self.explanation, **slots)


#: The letter of the identities.
_U = sp.Symbol("u")


def _family(functions: tuple[type, ...]) -> tuple[type, ...]:
    return TRIG if set(functions) <= set(TRIG) else HYPERBOLIC


def _ratio_identity(identity: Ratio) -> sp.Basic:
    """The ratio identity in the letter u: sin(u)/cos(u) = tan(u)."""
    lhs = identity.lhs(*(function(_U) for function in identity.functions))
    return equation(lhs, identity.rhs(_U))


def _ratio(title: str, identity: Ratio) -> Transform:
    return Transform(
        title,
        "The identity {identity} writes this part with fewer operations.",
        lambda e, x: apply_ratio(e, identity),
        identity.functions,
        max_ops=60,
        introduces=_family(identity.functions),
        identity=cache(partial(_ratio_identity, identity)),
    )


def _swap(title: str, identities: tuple[Swap, ...]) -> Transform:
    return Transform(
        title,
        "Replace with the identity {identity}; terms then combine.",
        lambda e, x: apply_swaps(e, *identities),
        tuple(i.function for i in identities),
        max_ops=60,
        identity=cache(partial(SWAP_IDENTITIES[title], _U)),
    )


_A, _M, _N = sp.symbols("a m n")
_ROOT_OF_SQUARE = equation(sp.sqrt(sp.Pow(_U, 2, evaluate=False), evaluate=False), sp.Abs(_U))


TRANSFORMS: tuple[Transform, ...] = (
    Transform(
        "Factor out the common factor",
        "Every term shares a factor; take it out in front of the bracket.",
        lambda e, x: sp.factor_terms(e, radical=True),
    ),
    Transform(
        "Collect the terms in the variable",
        "Gather the terms that share the same power of the variable.",
        lambda e, x: sp.collect(e, x),
    ),
    Transform(
        "Combine into one fraction",
        "Bring the terms over a common denominator and add them.",
        lambda e, x: _together(e),
        max_ops=150,
    ),
    Transform(
        "Expand",
        "Multiply out the brackets and collect like terms.",
        lambda e, x: sp.expand(e),
        max_ops=80,
        expands=True,
    ),
    Transform(
        "Cancel common factors",
        "Write the expression as one fraction and cancel what the numerator and the "
        "denominator have in common.",
        lambda e, x: sp.cancel(e),
        max_ops=150,
        expands=True,
    ),
    Transform(
        "Factor",
        "Factor the expression into a product.",
        lambda e, x: sp.factor(e),
        max_ops=80,
        expands=True,
    ),
    Transform(
        "Combine powers",
        "Combine powers of the same base: {identity}.",
        lambda e, x: combine_powers(e),
        identity=equation(
            sp.Mul(sp.Pow(_A, _M), sp.Pow(_A, _N), evaluate=False), sp.Pow(_A, _M + _N)
        ),
    ),
    Transform(
        "Use u·sign(u) = |u|",
        "For real {u}, {identity}: a number times its sign is its size.",
        lambda e, x: _sign_to_abs(e),
        (sp.sign,),
        identity=equation(sp.Mul(_U, sp.sign(_U), evaluate=False), sp.Abs(_U)),
    ),
    Transform(
        "Use √(u²) = |u|",
        "For real {u}, the square root of a square is the size: {identity}.",
        lambda e, x: roots_of_squares(e),
        (sp.Pow,),
        identity=_ROOT_OF_SQUARE,
        introduces=(sp.Abs,),
    ),
    Transform(
        "Factor the polynomial",
        "The expression is a polynomial in one function; factor it.",
        lambda e, x: _factor_polynomial(e, x),
        prefer=1,
        max_ops=80,
        expands=True,
    ),
    *(_ratio(title, identity) for title, identity in RATIOS.items()),
    *(_swap(title, identities) for title, identities in SWAPS.items()),
    Transform(
        "Simplify with trigonometric identities",
        "SymPy's trigsimp combines the trigonometric or hyperbolic functions with their "
        "identities.",
        lambda e, x: trigsimp(e),
        _TRIG_LIKE,
        max_ops=40,
        siblings=True,
    ),
)

#: The transforms that may multiply a numerator out while they do their own work.
_MAY_EXPAND = (
    "Collect the terms in the variable",
    "Combine into one fraction",
    "Cancel common factors",
    "Factor",
    "Factor the polynomial",
)


def honest(transform: Transform, before: sp.Expr, after: sp.Expr) -> tuple[Words, Words]:
    """Return the title and words of what ``transform`` did: Expand when it multiplied out."""
    if transform.title not in _MAY_EXPAND:
        return transform.said()
    top, bottom = (
        sp.fraction(_together(before)) if transform.title != "Factor" else sp.fraction(before)
    )
    new_top, new_bottom = sp.fraction(after)
    if new_bottom == bottom and new_top != top and sp.expand(top) == new_top:
        if new_bottom == 1:
            return Words.plain("Expand"), Words.plain(
                "Multiply out the brackets and collect like terms."
            )
        return Words.plain("Expand the numerator"), Words.plain(
            "Multiply out the numerator and collect like terms."
        )
    return transform.said()


@remembered
def _together(expr: sp.Expr) -> sp.Expr:
    """SymPy's together, once per expression in a derivation: the search and its words ask."""
    return sp.together(expr)


@remembered
def _operations(expr: sp.Expr) -> int:
    """SymPy's count_ops, once per expression in a derivation: one transform's result is
    often another's, and the next search's starting point."""
    return int(sp.count_ops(expr))


def _sign_to_abs(expr: sp.Expr) -> sp.Expr:
    """Replace u·sign(u) by |u| in every product, for real u (sign(u) = u/|u| otherwise)."""
    signs = [s for s in expr.atoms(sp.sign) if real_valued(s.args[0])]
    swaps = {s.args[0] * s: sp.Abs(s.args[0]) for s in signs}
    return expr.subs(swaps) if swaps else expr


def _positive_constant(factor: sp.Expr) -> bool:
    constant = factor.as_coeff_Add()[0]
    return not (isinstance(factor, sp.Add) and constant.is_negative)


def _signed_product(coefficient: sp.Expr, factors: list[tuple[sp.Expr, int]]) -> sp.Expr:
    """Return coefficient·∏ base^power with each sum written constant-first and positive."""
    kept: list[sp.Expr] = []
    for base, power in factors:
        if not _positive_constant(base) and power % 2 == 1:
            base, coefficient = -base, -coefficient
        kept.append(base**power)
    product = sp.Mul(*kept, evaluate=False)
    if coefficient == 1:
        return product
    if coefficient == -1:
        return sp.Mul(sp.S.NegativeOne, product, evaluate=False)
    return sp.Mul(coefficient, *kept, evaluate=False)


def _factor_polynomial(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """Factor a polynomial in one function g of x, writing factors as 1 − g, not g − 1."""
    generators = [g for g in expr.atoms(sp.Function) if g.has(x)]
    if len(generators) != 1 or not expr.is_polynomial(generators[0]):
        return expr
    if expr.xreplace({generators[0]: sp.Dummy()}).has(x):
        return expr  # x also stands outside g: not a polynomial in g alone
    whole = sp.factor_list(expr)
    common = sp.factor_terms(sp.expand(expr))
    coefficient, rest = common.as_coeff_Mul()
    partial = (coefficient, [(f, 1) for f in sp.Mul.make_args(rest)])
    forms = [_signed_product(c, list(f)) for c, f in (whole, partial)]
    return min(forms, key=sp.count_ops)


def _distributes(expr: sp.Expr) -> bool:
    """True for c·(a + b) with c a number: (3/x + 5/x²)/15 is no simpler than 1/(5x) + …"""
    numbers = [a for a in expr.args if a.is_Number]
    return len(expr.args) == 2 and len(numbers) == 1 and any(a.is_Add for a in expr.args)


def _kinds(expr: sp.Expr) -> set[type]:
    return {type(f) for f in expr.atoms(sp.Function)}


#: The families whose members a transform with ``siblings`` may trade for one another.
_SIBLINGS: tuple[frozenset[type], ...] = (
    frozenset({sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc}),
    frozenset({sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch}),
)


def _replaces(transform: Transform, value: sp.Expr, made: set[type], brought: set[type]) -> bool:
    """Whether the siblings a transform brought replace a ratio of those there.

    (1 − tanh²(u))/(2·tanh(u)) → 1/sinh(2u), but 1 − tanh²(u) stays as the table writes it,
    and so does what keeps tanh(u) beside the sibling: a backward pass reuses tanh(u).
    """
    family = set().union(*_SIBLINGS)
    kinds = _kinds(value)
    ratio = any(type(p.base) in family and p.exp.is_negative for p in value.atoms(sp.Pow))
    return (
        transform.siblings and ratio and brought <= _siblings(kinds) and not made & kinds & family
    )


def _siblings(kinds: set[type]) -> set[type]:
    """The trigonometric functions if one is there, the hyperbolic ones if one is there."""
    found: set[type] = set()
    for family in _SIBLINGS:
        if kinds & family:
            found |= family
    return found


def _of_letters(expr: sp.Expr) -> bool:
    """True for a function applied to letters only, cos(x): evaluated, it is itself, and
    it has one operation (a named function, none)."""
    return (
        isinstance(expr, sp.Function)
        and type(expr).doit is sp.Basic.doit
        and all(isinstance(a, sp.Symbol) for a in expr.args)
    )


def _linear_in_letters(expr: sp.Expr) -> bool:
    """True for a + b·g + c·h + … with a, b, c numbers and g, h letters or functions of letters.

    The algebraic transforms (those asked of any expression) leave such a sum as it is or
    take a number out, c·(a/c + …), which SymPy multiplies out again: none is shorter.
    """
    if not isinstance(expr, sp.Add):
        return False
    for term in expr.args:
        if term.is_Number:
            continue
        coefficient, rest = term.as_coeff_Mul()
        if not coefficient.is_Rational or not (isinstance(rest, sp.Symbol) or _of_letters(rest)):
            return False
    return True


def _candidates(
    expr: sp.Expr, x: sp.Symbol, allowed: set[type]
) -> list[tuple[int, int, Transform, sp.Expr]]:
    found: list[tuple[int, int, Transform, sp.Expr]] = []
    traded: list[tuple[int, int, Transform, sp.Expr]] = []  # those that bring in a sibling
    expr, back = masked(expr)
    if fewest_operations(expr) > max(t.max_ops for t in TRANSFORMS):
        return []  # more operations than any transform takes on, without counting them all
    # Counted as SymPy writes it: the form a step shows may hold factors of one and zeros.
    value = evaluated(expr)
    ops = _operations(value)
    if ops <= 1:
        return []  # only an atom has fewer operations, and SymPy leaves no f(x) equal to one
    big_powers = any(
        p.exp.is_Integer and abs(p.exp) > MAX_EXPANDED_POWER for p in value.atoms(sp.Pow)
    )
    kinds = _kinds(value)
    linear = _linear_in_letters(value)
    for order, transform in enumerate(TRANSFORMS):
        if transform.only_with and not value.has(*transform.only_with):
            continue
        if linear and not transform.only_with:
            continue  # an algebraic transform gives a linear sum back (_linear_in_letters)
        if ops > transform.max_ops or (transform.expands and big_powers):
            continue
        try:
            result = transform.apply(value, x)
        except (sp.PolynomialError, TypeError, ValueError, NotImplementedError):
            continue
        if result == value:
            continue
        made = _kinds(result)
        brought = made - (kinds | allowed | set(transform.introduces))
        if brought and not _replaces(transform, value, made, brought):
            continue
        cost = _operations(result)
        # Opening a product up is worth it only for a real gain: products are what a
        # backward pass reuses, and what a reader can check factor by factor.
        opens = isinstance(value, sp.Mul) and not isinstance(result, sp.Mul)
        needed = ops - 1 if opens and not transform.prefer else ops
        done = result.doit()
        if done == value and (not isinstance(result, sp.Mul) or _distributes(result)):
            continue  # only the form changed, into one that SymPy multiplies out again
        if cost < needed or (transform.prefer and cost <= ops and done != value):
            chosen = traded if brought else found
            chosen.append((cost - transform.prefer, order, transform, result.xreplace(back)))
    # a sibling brought in is the last resort: a named identity, when one applies, comes first
    return sorted(found or traded, key=lambda item: (item[0], -item[2].prefer, item[1]))


@declaring(
    "simplify",
    "Simplify",
    name="simplifying",
    family=Family.ALGEBRA,
    rewrite="one named SymPy transform: factor out the common factor, collect in x, combine "
    "into one fraction, expand, cancel, factor, combine powers, u·sign(u) = |u|, √(u²) = |u|, "
    "factor a polynomial in one function, a named trigonometric or hyperbolic identity "
    "(sin/cos = tan, 2·sin(u)·cos(u) = sin(2u), sin² + cos² = 1, …)",
    when="chosen only when it lowers the operation count and brings in no function the input "
    "did not have (an identity may bring in a sibling: tan for sin/cos, cosh for tanh)",
    example="softsign",
)
def simplify_once(expr: sp.Expr, x: sp.Symbol, allowed: set[type] | None = None) -> Rewrite | None:
    """expr -> the simplest result of one named transform, when it has fewer operations."""
    if has_type(expr, SLOW_TO_EVALUATE):  # expr.has, each shared subtree looked at once
        return None  # SymPy's transforms try to evaluate a Sum to a symbolic bound, for minutes
    if _of_letters(expr):
        return None  # one operation: no transform is asked (see _candidates), nothing counted
    for _, _, transform, result in _candidates(expr, x, allowed or set()):
        shown = tidy(result)
        if shown == expr:
            continue  # the form it was given back, e.g. σ(−(b + wx)) that SymPy writes σ(−b − wx)
        title, explanation = honest(transform, evaluated(expr), result)
        # what it gives is the step's own equation, shown right below
        return Rewrite(Rule.SIMPLIFY, title, explanation, shown)
    return None


def roots_first(start: sp.Expr) -> Rewrite | None:
    """d/dx √(u²) -> d/dx |u| for real u: the function written simpler before differentiating."""
    if not isinstance(start, sp.Derivative):
        return None
    function = start.expr
    simpler = roots_of_squares(function)
    if simpler == function:
        return None
    return Rewrite(
        Rule.SIMPLIFY,
        words("Use {identity}", identity=_ROOT_OF_SQUARE),
        words(
            "For real {u}, {identity}: write {function} as {simpler} before differentiating.",
            u=_U,
            identity=_ROOT_OF_SQUARE,
            function=function,
            simpler=simpler,
        ),
        sp.Derivative(simpler, *start.variable_count, evaluate=False),
    )
