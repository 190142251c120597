"""Rewrites of one derivative proven in general: each part a rule leaves an unknown function."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from sigderiv.engine.verify import _checked, _done, _proven_exactly
from sigderiv.expr.build import function
from sigderiv.expr.functions import write_out
from sigderiv.expr.points import at, close, spread
from sigderiv.expr.walk import distinct_nodes, evaluated, names_in
from sigderiv.input.limits import MAX_EXPANDED_POWER
from sigderiv.model.steps import Check, CheckStatus

#: Functions whose derivative SymPy takes differently when the variable is real (d|x|/dx).
_REAL_SENSITIVE: tuple[type[sp.Basic], ...] = (
    sp.Abs,
    sp.sign,
    sp.re,
    sp.im,
    sp.arg,
    sp.conjugate,
    sp.Piecewise,
    sp.Heaviside,
    sp.Min,
    sp.Max,
    sp.floor,
    sp.ceiling,
    sp.core.relational.Relational,
)


#: A rewrite that leaves more parts than this to differentiate is first proven directly.
_MANY_PARTS = 8


def _pending(result: sp.Expr) -> set[sp.Derivative]:
    """Return the pending derivatives of a rule's result, outside function applications.

    A rule leaves them in sums, products, powers and pieces: f'(w)·dw/dx. Not looking
    inside f'(w) keeps the search the size of the rule, not of w; a derivative missed
    there is only proven with its part written out, which is as sound and a little slower.
    """
    return {
        node
        for node in distinct_nodes(result, _outside_applications)
        if isinstance(node, sp.Derivative)
    }


def _outside_applications(node: sp.Basic) -> tuple[sp.Basic, ...]:
    """The parts :func:`_pending` looks in: none of a derivative or a function's application
    (a piecewise's pieces, yes)."""
    if isinstance(node, sp.Derivative):
        return ()
    if not isinstance(node, sp.Function) or isinstance(node, sp.Piecewise):
        return tuple(node.args)
    return ()


def _elementary(expr: sp.Expr) -> bool:
    """Whether every function in ``expr`` is one of SymPy's elementary functions."""
    return all(
        type(f).__module__.startswith("sympy.functions.elementary") for f in expr.atoms(sp.Function)
    )


def _false_for_one(left: sp.Expr, right: sp.Expr) -> bool:
    """Whether the general identity ``left = right`` fails for some values of V(x) and V′(x).

    At any point a differentiable V can take any value and any slope, so an identity that
    holds for every V holds with each V(x) and each derivative of it a number of its own.
    One that fails at a sample point so holds for no proof, and the exact routes need not be
    tried (the step's own check follows). False when nothing is learnt.
    """
    unknowns = {
        node: sp.Dummy("v")
        for side in (left, right)
        for node in side.atoms(sp.Derivative, AppliedUndef)
        if isinstance(node, AppliedUndef) or isinstance(node.expr, AppliedUndef)
    }
    a, b = left.xreplace(unknowns), right.xreplace(unknowns)
    if a.has(sp.Derivative, AppliedUndef) or b.has(sp.Derivative, AppliedUndef):
        return False  # a V inside something else that it stands for: nothing is learnt
    if not all(_elementary(side) for side in (a, b)):
        return False  # 30 digits of an elliptic integral may take longer than the routes
    symbols = a.free_symbols | b.free_symbols
    for row in range(2):
        sample = spread(symbols, row)
        one, other = at(a, sample), at(b, sample)
        if one is not None and other is not None and not close(one, other):
            return True
    return False


#: The method of a rewrite proven by :func:`_by_chain_rule`.
CHAIN_RULE_PROOF = "general (chain rule on a polynomial)"


@lru_cache(maxsize=64)
def _ring_symbols(n: int) -> tuple[sp.Dummy, ...]:
    """The 2n + 1 generators' names of :func:`_by_chain_rule`'s ring for n parts.

    Only names: the expressions are mapped to the generators by position. The same names
    for the same n let SymPy keep the ring it built (it writes and compiles code for its
    monomials, longer the more generators) instead of building one for every proof.
    """
    return (
        sp.Dummy("x"),
        *(sp.Dummy(f"a{i}") for i in range(n)),
        *(sp.Dummy(f"d{i}") for i in range(n)),
    )


def _by_chain_rule(x: sp.Symbol, u: sp.Expr, result: sp.Expr, parts: list[sp.Expr]) -> bool:
    """True when ``result`` = d/dx ``u`` for u a polynomial P(x, v₁, …, vₙ) of the ``parts``.

    Each part vᵢ is a generator aᵢ and its pending derivative d/dx vᵢ a generator dᵢ of one
    polynomial ring over ℚ. For every differentiable v, d/dx P(x, v) = ∂P/∂x + Σ ∂P/∂aᵢ·vᵢ′
    (the chain rule), so ``result`` written as a polynomial Q(x, a, d) equal to that one
    proves the rewrite for all v: d/dx of a product of n parts costs n monomials, where
    SymPy's ``diff`` multiplies the n terms out factor by factor. False when either side is
    not such a polynomial (a function of x outside the parts, a negative power, a float).
    """
    from sympy.polys.domains import QQ
    from sympy.polys.rings import ring

    n = len(parts)
    symbols = _ring_symbols(n)
    polys, *gens = ring(symbols, QQ)
    index: dict[sp.Basic, int] = {x: 0}
    for i, part in enumerate(parts):
        index[part] = 1 + i
        index[sp.Derivative(part, x)] = 1 + n + i
    named: dict[sp.Basic, object] = {node: gens[i] for node, i in index.items()}
    memo: dict[sp.Basic, object] = {}

    def product(factors: tuple[sp.Basic, ...]) -> Any:
        """One monomial for the generators and numbers among ``factors``, times the rest:
        a term of n factors costs one exponent vector, not n products of whole monomials."""
        exponents = [0] * len(symbols)
        coefficient = QQ.one
        value = None
        for factor in factors:
            if not factor.is_Pow and factor in index:  # a generator to the first power
                exponents[index[factor]] += 1
                continue
            base, power = (factor.base, factor.exp) if factor.is_Pow else (factor, sp.S.One)
            if base in index and power.is_Integer and 0 <= power <= MAX_EXPANDED_POWER:
                exponents[index[base]] += int(power)
            elif factor.is_Rational:
                coefficient *= QQ(int(factor.p), int(factor.q))
            else:
                value = convert(factor) if value is None else value * convert(factor)
        term = polys.term_new(tuple(exponents), coefficient)
        return term if value is None else term * value

    def convert(node: sp.Basic) -> Any:
        if node in named:
            return named[node]
        if node in memo:
            return memo[node]
        if isinstance(node, sp.UnevaluatedExpr):
            value = convert(node.args[0])
        elif node.is_Rational:
            value = polys(QQ(int(node.p), int(node.q)))
        elif node.is_Add:
            value = polys.zero
            for term in node.args:
                value += convert(term)
        elif node.is_Mul:
            value = product(node.args)
        elif node.is_Pow and node.exp.is_Integer and 0 <= node.exp <= MAX_EXPANDED_POWER:
            value = convert(node.base) ** int(node.exp)
        else:
            raise ValueError(node)
        memo[node] = value
        return value

    try:
        p, q = convert(u), convert(result)
    except ValueError:
        return False
    # generators by their index: the ring finds a generator given itself by comparing it
    # with each of its 2n + 1 generators in turn
    if any(p.degree(1 + n + i) > 0 for i in range(n)):
        return False  # u itself has pending derivatives: not a polynomial in the parts alone
    chain = p.diff(0)
    for i in range(n):
        chain += p.diff(1 + i) * gens[1 + n + i]
    return bool(chain == q)


def _other_powers(
    sides: tuple[sp.Expr, sp.Expr], parts: set[sp.Expr]
) -> dict[sp.Expr, dict[sp.Expr, int]]:
    """For each part b^e, the other powers b^(k·e) on either side (k an integer): b^(k·e) =
    (b^e)^k.

    An identity for any b and e, the principal power taken (e^(k·e·log b) is the k-th power
    of e^(e·log b)), so such a power may stand as the k-th power of the part's unknown.
    """
    bases: dict[sp.Expr, list[sp.Expr]] = {}
    for part in parts:
        if part.is_Pow:
            bases.setdefault(part.base, []).append(part)
    if not bases:
        return {}
    found: dict[sp.Expr, dict[sp.Expr, int]] = {}
    for node in sides[0].atoms(sp.Pow) | sides[1].atoms(sp.Pow):
        for part in bases.get(node.base, ()):
            k = node.exp / part.exp
            if node != part and k.is_Integer:
                found.setdefault(part, {})[node] = int(k)
    return found


def check_rewrite(
    derivative: sp.Derivative,
    result: sp.Expr,
    proven: dict[tuple[sp.Expr, sp.Expr], Check | None] | None = None,
) -> Check | None:
    """Prove d/dx(u) = result in general, or return None when that proof does not go through.

    Each part of u that ``result`` still differentiates (the v in a pending d/dx v) is
    replaced on both sides by an unknown function V(x). An identity that holds for every
    differentiable V holds for v, so the proof costs the size of the rule's shape, not the
    size of u: d/dx sin(w) = cos(w)·dw/dx is checked once, however large w is. By
    substitution of equals the step on the whole expression is then proven too. ``proven``
    keeps the general identities proven so far: sin nested n deep needs one proof, not n.
    """
    started = time.perf_counter()
    (x,) = derivative.variables
    u = derivative.expr
    pending = {
        d.expr
        for d in _pending(result)
        if d.variables == (x,) and d.expr != x and x.name in names_in(d.expr)
    }
    powers = _other_powers((u, result), pending)
    parts = sorted(
        {part for part in pending if u.has(part, *powers.get(part, ()))},
        key=sp.default_sort_key,
    )
    # many parts (x + 1, x + 2, ...: a long product): the chain rule in a polynomial ring,
    # else SymPy differentiates the plain parts, faster than as many unknown functions
    if len(parts) > _MANY_PARTS and _by_chain_rule(x, u, result, parts):
        return Check(CheckStatus.VERIFIED, CHAIN_RULE_PROOF, time.perf_counter() - started)
    if (
        len(parts) > _MANY_PARTS
        and not any(side.has(*_REAL_SENSITIVE) for side in (u, result))
        and evaluated(write_out(derivative)) == evaluated(write_out(result))
    ):
        return Check(CheckStatus.VERIFIED, "structural", time.perf_counter() - started)
    unknowns = {part: function(f"V{i}")(x) for i, part in enumerate(parts)}
    # the other integer multiples of a part's exponent, in that part's unknown: x/√(x² + 1)
    # holds (x² + 1)^(−1/2), which is 1/V for V = √(x² + 1)
    within = {
        power: unknowns[part] ** k for part in parts for power, k in powers.get(part, {}).items()
    } | unknowns
    general = (
        sp.Derivative(u.xreplace(within), x, evaluate=False),
        result.xreplace(within),
    )
    if proven is not None and general in proven:
        return proven[general]
    if any(side.has(*_REAL_SENSITIVE) for side in general):
        left, right = (_checked(side) for side in general)
    else:  # nothing here differentiates differently for real x: no need to rebuild in it
        left, right = (_done(write_out(side)) for side in general)
    # the cheapest route first: a true identity (σ′ = σ(1 − σ)) needs no sampling for refuting
    method = _proven_exactly(left, right, lambda: _false_for_one(left, right))
    check = (
        None
        if method is None
        else Check(CheckStatus.VERIFIED, f"general ({method})", time.perf_counter() - started)
    )
    if proven is not None:
        proven[general] = check
    return check
