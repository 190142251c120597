"""Exact zero tests by rational functions: of a difference's atoms, and modulo sin² + cos² = 1."""

from __future__ import annotations

import math
from collections.abc import Callable

import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from sigderiv.expr.walk import distinct_nodes
from sigderiv.rules.rational import (
    as_rational_function,
    as_rational_functions,
    nonzero_somewhere,
)

#: Beyond this many operations a difference is not written in sines and cosines: the
#: expansion of multiple angles grows with the powers, and simplify, bounded, comes next.
MAX_OPS = 60

#: tan, cot, sec, csc and their hyperbolic siblings as ratios of the two generators.
_AS_RATIOS: dict[type[sp.Function], Callable[[sp.Expr], sp.Expr]] = {
    sp.tan: lambda u: sp.sin(u) / sp.cos(u),
    sp.cot: lambda u: sp.cos(u) / sp.sin(u),
    sp.sec: lambda u: 1 / sp.cos(u),
    sp.csc: lambda u: 1 / sp.sin(u),
    sp.tanh: lambda u: sp.sinh(u) / sp.cosh(u),
    sp.coth: lambda u: sp.cosh(u) / sp.sinh(u),
    sp.sech: lambda u: 1 / sp.cosh(u),
    sp.csch: lambda u: 1 / sp.sinh(u),
}

#: (s, c, relation(s, c) that is 0): sin² + cos² − 1 and cosh² − sinh² − 1.
_PAIRS: tuple[tuple[type[sp.Function], type[sp.Function], Callable[..., sp.Expr]], ...] = (
    (sp.sin, sp.cos, lambda s, c: s**2 + c**2 - 1),
    (sp.sinh, sp.cosh, lambda s, c: c**2 - s**2 - 1),
)


def rational_zero(difference: sp.Expr) -> sp.Expr:
    """Return 0 when ``difference`` is the zero rational function of its atoms, else itself.

    Each part that is not built by +, · and integer powers (e^(−x), sin x, √x) is replaced
    by a symbol, the same part by the same symbol; a rational function of those symbols
    that is identically zero stays zero whatever they stand for, so this is a proof. It is
    a sufficient test only (e^x·e^(−x) = 1 needs the next routes), and a cheap one: SymPy's
    ``cancel`` treats e^(−x) as a power of e^x, which costs it several times more.
    """
    if nonzero_somewhere(difference):
        return difference  # not 0 at a point: no field to build to learn it is not zero
    value = as_rational_function(difference)
    return sp.Integer(0) if value is not None and not value.numer else difference


def _in_one_angle(difference: sp.Expr) -> sp.Expr:
    """Return ``difference`` with x = q·w when every angle is a rational multiple of one x.

    tanh(x/2) and cosh(x) become tanh(w) and cosh(2w), which the expansion of multiple
    angles then relates; q is the least common denominator of the multiples, and x = q·w
    is a change of variable: the difference is 0 for every x exactly when it is for every w.
    """
    angles = {f.args[0] for f in difference.atoms(TrigonometricFunction, HyperbolicFunction)}
    multiples = [angle.as_coeff_Mul() for angle in angles]
    symbols = {rest for _, rest in multiples}
    if len(symbols) != 1 or not all(c.is_Rational for c, _ in multiples):
        return difference
    (symbol,) = symbols
    q = math.lcm(*(int(c.q) for c, _ in multiples))
    if not isinstance(symbol, sp.Symbol) or q == 1:
        return difference
    return difference.xreplace({symbol: q * sp.Dummy("w", real=symbol.is_real)})


