"""Gather a product's base back into its power: (c·w)^n · c · w -> (c·w)^(n+1)."""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp

from sigderiv.expr.walk import distinct_nodes

__all__ = ["combine_powers", "gather_bases", "has_product_powers"]


def _gathered(product: sp.Mul) -> sp.Expr:
    """u^n·u·r -> u^(n+1)·r for the first power u^n whose base's factors all divide the rest.

    The base u is itself a product (c·(a + bx)^d): SymPy keeps u^n whole when n is not an
    integer, but spreads the u of the product rule's u′ into its factors, where powsimp does
    not see a power of u. Only bases of two factors or more: a lone u is powsimp's work.
    """
    factors = product.args
    for i, factor in enumerate(factors):
        if not (isinstance(factor, sp.Pow) and isinstance(factor.base, sp.Mul)):
            continue
        base, exponent = factor.base, factor.exp
        rest = sp.Mul(*factors[:i], *factors[i + 1 :])
        for k in (1, -1):  # u^n·u, or u^n/u
            left = rest * base ** (-k)
            if sp.count_ops(left) < sp.count_ops(rest) and not _left_over(left, base, k):
                return sp.Pow(base, exponent + k) * left
    return product


def _left_over(left: sp.Expr, base: sp.Mul, k: int) -> bool:
    """Whether a factor of ``base`` was not in the rest: ``left`` then holds it to the −k."""
    missing = {sp.Pow(f, -k) for f in base.args}
    return any(f in missing for f in sp.Mul.make_args(left))


def gather_bases(expr: sp.Expr) -> sp.Expr:
    """Every product u^n·u (u a product written out beside its power) written u^(n+1)."""
    if not has_product_powers(expr):
        return expr  # the common case, on every simplification: no tree rebuilt
    return expr.replace(lambda e: isinstance(e, sp.Mul), _gathered)


def has_product_powers(expr: sp.Expr) -> bool:
    """Whether ``expr`` holds a power of a product that SymPy keeps whole: (c·w)^n."""
    return any(isinstance(p.base, sp.Mul) for p in expr.atoms(sp.Pow))


def combine_powers(expr: sp.Expr) -> sp.Expr:
    """Return ``powsimp(gather_bases(expr))``; ``expr`` itself when there is nothing to combine.

    powsimp combines powers of one base (eˣ·eʸ, b·b^(1/2)), of a base and its negation
    ((x − 1)²·(1 − x)³), and bases under one exponent that is not an integer
    (√x·√(x + 1)); SymPy's product already adds integer exponents of one base, and a
    product under an integer power is multiplied out. Where none of these can apply it
    gives back what it was given, after asking SymPy's assumptions whether each base is
    nonnegative (a tenth of the identity search's time), so it is not asked: with integer
    exponents only and each exp alone in its product (:func:`_nothing_to_combine`), or with
    no exp and rational powers of distinct bases kept apart (:func:`_powers_apart`).
    """
    if _nothing_to_combine(expr) or _powers_apart(expr):
        return expr
    return sp.powsimp(gather_bases(expr))


def _nothing_to_combine(expr: sp.Expr) -> bool:
    """Whether every power has an integer exponent and a base not a product, every exp a
    variable exponent and no other exp in its product, and no product holds a base beside
    its negation.

    An exp alone in its product, e^(−x)·x/(1 + e^(−x))², has no other power of e to add its
    exponent to, and no base with an exponent like its own (see :func:`_exponentials_combine`).
    """
    if any(not p.exp.is_Integer or isinstance(p.base, sp.Mul) for p in expr.atoms(sp.Pow)):
        return False
    exponentials = expr.atoms(sp.exp)
    if any(e.args[0].is_number for e in exponentials):
        return False
    for product in expr.atoms(sp.Mul):
        if exponentials and _exponentials_combine(product):
            return False
        if _beside_its_negation(factor.as_base_exp()[0] for factor in product.args):
            return False
    return True


