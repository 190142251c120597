"""Named trigonometric and hyperbolic identities, and √(u²) = |u|: one rewrite each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import sympy as sp

from sigderiv.rules.rational import involves_ratio
from sigderiv.rules.special import real_valued

#: A left side built from one generator per function of the identity.
Side = Callable[..., sp.Expr]


@dataclass(frozen=True)
class Ratio:
    """k·lhs(h₁(u), h₂(u), …) → k·rhs(u) wherever k does not involve the functions h."""

    functions: tuple[type[sp.Function], ...]
    lhs: Side
    rhs: Callable[[sp.Expr], sp.Expr]


@dataclass(frozen=True)
class Swap:
    """pattern(h(u)) → replacement(u) throughout, e.g. tan²(u) → sec²(u) − 1."""

    function: type[sp.Function]
    pattern: Callable[[sp.Expr], sp.Expr]
    replacement: Callable[[sp.Expr], sp.Expr]


def _arguments(expr: sp.Expr, functions: tuple[type[sp.Function], ...]) -> list[sp.Expr]:
    found = {f.args[0] for f in expr.atoms(*functions) if len(f.args) == 1}
    return sorted(found, key=sp.default_sort_key)


def _top_down(node: sp.Expr, change: Callable[[sp.Expr], sp.Expr | None]) -> sp.Expr:
    new = change(node)
    if new is not None:
        return new
    if not node.args or isinstance(node, (sp.Derivative, sp.Subs)):
        return node
    args = [_top_down(a, change) for a in node.args]
    return node if args == list(node.args) else node.func(*args)


def apply_ratio(expr: sp.Expr, identity: Ratio) -> sp.Expr:
    """Replace every subexpression k·lhs(h(u)) by k·rhs(u), for each u the functions take."""
    for u in _arguments(expr, identity.functions):
        generators = [sp.Dummy("h") for _ in identity.functions]
        to_generators = {h(u): g for h, g in zip(identity.functions, generators, strict=True)}
        swapped = expr.xreplace(to_generators)
        if not all(swapped.has(g) for g in generators):
            continue
        lhs = identity.lhs(*generators)
        replaced = _replace_multiples(swapped, lhs, partial(identity.rhs, u), generators)
        if replaced is not swapped:  # built only when the identity was used
            expr = replaced.xreplace({g: h for h, g in to_generators.items()})
    return expr


def _replace_multiples(
    expr: sp.Expr, lhs: sp.Expr, rhs: Callable[[], sp.Expr], generators: list[sp.Dummy]
) -> sp.Expr:
    """Replace each outermost k·lhs, k free of the generators, by k·rhs(); ``expr`` itself
    when there is none.

    A part without one of the generators of lhs is no such multiple, nor a polynomial in a
    generator that lhs has in its denominator (sin/cos: a polynomial in cos is no k·sin/cos),
    nor one whose ratio to lhs keeps a generator as a rational function of its atoms:
    cancel, which costs many times more, is asked only about the rest, and it alone writes k.
    """
    needed = [g for g in generators if lhs.has(g)]
    denominator = sp.fraction(sp.together(lhs))[1]
    poles = [g for g in needed if denominator.has(g)]

    def change(node: sp.Expr) -> sp.Expr | None:
        if not (node.is_Mul or node.is_Add) or not all(node.has(g) for g in needed):
            return None
        if any(node.is_polynomial(g) for g in poles):
            return None  # k·P/Q with Q, prime to P, of degree ≥ 1 in g is no polynomial in g
        if involves_ratio(node, lhs, generators):
            return None
        ratio = sp.cancel(node / lhs)
        return None if ratio.has(*generators) else ratio * rhs()

    return _top_down(expr, change)


def apply_swap(expr: sp.Expr, identity: Swap) -> sp.Expr:
    """Replace pattern(h(u)) by replacement(u) for each u that h is applied to."""
    swaps = {
        identity.pattern(u): identity.replacement(u) for u in _arguments(expr, (identity.function,))
    }
    return expr.subs(swaps) if swaps else expr


def apply_swaps(expr: sp.Expr, *identities: Swap) -> sp.Expr:
    """The fewest operations of the swaps of one identity read either way."""
    forms = [apply_swap(expr, identity) for identity in identities]
    return min(forms, key=sp.count_ops)


def roots_of_squares(expr: sp.Expr) -> sp.Expr:
    """√(u²) → |u| and 1/√(u²) → 1/|u| for every real-valued u."""

    def change(node: sp.Expr) -> sp.Expr | None:
        if not (isinstance(node, sp.Pow) and abs(node.exp) == sp.S.Half):
            return None
        base = node.base
        if not (isinstance(base, sp.Pow) and base.exp == 2 and real_valued(base.base)):
            return None
        inner = _top_down(base.base, change)
        return sp.Abs(inner) if node.exp > 0 else 1 / sp.Abs(inner)

    return _top_down(expr, change)


def _y(u: sp.Expr) -> sp.Expr:
    return 2 * u


#: title → the identity; every trigonometric and hyperbolic identity a simplify step names.
RATIOS: dict[str, Ratio] = {
    "Use sin/cos = tan": Ratio((sp.sin, sp.cos), lambda s, c: s / c, sp.tan),
    "Use cos/sin = cot": Ratio((sp.sin, sp.cos), lambda s, c: c / s, sp.cot),
    "Use sinh/cosh = tanh": Ratio((sp.sinh, sp.cosh), lambda s, c: s / c, sp.tanh),
    "Use 2·sin(u)·cos(u) = sin(2u)": Ratio(
        (sp.sin, sp.cos), lambda s, c: 2 * s * c, lambda u: sp.sin(_y(u))
    ),
    "Use cos²(u) − sin²(u) = cos(2u)": Ratio(
        (sp.sin, sp.cos), lambda s, c: c**2 - s**2, lambda u: sp.cos(_y(u))
    ),
    "Use 2·sinh(u)·cosh(u) = sinh(2u)": Ratio(
        (sp.sinh, sp.cosh), lambda s, c: 2 * s * c, lambda u: sp.sinh(_y(u))
    ),
    "Use cosh²(u) + sinh²(u) = cosh(2u)": Ratio(
        (sp.sinh, sp.cosh), lambda s, c: c**2 + s**2, lambda u: sp.cosh(_y(u))
    ),
    "Use (1 − tan²(u))/(1 + tan²(u)) = cos(2u)": Ratio(
        (sp.tan,), lambda t: (1 - t**2) / (1 + t**2), lambda u: sp.cos(_y(u))
    ),
    "Use 2·tan(u)/(1 + tan²(u)) = sin(2u)": Ratio(
        (sp.tan,), lambda t: 2 * t / (1 + t**2), lambda u: sp.sin(_y(u))
    ),
    "Use 2·tan(u)/(1 − tan²(u)) = tan(2u)": Ratio(
        (sp.tan,), lambda t: 2 * t / (1 - t**2), lambda u: sp.tan(_y(u))
    ),
    "Use (1 − tanh²(u))/(1 + tanh²(u)) = 1/cosh(2u)": Ratio(
        (sp.tanh,), lambda t: (1 - t**2) / (1 + t**2), lambda u: 1 / sp.cosh(_y(u))
    ),
    "Use 2·tanh(u)/(1 + tanh²(u)) = tanh(2u)": Ratio(
        (sp.tanh,), lambda t: 2 * t / (1 + t**2), lambda u: sp.tanh(_y(u))
    ),
    "Use (1 + tanh²(u))/(1 − tanh²(u)) = cosh(2u)": Ratio(
        (sp.tanh,), lambda t: (1 + t**2) / (1 - t**2), lambda u: sp.cosh(_y(u))
    ),
}

#: title → the swaps that read one identity each way.
SWAPS: dict[str, tuple[Swap, ...]] = {
    "Use sin² + cos² = 1": (
        Swap(sp.sin, lambda u: sp.sin(u) ** 2, lambda u: 1 - sp.cos(u) ** 2),
        Swap(sp.cos, lambda u: sp.cos(u) ** 2, lambda u: 1 - sp.sin(u) ** 2),
    ),
    "Use cosh² − sinh² = 1": (
        Swap(sp.sinh, lambda u: sp.sinh(u) ** 2, lambda u: sp.cosh(u) ** 2 - 1),
        Swap(sp.cosh, lambda u: sp.cosh(u) ** 2, lambda u: 1 + sp.sinh(u) ** 2),
    ),
    "Use 1 + tan² = sec²": (Swap(sp.tan, lambda u: sp.tan(u) ** 2, lambda u: sp.sec(u) ** 2 - 1),),
    "Use 1/cos = sec": (Swap(sp.cos, lambda u: 1 / sp.cos(u), sp.sec),),
    "Use 1/sin = csc": (Swap(sp.sin, lambda u: 1 / sp.sin(u), sp.csc),),
}

#: title → the identity the swaps read, as the title names it: sin²(u) + cos²(u) = 1.
SWAP_IDENTITIES: dict[str, Callable[[sp.Symbol], sp.Basic]] = {
    "Use sin² + cos² = 1": lambda u: sp.Eq(sp.sin(u) ** 2 + sp.cos(u) ** 2, 1, evaluate=False),
    "Use cosh² − sinh² = 1": lambda u: sp.Eq(
        sp.Add(sp.cosh(u) ** 2, -(sp.sinh(u) ** 2), evaluate=False), 1, evaluate=False
    ),
    "Use 1 + tan² = sec²": lambda u: sp.Eq(1 + sp.tan(u) ** 2, sp.sec(u) ** 2, evaluate=False),
    "Use 1/cos = sec": lambda u: sp.Eq(1 / sp.cos(u), sp.sec(u), evaluate=False),
    "Use 1/sin = csc": lambda u: sp.Eq(1 / sp.sin(u), sp.csc(u), evaluate=False),
}

#: The trigonometric and the hyperbolic functions: an identity may bring in a sibling.
TRIG = (sp.sin, sp.cos, sp.tan)
HYPERBOLIC = (sp.sinh, sp.cosh, sp.tanh)
