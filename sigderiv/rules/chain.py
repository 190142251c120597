"""The chain rule, and the ways learners get it wrong."""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from sigderiv.expr.build import derivative, mul, power
from sigderiv.expr.derivatives import REAL_ONLY, ROUNDING
from sigderiv.expr.letters import equation, function_named, letters, primed, taken
from sigderiv.expr.special import is_special, name_of, partial
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.elementary import power_slips_on
from sigderiv.rules.registry import Slipped, declaring
from sigderiv.rules.special import real_valued
from sigderiv.rules.table import known, table_slips_on


def _outer_and_inner(u: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """Split u = a + b*h(w) into (the applied function h(w), the inner function w)."""
    _, rest = u.as_independent(x, as_Add=True)
    _, core = rest.as_independent(x, as_Add=False)
    if isinstance(core, sp.Pow) and not core.exp.has(x):
        inner = core.base  # w**n
    elif isinstance(core, sp.Pow) and not core.base.has(x):
        inner = core.exp  # a**w
    elif (index := _special_argument(core, x)) is not None:
        inner = core.args[index]
    elif isinstance(core, sp.Function) and len(core.args) == 1:
        if not isinstance(core, AppliedUndef) and known(core) is None:
            return None
        inner = core.args[0]
        if isinstance(core, REAL_ONLY) and not real_valued(inner):
            return None  # d|w| = sign(w)·dw holds for real w only: not for |√x| at x < 0
    elif _unknown_derivative_at(core) is not None:
        inner = core.point[0]  # f′(w), SymPy's Subs(f′(y), y, w)
    else:
        return None
    if inner == x or not inner.has(x):
        return None
    return core, inner


def _special_argument(core: sp.Expr, x: sp.Symbol) -> int | None:
    """Return i when ``core`` is a special function F(…, wᵢ, …) with only wᵢ in x, F′ known."""
    if not is_special(core) or known(core) is not None:
        return None
    varying = [i for i, arg in enumerate(core.args) if arg.has(x)]
    if len(varying) != 1 or partial(core, varying[0]) is None:
        return None
    return varying[0]


def _unknown_derivative_at(core: sp.Expr) -> tuple[AppliedUndef, sp.Symbol, int] | None:
    """Return f(v), v and n when ``core`` is f⁽ⁿ⁾ at a point: Subs(dⁿf(v)/dvⁿ, v, w)."""
    if not isinstance(core, sp.Subs) or len(core.variables) != 1:
        return None
    d, (v,) = core.expr, core.variables
    if not isinstance(d, sp.Derivative) or not isinstance(d.expr, AppliedUndef):
        return None
    if d.expr.args != (v,) or {s for s, _ in d.variable_count} != {v}:
        return None
    return d.expr, v, int(d.derivative_count)


def _fresh_symbol(u: sp.Expr) -> sp.Symbol:
    (y,) = letters(u, "y")
    return y


def _exponential_chain(u: sp.Expr, x: sp.Symbol) -> sp.Basic:
    """d/dx a^w = a^w·ln(a)·w′, in letters that ``u`` does not use."""
    a, w = letters(u, "a", "w")
    return equation(derivative(power(a, w), x), mul(power(a, w), sp.log(a), primed(w)))


def _fresh_letter(u: sp.Expr) -> str:
    """A letter for the outer function that none of the user's names is: g, else h, k, G."""
    names = taken(u, functions=True)
    return next((n for n in ("g", "h", "k", "G", "H") if n not in names), "g₀")


def _at(outer_prime: sp.Expr, y: sp.Symbol, inner: sp.Expr) -> sp.Expr:
    """Return g′(y) at y = inner, in the form a teacher writes.

    An unknown f′(y) at the inner function is f′(w), SymPy's Subs(f′(y), y, w), not the
    derivative with respect to w; a number before a sum stays in front: 2·(x − 1).
    """
    swaps = {
        d: sp.Subs(d, y, inner)
        for d in outer_prime.atoms(sp.Derivative)
        if isinstance(d.expr, AppliedUndef)
    }
    if swaps:
        return outer_prime.xreplace(swaps)
    coefficient, rest = outer_prime.as_coeff_Mul()
    at_inner = rest.subs(y, inner)
    scales_a_sum = coefficient.is_Rational and abs(coefficient) != 1
    if scales_a_sum and isinstance(at_inner, sp.Add) and at_inner.as_content_primitive()[0] == 1:
        return sp.Mul(coefficient, at_inner, evaluate=False)
    return outer_prime.subs(y, inner)


def _outer_derivative(core: sp.Expr, y: sp.Symbol) -> sp.Expr:
    """Return h'(y) for the applied function h(y) = core: from the table, or the power rules."""
    if isinstance(core, sp.Pow) and core.base == y:
        return core.exp * y ** (core.exp - 1)
    if isinstance(core, sp.Pow):
        return core * sp.log(core.base)
    if isinstance(core, AppliedUndef):
        return sp.Derivative(core, y)  # f′(y); at the inner function it becomes a Subs
    at = _unknown_derivative_at(core)
    if at is not None:  # f⁽ⁿ⁾(y), whose derivative is f⁽ⁿ⁺¹⁾(y)
        applied, v, n = at
        return sp.Derivative(applied.xreplace({v: y}), (y, n + 1))
    if is_special(core) and known(core) is None:  # SymPy's fdiff in the argument y
        prime = partial(core, core.args.index(y))
        assert prime is not None  # _outer_and_inner only lets known derivatives through
        return prime
    entry = known(core)
    assert entry is not None  # _outer_and_inner only lets known functions through
    return entry.derivative(y)


def chain_slips(u: sp.Expr, x: sp.Symbol, rewrite: Rewrite) -> list[Slipped]:
    """The inner derivative left out or not taken, the outer function not differentiated."""
    pending = [f for f in sp.Mul.make_args(rewrite.after) if isinstance(f, sp.Derivative)]
    if not pending:
        return []
    d_inner = pending[-1]
    inner = d_inner.expr
    outer = [f for f in sp.Mul.make_args(rewrite.after) if f is not d_inner]
    at_inner = mul(*outer) if outer else sp.S.One
    _, rest = u.as_independent(x, as_Add=True)
    scale, core = rest.as_independent(x, as_Add=False)
    inner_rule = equation(derivative(inner, x), sp.diff(inner, x))
    slips: list[Slipped] = [
        Slipped(
            "missing_chain_factor",
            words(
                "Chain rule: {u} has the inner function {inner}, so multiply by its "
                "derivative {inner_rule}; that factor is missing.",
                u=u,
                inner=inner,
                inner_rule=inner_rule,
            ),
            at_inner,
        ),
        Slipped(
            "inner_not_differentiated",
            words(
                "Chain rule: multiply by the derivative of the inner function, {inner_rule}, "
                "not by the inner function {inner} itself.",
                inner_rule=inner_rule,
                inner=inner,
            ),
            mul(at_inner, inner),
        ),
    ]
    exponential = isinstance(core, sp.exp) or (
        isinstance(core, sp.Pow) and not core.base.has(x) and core.exp == inner
    )
    if isinstance(core, sp.Pow) and core.base == inner and not core.exp.has(x):
        slips.extend(power_slips_on(u, x, inner, core.exp, scale, d_inner))
    elif exponential:
        base = sp.E if isinstance(core, sp.exp) else core.base
        if base != sp.E:
            slips.append(
                Slipped(
                    "missing_log_factor",
                    words(
                        "{rule}: the factor {factor} is missing.",
                        rule=_exponential_chain(u, x),
                        factor=sp.log(base),
                    ),
                    mul(rest, d_inner),
                )
            )
        slips.append(
            Slipped(
                "power_rule_on_exponential",
                words(
                    "{core} is an exponential, not a power of {inner}: the power rule does not "
                    "apply; {rule}.",
                    core=core,
                    inner=inner,
                    rule=equation(derivative(core, x), mul(core, derivative(inner, x))),
                ),
                mul(*(f for f in (scale, inner, power(base, inner - 1)) if f != 1), d_inner),
            )
        )
    else:
        slips.append(
            Slipped(
                "outer_not_differentiated",
                words(
                    "Chain rule: differentiate the outer function too; in front of {d_inner} "
                    "stands {outer}, not {rest}.",
                    d_inner=derivative(inner, x),
                    outer=equation(function_named(letters(u, "g")[0], inner, prime=True), at_inner),
                    rest=rest,
                ),
                mul(rest, d_inner),
            )
        )
        if isinstance(core, sp.Function):
            slips.extend(table_slips_on(core, inner, x, scale, d_inner))
    return slips


@declaring(
    "chain_rule",
    "Chain rule",
    name="the chain rule",
    rewrite="d/dx g(w) → g′(w)·dw/dx",
    when="a + b·h(w) with h a tabled function, a power, aʷ, a named or an unknown function (or "
    "its n-th derivative f⁽ⁿ⁾, whose derivative is f⁽ⁿ⁺¹⁾), and "
    "the inner function w ≠ x depending on x; the outer function is g(y) = a + b·h(y)",
    example="sin(x^2)",
    slips=chain_slips,
)
def chain_rule(u: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d(g(w)) -> g'(w) * dw/dx, where g is the outer function and w != x the inner one."""
    parts = _outer_and_inner(u, x)
    if parts is None:
        return None
    _, inner = parts
    y = _fresh_symbol(u)
    outer = u.xreplace({inner: y})
    if outer.has(x):
        return None
    _, rest = outer.as_independent(y, as_Add=True)
    scale, h = rest.as_independent(y, as_Add=False)
    outer_prime = scale * _outer_derivative(h, y)
    at_inner = _at(outer_prime, y, inner)
    inner_derivative = derivative(inner, x)
    g = sp.Symbol(_fresh_letter(u))
    return Rewrite(
        Rule.CHAIN_RULE,
        Words.plain("Chain rule"),
        words(
            "{u} is the outer function {outer} applied to the inner function {inner}. The chain "
            "rule says {rule}, and here {outer_prime}.",
            u=u,
            outer=equation(function_named(g, y), outer),
            inner=equation(y, inner),
            rule=equation(
                derivative(function_named(g, inner), x),
                mul(function_named(g, inner, prime=True), inner_derivative),
            ),
            outer_prime=equation(function_named(g, y, prime=True), outer_prime),
        )
        + _away_from_zero(h, inner)
        + _special_named(h),
        mul(at_inner, inner_derivative),
        inner=(inner_derivative,),
    )


def _special_named(h: sp.Expr) -> Words:
    """Where the outer derivative comes from when it is a special function's: name, table."""
    if not is_special(h) or known(h) is not None:
        return Words()
    return words(
        " Here {h} is {name}; its derivative is from the table of special functions.",
        h=h,
        name=name_of(h),
    )


def _away_from_zero(h: sp.Expr, inner: sp.Expr) -> Words:
    """The side condition of |w|, sign(w), arg(w) (w ≠ 0) and ⌊w⌋, ⌈w⌉, frac(w) (w ∉ ℤ)."""
    if isinstance(h, ROUNDING):
        return words(
            " This holds where {w} is not an integer: there the function jumps and has no "
            "derivative.",
            w=inner,
        )
    if not isinstance(h, (sp.Abs, sp.sign, sp.arg)):
        return Words()
    return words(
        " This holds for {condition}: where {zero} the function has a {kind} and no derivative.",
        condition=sp.Ne(inner, 0, evaluate=False),
        zero=equation(inner, sp.S.Zero),
        kind="corner" if isinstance(h, sp.Abs) else "jump",
    )
