"""Implicit and parametric derivatives: dy/dx of a curve F(x, y) = G(x, y) or of x(t), y(t).

A step between two equations is checked as one expression, ``lhs − rhs`` before and after
being the same (or each side's own derivation, for "differentiate both sides"); solving
for dy/dx is checked by substituting the value back; using the curve's equation by the
remainder: what it drops is a multiple of ``F − G``. See docs/rules.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import sympy as sp

from sigderiv.engine.checker import Checker
from sigderiv.engine.verify import check_identity
from sigderiv.errors import UnsupportedError, VerificationError
from sigderiv.expr import build, walk
from sigderiv.expr.functions import write_out
from sigderiv.expr.letters import equation, problem
from sigderiv.input.equations import Curve, Parametric
from sigderiv.model.steps import Check, CheckStatus, Derivation, Rule, Step
from sigderiv.model.words import Words, words
from sigderiv.printing.inline import inline

#: Derive d/dvar(expr) with the engine's own rules: the steps from d/dvar(expr) on.
Differentiate = Callable[[sp.Expr, sp.Symbol], list[Step]]


def _proven(method: str, started: float) -> Check:
    """A proof by ``method``, timed from ``started``."""
    return Check(CheckStatus.VERIFIED, method, time.monotonic() - started)


def _plain(expr: sp.Expr, y: sp.Expr, d: sp.Expr) -> sp.Expr:
    """``expr`` with dy/dx and y(x) as plain symbols, for SymPy to check as algebra."""
    p, q = sp.Dummy("p"), sp.Dummy("y")
    return walk.evaluated(expr).xreplace({d: p}).xreplace({y: q})


def _identity(checker: Checker, before: sp.Expr, after: sp.Expr, y: sp.Expr, d: sp.Expr) -> Check:
    """Check ``before = after`` with y(x) and dy/dx as symbols; raise when it is false."""
    check = check_identity(_plain(before, y, d), _plain(after, y, d), checker.timeout)
    if check.status is CheckStatus.FAILED:
        raise VerificationError(f"{inline(before)} ≠ {inline(after)}")
    return check


def _side(
    checker: Checker, differentiate: Differentiate, label: str, expr: sp.Expr, x: sp.Symbol
) -> Step:
    """One side (or component) derived as its own derivation, a step of its steps."""
    inner = differentiate(expr, x)
    said = words("Differentiate {expr} with respect to {x}.", expr=expr, x=x)
    if len(inner) == 1 and inner[0].before == build.derivative(expr, x):
        return replace(inner[0], title=Words.plain(label))
    return checker.step(
        Rule.DIFFERENTIATE,
        Words.plain(label),
        said,
        build.derivative(expr, x),
        inner[-1].after,
        inner,
    )


def _simplified(expr: sp.Expr) -> sp.Expr:
    """The simplest of SymPy's forms of ``expr`` (simplify, factor, cancel), 1/tan as cot."""
    found = [walk.evaluated(expr)]
    for transform in (sp.simplify, sp.factor, sp.cancel):
        try:
            found.append(transform(found[0]))
        except (sp.PolynomialError, TypeError, ValueError):
            continue
    best = min(found, key=lambda e: (sp.count_ops(e), len(str(e))))
    return best.replace(
        lambda e: e.is_Pow and isinstance(e.base, sp.tan) and e.exp == -1,
        lambda e: sp.cot(e.base.args[0]),
    )


def _simplify_step(checker: Checker, expr: sp.Expr, y: sp.Expr, d: sp.Expr) -> Step | None:
    """A checked step to the simplest form of ``expr``, or None when it is simplest already."""
    after = _simplified(expr)
    if after == walk.evaluated(expr):
        return None
    return Step(
        Rule.SIMPLIFY,
        Words.plain("Simplify"),
        Words.plain("Simplify the fraction."),
        expr,
        after,
        check=_identity(checker, expr, after, y, d),
    )