def pythagorean_zero(difference: sp.Expr) -> sp.Expr:
    """Return 0 when ``difference`` is 0 in sines and cosines by sin² + cos² = 1, else itself.

    Multiple angles and sums in the arguments are expanded (sin 2u = 2·sin u·cos u), tan,
    sec, ... written as ratios of sin and cos (tanh, sech, ... of sinh and cosh), and for
    each argument u, sin u and cos u become symbols s and c, every other part a symbol as
    in :func:`rational_zero`. The numerator of the rational function that results is
    reduced modulo s² + c² − 1 (c² − s² − 1 for cosh and sinh), one relation per u in
    symbols of its own, so the relations are a Gröbner basis and the remainder is 0 exactly
    when the numerator vanishes wherever the relations hold: then the difference is 0
    wherever it is defined, a proof. A sufficient test: sin u = 2·sin(u/2)·cos(u/2) needs
    the next routes.
    """
    if (
        not difference.has(TrigonometricFunction, HyperbolicFunction)
        or sp.count_ops(difference) > MAX_OPS
    ):
        return difference
    written = sp.expand_trig(_in_one_angle(difference)).replace(
        lambda node: type(node) in _AS_RATIOS, lambda node: _AS_RATIOS[type(node)](*node.args)
    )
    generators: dict[sp.Expr, sp.Dummy] = {}
    relations: list[sp.Expr] = []
    for s_of, c_of, relation in _PAIRS:
        for u in sorted({f.args[0] for f in written.atoms(s_of, c_of)}, key=sp.default_sort_key):
            s = generators[s_of(u)] = sp.Dummy("s")
            c = generators[c_of(u)] = sp.Dummy("c")
            relations.append(relation(s, c))
    value = as_rational_function(written.xreplace(generators))
    if value is None:
        return difference
    ring = value.field.ring
    present = set(ring.symbols)
    basis = [ring(r) for r in relations if r.free_symbols <= present]
    remainder = value.numer.rem(basis) if basis else value.numer
    return sp.Integer(0) if not remainder else difference


def powers_of_one_exponential(difference: sp.Expr) -> sp.Expr:
    """Return 0 when ``difference`` is zero with each e^(c·x) written as t^(c·q), else itself.

    When every exponent is a rational multiple c·x of one variable, q the least common
    denominator of the c, each e^(c·x) is the power t^(c·q) of t = e^(x/q) > 0; a rational
    function of t and the other atoms (x among them, as if it were free of t) that is
    identically zero is zero for every x. A sufficient test, cheaper than cancel.
    """
    powers = difference.atoms(sp.exp)
    multiples = {power: power.exp.as_coeff_Mul() for power in powers}
    symbols = {rest for _, rest in multiples.values()}
    if len(symbols) != 1 or not all(c.is_Rational for c, _ in multiples.values()):
        return difference
    q = math.lcm(*(int(c.q) for c, _ in multiples.values()))
    t = sp.Dummy("t", positive=True)
    written = difference.xreplace({p: t ** int(c * q) for p, (c, _) in multiples.items()})
    return sp.Integer(0) if rational_zero(written) == 0 else difference


def relates_exponentials(difference: sp.Expr) -> bool:
    """Whether ``difference`` has two powers of e, or one and a hyperbolic function.

    The rational route sees e^x, e^(−x) and tanh x as unrelated atoms; written as powers of
    one t = e^(x/q) they may cancel (see :func:`exponentials_zero`).
    """
    powers = difference.atoms(sp.exp)
    return len(powers) > 1 or (len(powers) == 1 and difference.has(HyperbolicFunction))


#: Beyond this many operations a difference is not written in exponentials: its powers
#: multiply out in t, and :func:`in_exponentials` would cancel it (unbounded in time); left
#: to simplify, which is bounded.
MAX_EXPONENTIAL_OPS = 60


def exponentials_zero(difference: sp.Expr) -> sp.Expr:
    """Return 0 when ``difference`` is zero with sinh, cosh, … in eˣ and each e^(c·x) a power
    of one t (see :func:`powers_of_one_exponential`), else itself.

    Only the hyperbolic functions are written out (sin and cos would bring in i): tanh x
    is (t² − 1)/(t² + 1) for t = eˣ, so 4/(e^(2x) + 2 + e^(−2x)) = 1 − tanh²x and
    e^(−x)/(1 + e^(−x))² = eˣ/(eˣ + 1)² are zero rational functions of t, cheaper than cancel.
    """
    written = difference
    if difference.has(HyperbolicFunction):
        if sp.count_ops(difference) > MAX_EXPONENTIAL_OPS:
            return difference
        written = difference.replace(
            lambda node: isinstance(node, HyperbolicFunction), lambda node: node.rewrite(sp.exp)
        )
    return sp.Integer(0) if powers_of_one_exponential(written) == 0 else difference