def _beside_its_negation(bases: Iterable[sp.Basic]) -> bool:
    """Whether a sum or a symbol among a product's ``bases`` stands beside its negation
    (powsimp joins (x − 1)² and (1 − x)³)."""
    signed = {b for b in bases if b.is_Add or b.is_Symbol}
    return any(-b in signed for b in signed)


def _exponentials_combine(product: sp.Mul) -> bool:
    """Whether powsimp would change a product beside an exp: two exps add their exponents, and
    a number and a sum, the only factors to the first power, are multiplied out when powsimp
    puts the factors of one exponent together: −(1 + e^(−x))/x → (−1 − e^(−x))/x.

    (Without an exp, :func:`_nothing_to_combine` has always let the second kind by.)
    """
    if sum(1 for factor in product.args if isinstance(factor, sp.exp)) > 1:
        return True
    first = [f for f in product.args if not (f.is_Pow or isinstance(f, sp.exp))]
    return len(first) == 2 and any(f.is_Number for f in first) and any(f.is_Add for f in first)


def _powers_apart(expr: sp.Expr) -> bool:
    """Whether powsimp gives ``expr`` back, its powers with rational exponents kept apart.

    Written from what powsimp (not deep) does, to skip its work where it changes nothing:
    it enters sums and products only, never a power's base nor a function's arguments. In
    each product (a lone power p is taken as p·y, y a new symbol) it adds the exponents of
    one base, joins b with −b and b with 1/b for b positive, joins bases under one exponent
    that is not an integer, and denests a power of a positive base. None of these applies
    when each factor is a number, a rational power of a sum or symbol not known positive,
    or any other part that is its own base, with distinct bases, no sum or symbol beside
    its negation and no two exponents alike but integers; and no exp to join.
    """
    if expr.has(sp.exp) or not expr.is_commutative:
        return False
    for node in distinct_nodes(expr, _sums_and_products):
        if node.is_Pow and not _apart_power(node):
            return False
        if node.is_Mul and not _apart_factors(node.args):
            return False
    return True


def _sums_and_products(node: sp.Basic) -> tuple[sp.Basic, ...]:
    """The parts powsimp enters: a sum's or a product's arguments, nothing else."""
    return tuple(node.args) if node.is_Add or node.is_Mul else ()


def _apart_power(power: sp.Pow) -> bool:
    """b^q, q rational, b a sum or a symbol not known positive: powsimp keeps it whole."""
    base = power.base
    return bool(
        power.exp.is_Rational
        and (base.is_Add or base.is_Symbol)
        and base.is_positive is not True
        and base.is_polar is not True
    )


def _apart_factors(factors: tuple[sp.Basic, ...]) -> bool:
    """Whether no two of a product's factors combine under powsimp (see _powers_apart)."""
    bases: list[sp.Basic] = []
    exponents: list[sp.Basic] = []
    firsts: list[sp.Basic] = []  # the factors to the first power
    coefficient = False
    for factor in factors:
        if factor.is_Rational:
            coefficient = True  # a base of its own beside the others
            continue
        if factor.is_Number:
            return False  # a float: 1.0 is a case of its own
        if factor.is_Pow:
            if not _apart_power(factor):
                return False
            base, exponent = factor.base, factor.exp
        else:
            base, exponent = factor.as_base_exp()
            if base is not factor:
                return False
            firsts.append(factor)
        bases.append(base)
        if not exponent.is_Integer:
            exponents.append(exponent)
    if len(set(bases)) < len(bases) or len(set(exponents)) < len(exponents):
        return False
    # powsimp multiplies the factors to the first power together: c·(a + b) alone is
    # multiplied out by SymPy's product, −y^(3/2)·(x + 1) comes back as y^(3/2)·(−x − 1)
    if coefficient and len(firsts) == 1 and firsts[0].is_Add:
        return False
    return not _beside_its_negation(bases)