def _first_derivative(
    checker: Checker, differentiate: Differentiate, curve: Curve, x: sp.Symbol
) -> list[Step]:
    """The steps from the curve to dy/dx: both sides, collect, solve, simplify."""
    y = sp.Function(curve.dependent.name)(x)
    d = sp.Derivative(y, x)
    lhs, rhs = curve.lhs.xreplace({curve.dependent: y}), curve.rhs.xreplace({curve.dependent: y})
    sides = [
        _side(checker, differentiate, "The left side", lhs, x),
        _side(checker, differentiate, "The right side", rhs, x),
    ]
    left, right = (walk.evaluated(s.after) for s in sides)
    difference = sp.expand(left - right)
    parts = sp.collect(difference, d, evaluate=False)
    factor = parts.get(d, sp.S.Zero)
    rest = sp.expand(difference - factor * d)
    if factor == 0 or factor.has(d) or rest.has(d):
        raise UnsupportedError(f"dy/dx cannot be solved for in {inline(equation(left, right))}")
    factor = sp.factor(factor)
    collected = equation(sp.Mul(factor, d, evaluate=False), -rest)
    collect = Step(
        Rule.COLLECT_DERIVATIVE,
        Words.plain("Collect dy/dx"),
        words("Gather the terms with dy/dx on the left and the others on the right."),
        equation(left, right),
        collected,
        check=_identity(checker, left - right, factor * d + rest, y, d),
    )
    value = -rest / factor
    back = _identity(checker, factor * value, -rest, y, d)
    solve = Step(
        Rule.SOLVE_DERIVATIVE,
        Words.plain("Solve for dy/dx"),
        words("Divide both sides by {factor}, where {factor} ≠ 0.", factor=factor),
        collected,
        equation(d, value),
        check=Check(back.status, "substituted back into the collected equation", back.seconds),
    )
    substeps = (*sides, collect, solve)
    both = Step(
        Rule.IMPLICIT_DIFFERENTIATION,
        Words.plain("Differentiate both sides and solve for dy/dx"),
        words(
            "Read {y} as a function of {x}, y = y(x), and differentiate both sides of "
            "{curve}: the chain rule gives dy/dx wherever y occurs. Then solve for dy/dx.",
            y=curve.dependent,
            x=x,
            curve=equation(curve.lhs, curve.rhs),
        ),
        d,
        value,
        substeps,
        Check(CheckStatus.VERIFIED, "each side's proven derivation, then the equation solved")
        if all(s.verified for s in substeps)
        else Check(CheckStatus.UNVERIFIED, "steps", detail="a step is not proven"),
    )
    steps = [both]
    simplify = _simplify_step(checker, value, y, d)
    if simplify is not None:
        steps.append(simplify)
    return steps


def _use_equation(
    checker: Checker, expr: sp.Expr, curve: Curve, y: sp.Expr, d: sp.Expr
) -> Step | None:
    """Reduce the numerator modulo the curve's F − G, when it gets simpler (x² + y² → 1)."""
    q = curve.dependent
    plain = sp.together(walk.evaluated(expr).xreplace({y: q}))
    numerator, denominator = sp.fraction(plain)
    relation = sp.expand(curve.lhs - curve.rhs)
    gens = sorted(relation.free_symbols | numerator.free_symbols, key=sp.default_sort_key)
    try:
        (quotient,), remainder = sp.reduced(sp.expand(numerator), [relation], *gens)
    except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError):
        return None
    if sp.count_ops(remainder) >= sp.count_ops(numerator) or quotient == 0:
        return None
    after = sp.factor(remainder / denominator).xreplace({q: y})
    started = time.monotonic()
    multiple = sp.expand(numerator - remainder - quotient * relation) == 0
    if not multiple:
        raise VerificationError(f"{inline(expr)} does not reduce to {inline(after)} on the curve")
    return Step(
        Rule.USE_EQUATION,
        Words.plain("Use the curve's equation"),
        words(
            "On the curve {curve}, the numerator {numerator} is {remainder}: what it drops is "
            "{quotient} times {relation} = 0.",
            curve=equation(curve.lhs, curve.rhs),
            numerator=numerator,
            remainder=remainder,
            quotient=quotient,
            relation=relation,
        ),
        expr,
        after,
        check=_proven("the numerator minus its remainder is a multiple of F − G", started),
    )


