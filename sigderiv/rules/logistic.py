"""Identities of the logistic sigmoid: ratios of exponentials as σ, and σ(u) + σ(−u) = 1."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from sigderiv.expr.build import tidy
from sigderiv.expr.functions import masked, sigma
from sigderiv.expr.letters import equation
from sigderiv.expr.walk import evaluated, has_type
from sigderiv.model.steps import Rule
from sigderiv.model.words import listed, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Family, declaring

#: The letters of the identities as the titles state them.
_U, _V = sp.symbols("u v")

#: eᵘ/(eᵘ + eᵛ) = σ(u − v), eᵘ/(1 + eᵘ) = σ(u) and 1/(1 + eᵘ) = σ(−u): what a pairing used.
TWO_EXPONENTIALS = equation(sp.exp(_U) / (sp.exp(_U) + sp.exp(_V)), sigma(_U - _V))
ONE_PLUS_EXPONENTIAL = equation(sp.exp(_U) / (1 + sp.exp(_U)), sigma(_U))
LEFT_OVER = equation(1 / (1 + sp.exp(_U)), sigma(-_U))

#: σ(u) + σ(−u) = 1, the identity of the complement.
COMPLEMENT = equation(sp.Add(sigma(_U), sigma(-_U), evaluate=False), sp.S.One)


def _exponent(term: sp.Expr) -> sp.Expr | None:
    """Return w for a term e^w, 0 for the term 1 (= e^0), None for anything else."""
    if term == 1:
        return sp.S.Zero
    if isinstance(term, sp.exp):
        return term.args[0]
    return None


def _exponents(base: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
    """Return (p, q) when ``base`` is e^p + e^q (one of them may be 1 = e^0), else None."""
    if not (isinstance(base, sp.Add) and len(base.args) == 2):
        return None
    p, q = (_exponent(t) for t in base.args)
    if p is None or q is None:
        return None
    return (q, p) if p == 0 else (p, q)  # the exponential first: 1 + e^w is (w, 0)


@dataclass(frozen=True)
class _Pairing:
    """One use of e^p/(e^p + e^q) = σ(p − q): the written part and σ."""

    written: sp.Expr
    named: sp.Expr
    identity: sp.Basic
    exponents: tuple[sp.Expr, sp.Expr]


def _split(exponent: sp.Expr, p: sp.Expr, q: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
    """Return (paired, rest) with e^exponent = e^paired·e^rest, paired ∈ {p, q}, or None.

    The rest is 0, or the other exponent of the sum, or the paired one again (e^(2p)), so
    that what is left can pair with the next power of the denominator.
    """
    for paired in (p, q):
        if paired == 0:
            continue  # 1 pairs with what is left over, never with an exponential
        rest = sp.expand(exponent - paired)
        if rest == 0 or rest in (p, q):
            return paired, rest
    return None


def _pair_product(factors: list[sp.Expr], found: list[_Pairing]) -> list[sp.Expr] | None:
    """Pair one exponential factor with one power of an e^p + e^q in the denominator."""
    for i, factor in enumerate(factors):
        if not (isinstance(factor, sp.Pow) and factor.exp.is_Integer and factor.exp < 0):
            continue
        sides = _exponents(factor.base)
        if sides is None:
            continue
        p, q = sides
        for j, other in enumerate(factors):
            if j == i or not isinstance(other, sp.exp):
                continue
            split = _split(other.args[0], p, q)
            if split is None:
                continue
            paired, rest = split
            unpaired = q if paired == p else p
            named = sigma(paired - unpaired)
            identity = ONE_PLUS_EXPONENTIAL if unpaired == 0 else TWO_EXPONENTIALS
            found.append(_Pairing(sp.exp(paired) / factor.base, named, identity, sides))
            kept = [f for k, f in enumerate(factors) if k not in (i, j)]
            return [*kept, named, factor.base ** (factor.exp + 1), sp.exp(rest)]
        if q == 0:  # nothing to pair: 1/(1 + e^p)^n = σ(−p)^n
            named = sigma(-p)
            found.append(_Pairing(1 / factor.base, named, LEFT_OVER, sides))
            kept = [f for k, f in enumerate(factors) if k != i]
            return [*kept, named ** (-factor.exp)]
    return None


def _paired(expr: sp.Expr, found: list[_Pairing]) -> sp.Expr:
    """Pair every exponential with the sums of exponentials it divides, bottom up."""
    if not expr.args or isinstance(expr, (sp.Derivative, sp.Subs)):
        return expr
    args = [_paired(a, found) for a in expr.args]
    node = expr.func(*args) if args != list(expr.args) else expr
    if not (isinstance(node, sp.Mul) and any(isinstance(f, sp.exp) for f in node.args)):
        return node
    factors = list(node.args)
    count = len(found)
    for _ in range(8):  # one pairing per power of the denominator
        more = _pair_product(factors, found)
        if more is None:
            break
        factors = more
    return sp.Mul(*factors) if len(found) > count else node


@declaring(
    "exp_ratio",
    "Write a ratio of exponentials with σ",
    name="writing a ratio of exponentials with σ",
    family=Family.ALGEBRA,
    rewrite="eᵘ/(eᵘ + eᵛ) → σ(u − v) and eᵘ/(1 + eᵘ) → σ(u), one power of the denominator "
    "at a time; what is left of 1/(1 + eᵘ) → σ(−u)",
    when="eᵃ/(eᵃ + eᵇ) → σ(a − b), e^(a+b)/(eᵃ + eᵇ)² → σ(a − b)·σ(b − a)",
    example="log(exp(x)+exp(y))",
)
def exp_ratio(expr: sp.Expr) -> Rewrite | None:
    """k·e^p·(e^p + e^q)^(−n) -> k·σ(p − q)·(e^p + e^q)^(−(n−1)), until no pair is left."""
    if not has_type(expr, sp.exp):
        return None
    value, back = masked(evaluated(expr))  # never into a named function's own definition
    if not has_type(value, sp.exp):
        return None
    found: list[_Pairing] = []
    after = _paired(value, found)
    # A product that only named the leftover 1/(1 + eᵘ) is the substitution's own work; one
    # that leaves an e^(±p) behind is half written in σ: solving for e^p does better there.
    if not any(p.identity is not LEFT_OVER for p in found) or after == value:
        return None
    used = {s * e for p in found for e in p.exponents for s in (1, -1) if e != 0}
    if any(e.args[0] in used for e in after.atoms(sp.exp)):
        return None
    identities = list(dict.fromkeys(p.identity for p in found))
    pairs = list(dict.fromkeys((p.named, p.written) for p in found))
    title = words("Use {identity}", identity=identities[0])
    for identity in identities[1:]:
        title = title + words(" and {identity}", identity=identity)
    return Rewrite(
        Rule.EXP_RATIO,
        title,
        words(
            "Split the denominator's powers and pair each with an exponential of the "
            "numerator; each pair is a sigmoid: {said}.",
            said=listed([equation(w, n) for n, w in pairs], "; ", "definition"),
        ),
        tidy(after.xreplace(back)),
    )


def _arguments(expr: sp.Expr) -> list[sp.Expr]:
    """Return each u, written without a leading minus, with both σ(u) and σ(−u) in ``expr``."""
    found = {s.args[0] for s in expr.atoms(sigma)}
    both = {u for u in found if -u in found and not u.could_extract_minus_sign()}
    return sorted(both, key=sp.default_sort_key)


def _distributed(expr: sp.Expr, negative: sp.Expr, complement: sp.Expr) -> sp.Expr:
    """In every sum, c·σ(−u) -> c − c·σ(u), so that like terms combine; elsewhere σ(−u)."""

    def walk(node: sp.Expr) -> sp.Expr:
        if node == negative:
            return complement
        if not node.args or isinstance(node, (sp.Derivative, sp.Subs)):
            return node
        if isinstance(node, sp.Add):
            terms = []
            for term in node.args:
                coefficient = term / negative
                if term.has(negative) and not coefficient.has(negative):
                    terms.append(walk(coefficient) * complement)
                else:
                    terms.append(walk(term))
            return sp.expand(sp.Add(*terms), deep=False, power_exp=False, log=False)
        return node.func(*(walk(a) for a in node.args))

    return walk(expr)


def _complemented(expr: sp.Expr) -> tuple[sp.Expr, list[sp.Expr]]:
    """σ(−u) -> 1 − σ(u) wherever σ(u) is also there; return the result and each u."""
    changed = []
    for u in _arguments(expr):
        negative, complement = sigma(-u), 1 - sigma(u)
        forms = [expr.xreplace({negative: complement}), _distributed(expr, negative, complement)]
        expr = min(forms, key=sp.count_ops)
        changed.append(u)
    return expr, changed


def _reversed(expr: sp.Expr) -> tuple[sp.Expr, list[sp.Expr]]:
    """c + k·σ(−u) -> c·σ(u) for k = −c = ±1: 1 − σ(−u) = σ(u), σ(−u) − 1 = −σ(u).

    Only where no other σ(−u) is left: σ(−u)(1 − σ(−u)) stays in the one argument −u.
    """
    changes: dict[sp.Expr, sp.Expr] = {}
    arguments: list[sp.Expr] = []
    for node in sorted(expr.atoms(sp.Add), key=sp.default_sort_key):
        constant, term = node.as_coeff_Add()
        named = term / -constant if constant in (1, -1) else None
        if not (isinstance(named, sigma) and named.args[0].could_extract_minus_sign()):
            continue
        u = -named.args[0]
        if expr.xreplace({node: sp.Dummy()}).has(named):
            continue  # another σ(−u) stays: the expression keeps the one argument −u
        changes[node] = constant * sigma(u)
        arguments.append(u)
    return (expr.xreplace(changes), arguments) if changes else (expr, [])


#: The two readings of σ(u) + σ(−u) = 1 and what each says.
_READINGS: tuple[tuple[Callable[[sp.Expr], tuple[sp.Expr, list[sp.Expr]]], str], ...] = (
    (
        _complemented,
        "Since {identity}, {complement}: with one argument the expression is written in "
        "{named} alone, and like terms can combine.",
    ),
    (_reversed, "Since {identity}, {complement}: the complement is the sigmoid of {u}."),
)


@declaring(
    "sigma_complement",
    "Use σ(u) + σ(−u) = 1",
    name="the complement of the sigmoid",
    family=Family.ALGEBRA,
    rewrite="σ(−u) → 1 − σ(u) where σ(u) is also there (in a sum c·σ(−u) → c − c·σ(u)); "
    "1 − σ(−u) → σ(u) where no σ(−u) is left",
    when="σ(z) − y·σ(z) − y·σ(−z) → σ(z) − y, σ(z)·σ(−z) → σ(z)(1 − σ(z)), σ(−z) − 1 → −σ(z)",
    example="log(1+exp(x)) + log(1+exp(-x))",
)
def sigma_complement(expr: sp.Expr) -> Rewrite | None:
    """σ(−u) -> 1 − σ(u) when σ(u) is also there; 1 − σ(−u) -> σ(u): one σ per argument."""
    if not has_type(expr, sigma):
        return None
    value, back = masked(evaluated(expr))
    for reading, explanation in _READINGS:
        after, arguments = reading(value)
        if not arguments or after == value:
            continue
        u = arguments[0]
        complement = (
            equation(sigma(-u), 1 - sigma(u))
            if reading is _complemented
            else equation(1 - sigma(-u), sigma(u))
        )
        return Rewrite(
            Rule.SIGMA_COMPLEMENT,
            words("Use {identity}", identity=COMPLEMENT),
            words(explanation, identity=COMPLEMENT, complement=complement, named=sigma(u), u=u),
            tidy(after.xreplace(back)),
        )
    return None