def in_exponentials(difference: sp.Expr) -> sp.Expr:
    """Return ``difference`` with sinh, cosh, tanh, … written in eˣ and cancelled (else as is).

    simplify does not see 4/(2 + e^(2x) + e^(−2x)) = 1 − tanh²(x); written in e^(2x) it is
    a rational function like any other.
    """
    if not difference.has(HyperbolicFunction) or sp.count_ops(difference) > MAX_EXPONENTIAL_OPS:
        return difference
    written = difference.rewrite(sp.exp)
    if powers_of_one_exponential(written) == 0:
        return sp.Integer(0)  # the cheap way: a rational function of one e^(x/q)
    return sp.cancel(sp.together(sp.powsimp(written)))


def powers_of_roots(difference: sp.Expr) -> sp.Expr:
    """Return 0 when ``difference`` is zero in one root of each base, modulo its power.

    For a base b (not a number) with rational powers b^(p/q), Q the least common
    denominator of its exponents and r = b^(1/Q), every power b^(p/q) is r^(pQ/q) and b
    is r^Q: identities for any b, the principal root taken. The numerator of the rational
    function of r and the other atoms that results is then reduced modulo r^Q − b, which
    vanishes at r = b^(1/Q): a remainder 0 means the numerator vanishes there, and the
    difference is 0 wherever it is defined, a proof. −x²/(x² + 1)^(3/2) + 1/√(x² + 1) −
    1/(x² + 1)^(3/2) is (−x² + r² − 1)/r³, which r² − x² − 1 reduces to 0: cheaper than cancel.
    """
    denominators = _root_denominators(difference)
    if not denominators:
        return difference
    roots = {base: sp.Dummy("r") for base in denominators}

    def written(node: sp.Expr, whole: bool = True) -> sp.Expr:
        if whole and node in roots:
            return roots[node] ** denominators[node]
        if node.is_Add or node.is_Mul:
            return node.func(*(written(a) for a in node.args))
        if node.is_Pow and node.exp.is_Rational:
            if node.base in roots:
                return roots[node.base] ** int(node.exp * denominators[node.base])
            if node.exp.is_Integer:
                return written(node.base) ** node.exp
        return node

    relations = [roots[b] ** denominators[b] - written(b, whole=False) for b in roots]
    values = as_rational_functions(written(difference), *relations)
    if values is None:
        return difference
    value, *powers = values
    remainder = value.numer.rem([p.numer for p in powers])
    return sp.Integer(0) if not remainder else difference


def _root_denominators(expr: sp.Expr) -> dict[sp.Expr, int]:
    """Each base of a power with a rational exponent that is not an integer, and the least
    common denominator of its exponents, in the sums, products and powers of ``expr``."""
    found: dict[sp.Expr, int] = {}
    for node in distinct_nodes(expr, _sums_products_and_roots):
        if _rational_power(node) and not node.exp.is_Integer:
            found[node.base] = math.lcm(found.get(node.base, 1), int(node.exp.q))
    return found


def _rational_power(node: sp.Basic) -> bool:
    """True for u^r, r rational and u not a number."""
    return bool(node.is_Pow and node.exp.is_Rational and not node.base.is_Number)


def _sums_products_and_roots(node: sp.Basic) -> tuple[sp.Basic, ...]:
    """The parts :func:`_root_denominators` looks in: a sum's or product's, a power's base."""
    if node.is_Add or node.is_Mul:
        return tuple(node.args)
    return (node.base,) if _rational_power(node) else ()