def _second_derivative(
    checker: Checker,
    differentiate: Differentiate,
    curve: Curve,
    x: sp.Symbol,
    first: sp.Expr,
) -> list[Step]:
    """d²y/dx²: differentiate dy/dx, substitute dy/dx, simplify, then use the curve."""
    y = sp.Function(curve.dependent.name)(x)
    d = sp.Derivative(y, x)
    before = sp.Derivative(y, (x, 2), evaluate=False)
    lift = Step(
        Rule.HIGHER_ORDER,
        Words.plain("Differentiate the previous derivative"),
        words("The second derivative is the derivative of dy/dx = {first}.", first=first),
        before,
        build.derivative(first, x),
        check=Check(CheckStatus.VERIFIED, "substitution of the proven dy/dx"),
    )
    inner = differentiate(first, x)
    steps = [lift, *inner]
    current = walk.evaluated(inner[-1].after)
    substituted = current.xreplace({d: first})
    if substituted != current:
        steps.append(
            Step(
                Rule.SUBSTITUTE_DERIVATIVE,
                Words.plain("Substitute dy/dx"),
                words("Put in dy/dx = {first}, found above.", first=first),
                inner[-1].after,
                substituted,
                check=Check(CheckStatus.VERIFIED, "substitution of the proven dy/dx"),
            )
        )
    simplify = _simplify_step(checker, substituted, y, d)
    if simplify is not None:
        steps.append(simplify)
    use = _use_equation(checker, steps[-1].after, curve, y, d)
    if use is not None:
        steps.append(use)
    return steps


def _group(label: str, explanation: Words, before: sp.Expr, steps: list[Step]) -> Step:
    """One order's step, proven when its steps are: they are its argument."""
    proven = all(s.verified for s in steps)
    return Step(
        Rule.ORDER,
        Words.plain(label),
        explanation,
        before,
        steps[-1].after,
        tuple(steps),
        Check(CheckStatus.VERIFIED, "its proven steps")
        if proven
        else Check(CheckStatus.UNVERIFIED, "steps", detail="a step is not proven"),
    )


def implicit(
    curve: Curve, x: sp.Symbol, order: int, checker: Checker, differentiate: Differentiate
) -> Derivation:
    """dy/dx (or d²y/dx²) of the curve, y = y(x): every step checked."""
    if order > 2:
        raise UnsupportedError("an implicit curve is derived to order 1 or 2")
    y = sp.Function(curve.dependent.name)(x)
    steps = _first_derivative(checker, differentiate, curve, x)
    if order == 2:
        first = walk.evaluated(steps[-1].after)
        second = _second_derivative(checker, differentiate, curve, x, first)
        steps = [
            _group(
                "The first derivative",
                words("Differentiate {curve} implicitly.", curve=equation(curve.lhs, curve.rhs)),
                sp.Derivative(y, x),
                [*steps[0].substeps, *steps[1:]],
            ),
            _group(
                "The second derivative",
                words("Differentiate dy/dx = {first} once more.", first=first),
                sp.Derivative(y, (x, 2), evaluate=False),
                second,
            ),
        ]
    return Derivation(
        function=y,
        variable=x,
        result=walk.evaluated(steps[-1].after),
        steps=tuple(steps),
        order=order,
    )


def _chain_rule_check() -> Check:
    """Prove dy/dx = (dy/dt)/(dx/dt) in general: SymPy's chain rule for y(x(t))."""
    started = time.monotonic()
    t, u = sp.Dummy("t"), sp.Dummy("u")
    f, g = sp.Function("f"), sp.Function("g")
    through = sp.diff(f(g(t)), t) / sp.diff(g(t), t)
    general = sp.Subs(sp.Derivative(f(u), u), u, g(t))
    if sp.simplify(through - general) != 0:
        raise VerificationError("the parametric rule does not hold")
    return _proven("the chain rule dy/dt = dy/dx·dx/dt, in general, where dx/dt ≠ 0", started)


def parametric(
    curve: Parametric, t: sp.Symbol, order: int, checker: Checker, differentiate: Differentiate
) -> Derivation:
    """dy/dx = (dy/dt)/(dx/dt) of a parametric curve: both components derived first."""
    if order != 1:
        raise UnsupportedError("a parametric curve is derived to order 1")
    (xn, yn), (xt, yt) = curve.names, curve.values
    components = [
        _side(checker, differentiate, f"The derivative of {xn}({t})", xt, t),
        _side(checker, differentiate, f"The derivative of {yn}({t})", yt, t),
    ]
    dx, dy = (walk.evaluated(c.after) for c in components)
    if dx == 0:
        raise UnsupportedError(f"d{xn}/d{t} = 0: {yn} is not a function of {xn} there")
    y = sp.Function(yn.name)(xn)
    quotient = sp.Mul(dy, sp.Pow(dx, -1, evaluate=False), evaluate=False)
    general = _chain_rule_check()
    rule = Step(
        Rule.PARAMETRIC_RULE,
        Words.plain("Parametric derivative"),
        words(
            "By the chain rule d{y}/d{t} = d{y}/d{x}·d{x}/d{t}, so d{y}/d{x} is the quotient "
            "(d{y}/d{t})/(d{x}/d{t}) of the two derivatives, where d{x}/d{t} ≠ 0.",
            y=yn,
            x=xn,
            t=t,
        ),
        sp.Derivative(y, xn),
        quotient,
        tuple(components),
        general
        if all(c.verified for c in components)
        else Check(CheckStatus.UNVERIFIED, "steps", detail="a component is not proven"),
    )
    steps = [rule]
    after = _simplified(quotient)
    if after != walk.evaluated(quotient):
        steps.append(
            checker.step(
                Rule.SIMPLIFY,
                Words.plain("Simplify"),
                Words.plain("Simplify the quotient."),
                quotient,
                after,
            )
        )
    return Derivation(
        function=y,
        variable=xn,
        result=walk.evaluated(steps[-1].after),
        steps=tuple(steps),
    )


#: The deriver's one order: (checker, d/dx(expr), expr, x, own, allowed, write_whole) -> steps.
OneOrder = Callable[..., list[Step]]


def on_curve(
    curve: Curve | Parametric,
    x: sp.Symbol,
    order: int,
    check_timeout: float,
    one_order: OneOrder,
    *,
    options: tuple[str, ...] = (),
) -> Derivation:
    """The derivation of a curve read from derive's input, by the deriver's own rules.

    ``options`` are the names of derive's options given that a curve has no use for
    (name=, layers=): each is refused.
    """
    if options:
        raise UnsupportedError(
            f"{', '.join(f'{o}=' for o in options)} does not apply to an implicit or a "
            "parametric curve: leave it out"
        )
    checker = Checker(check_timeout)

    def differentiate(expr: sp.Expr, var: sp.Symbol) -> list[Step]:
        allowed = {type(f) for f in write_out(expr).atoms(sp.Function)}
        return one_order(checker, build.derivative(expr, var), expr, var, None, allowed, False)

    if isinstance(curve, Parametric):
        with problem(sp.Tuple(*curve.names, *curve.values)):
            return parametric(curve, x, order, checker, differentiate)
    with problem(sp.Eq(curve.lhs, curve.rhs, evaluate=False)):
        return implicit(curve, x, order, checker, differentiate)
