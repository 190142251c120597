"""Write a derivative in terms of the function's own value: f′ = c0 + c1·f + c2·f², or R(x, f)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction
from sympy.solvers.solveset import invert_real

from sigderiv.expr.build import tidy
from sigderiv.expr.floats import floats_at
from sigderiv.expr.functions import operations, write_out
from sigderiv.expr.letters import equation
from sigderiv.expr.points import POINTS, PRECISION, at, close, is_real, parameter, point
from sigderiv.expr.real import real_symbols
from sigderiv.model.steps import Rule
from sigderiv.model.words import Words, words
from sigderiv.rules.base import Rewrite
from sigderiv.rules.registry import Family, declaring


def _float_at(expr: sp.Expr, subs: dict[sp.Symbol, sp.Float]) -> complex | None:
    """``expr`` at ``subs`` in machine floats (SymPy folds Float arithmetic as it builds)."""
    try:
        return complex(expr.xreplace({s: sp.Float(float(v), 15) for s, v in subs.items()}))
    except (TypeError, ValueError, ArithmeticError, RecursionError, OverflowError):
        return None


#: Two float values this far apart, relative to their size, are different values for sure.
_FAR_APART = 1e-6


def _varies(expr: sp.Expr, x: sp.Symbol) -> bool:
    """True when ``expr`` visibly takes two values at two sample points of x.

    Machine floats first, a few times cheaper than evalf's 30 digits on a large
    expression: a difference far beyond their rounding settles it; else evalf decides.
    """
    points = [point(expr, x, v) for v in (POINTS[0], POINTS[2])]
    a, b = (_float_at(expr, p) for p in points)
    if a is not None and b is not None and not close(a, b, _FAR_APART):
        return True
    values = [at(expr, p) for p in points]
    if values[0] is None or values[1] is None:
        return False
    return not close(values[0], values[1])


def _constant(expr: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Return ``expr`` in closed form when exact algebra shows it is free of x, else None.

    A quick numeric look rejects most candidates before any algebra; the algebra is the
    cheap exact kind only (simplify would cost seconds on a mish-sized expression).
    """
    if _varies(expr, x):
        return None
    routes: list[Callable[[sp.Expr], sp.Expr]] = [lambda e: sp.cancel(sp.together(e)), sp.expand]
    if expr.has(TrigonometricFunction, HyperbolicFunction):
        routes.append(sp.trigsimp)  # its identities are of those functions only
    for route in routes:
        value = route(expr)
        if not value.has(x):
            return value
    return None


def relation(d: sp.Expr, f: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr, sp.Expr] | None:
    """Return (c0, c1, c2), free of x, with d = c0 + c1·f + c2·f², or None.

    Differentiating d = P(f) gives d′/f′ = P′(f): constant for a line, linear in f for a
    parabola; the coefficients follow from the quotients.
    """
    # in real symbols, as every step is checked: |x|′ is sign(x), not re(x)·re′(x)/|x| + …
    real = real_symbols(d + f + x)
    back = {r: s for s, r in real.items()}
    d, f = write_out(d).xreplace(real), write_out(f).xreplace(real)
    x = real.get(x, x)
    if _fits(d, f, x) is False:
        return None  # no constant c's fit the samples, so none make d = P(f) exactly
    df = sp.diff(f, x)
    if df == 0:
        return None
    q1 = sp.cancel(sp.diff(d, x) / df)
    c1 = _constant(q1, x)
    if c1 is not None:
        c0 = _constant(d - c1 * f, x)
        return None if c0 is None else _unreal((c0, c1, sp.S.Zero), back)
    c2 = _constant(sp.diff(q1, x) / df / 2, x)
    if c2 is None or c2 == 0:
        return None
    c1 = _constant(q1 - 2 * c2 * f, x)
    if c1 is None:
        return None
    c0 = _constant(d - c1 * f - c2 * f**2, x)
    return None if c0 is None else _unreal((c0, c1, c2), back)


#: A least-squares fit of d to c0 + c1·f + c2·f² off by more than this, relative to the
#: size of its terms, is no fit: the rounding of machine floats is some 1e-15 of it.
_NO_FIT = 1e-7
#: The fewest sample points where d and f are real that let the fit reject a relation.
_FIT_SAMPLES = 5


def _fits(d: sp.Expr, f: sp.Expr, x: sp.Symbol) -> bool | None:
    """Whether d = c0 + c1·f + c2·f² for some constant c's fits d and f at sample points.

    Machine floats at POINTS and FARTHER, the other symbols fixed: a quick look that can
    only reject (exact c's would fit every sample within rounding); None when the samples
    cannot tell (too few real values, or f takes fewer than three distinct ones).
    """
    others = sorted((d + f).free_symbols - {x}, key=lambda s: s.name)
    fixed = {s: sp.Float(parameter(i), 15) for i, s in enumerate(others)}
    samples = POINTS + FARTHER
    rows = [
        (fv.real, dv.real)
        for dv, fv in zip(
            floats_at(d.xreplace(fixed), x, samples),
            floats_at(f.xreplace(fixed), x, samples),
            strict=True,
        )
        if dv is not None and fv is not None and _finite_real(dv) and _finite_real(fv)
    ]
    if len(rows) < _FIT_SAMPLES or len({fv for fv, _ in rows}) < 3:
        return None
    c = _solve3([(1.0, fv, fv * fv, dv) for fv, dv in rows[:3]])
    if c is None:
        return None
    for fv, dv in rows:
        terms = (c[0], c[1] * fv, c[2] * fv * fv)
        residual = abs(sum(terms) - dv)
        if not math.isfinite(residual):
            return None
        if residual > _NO_FIT * (1 + abs(dv) + sum(abs(t) for t in terms)):
            return False
    return True


def _solve3(rows: list[tuple[float, float, float, float]]) -> list[float] | None:
    """The solution of three linear equations (a, b, c | r), by elimination; None if singular."""
    # Written here: numpy is no run-time dependency, and SymPy's exact Matrix.solve would
    # cost what this quick float look exists to spare.
    m = [list(row) for row in rows]
    for col in range(3):
        pivot = max(range(col, 3), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) <= 1e-9 * max(abs(v) for v in m[pivot][:3]):
            return None
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, 3):
            ratio = m[r][col] / m[col][col]
            m[r] = [a - ratio * b for a, b in zip(m[r], m[col], strict=True)]
    c = [0.0, 0.0, 0.0]
    for r in (2, 1, 0):
        c[r] = (m[r][3] - sum(m[r][k] * c[k] for k in range(r + 1, 3))) / m[r][r]
    return c


def _finite_real(value: complex) -> bool:
    """True when ``value`` is a finite real number, within rounding."""
    return (
        math.isfinite(value.real)
        and math.isfinite(value.imag)
        and abs(value.imag) <= 1e-12 * (1 + abs(value.real))
    )


def _unreal(
    coefficients: tuple[sp.Expr, sp.Expr, sp.Expr], back: dict[sp.Symbol, sp.Symbol]
) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """The coefficients in the problem's own symbols again."""
    c0, c1, c2 = (c.xreplace(back) for c in coefficients)
    return c0, c1, c2


#: The most subexpressions of f the search solves F = f for, and the largest d and f it
#: rewrites that way (past them only the constant-coefficient relation is tried).
MAX_KERNELS = 8
MAX_OPERATIONS = 60
#: Sample points past POINTS, for an f defined far from 0 only (√(x − 3), ln(−x − 2)).
FARTHER: tuple[float, ...] = (3.1416, 6.2832, -2.7183, 11.4142, -7.3891, 1.6180)
#: How many sample points must agree (among those where f and d are real) to keep a form.
MIN_SAMPLES = 2
#: What the search may meet in SymPy on odd input; any of it means "no candidate here".
_SYMPY_FAILURES = (
    ValueError,
    TypeError,
    ArithmeticError,
    NotImplementedError,
    RecursionError,
    AttributeError,
    sp.PolynomialError,
)


def _real_at(expr: sp.Expr, subs: dict[sp.Basic, sp.Expr]) -> complex | None:
    """``expr`` at ``subs`` when it is a finite real number there, else None (no sample)."""
    value = at(expr, subs)
    return value if value is not None and is_real(value) else None


def _agrees(candidate: sp.Expr, d: sp.Expr, f: sp.Expr, own: sp.Symbol, x: sp.Symbol) -> bool:
    """True when candidate(x, f(x)) = d at every sample point where f and d are real.

    A point outside the domain of f or d (ln of a negative, erfinv past ±1) is no sample:
    it is skipped, and at least MIN_SAMPLES points must remain.
    """
    samples = 0
    for v in POINTS + FARTHER:
        if samples >= len(POINTS):
            break
        subs: dict[sp.Basic, sp.Expr] = dict(point(f + d, x, v))
        value, expected = _real_at(f, subs), _real_at(d, subs)
        if value is None or expected is None:
            continue
        subs[own] = sp.Float(value.real, PRECISION)
        found = at(candidate, subs)
        if found is None or not close(found, expected):
            return False
        samples += 1
    return samples >= MIN_SAMPLES


def _plain(expr: sp.Expr, x: sp.Symbol, own: sp.Symbol, given: set[sp.Basic]) -> bool:
    """True when ``expr`` is R(x, f) by +, ·, powers and exp (an exp of x alone as in d)."""
    for node in sp.preorder_traversal(expr):
        if node.is_Atom or not node.has(x, own) or isinstance(node, (sp.Add, sp.Mul, sp.Pow)):
            continue
        if not isinstance(node, sp.exp) or (not node.has(own) and node not in given):
            return False
    return True


def _simpler(candidate: sp.Expr, d: sp.Expr, x: sp.Symbol) -> bool:
    """True when ``candidate`` is shorter than d, or as short and rational in f alone.

    eˣ = f + 1 for f = eˣ − 1 is kept; (x − f)² for tanh² x, as long, is not.
    """
    cost, given = operations(candidate), operations(d)
    if cost != given:
        return cost < given
    return not candidate.has(x) and not candidate.has(sp.exp)


def _factors(expr: sp.Expr) -> set[sp.Expr]:
    """The bases of the factors of ``expr`` that can vanish: x for 2√x, none for 2·e^x."""
    bases = set()
    for factor in sp.Mul.make_args(expr):
        base = factor.base if isinstance(factor, sp.Pow) else factor
        if not base.is_number and not isinstance(base, sp.exp):
            bases.add(base)
    return bases


def _poles(expr: sp.Expr) -> set[sp.Expr]:
    """The bases of the factors of ``expr``'s denominator that can vanish."""
    return _factors(sp.fraction(sp.together(expr))[1])


def _no_new_poles(candidate: sp.Expr, known: set[sp.Expr], f: sp.Expr, own: sp.Symbol) -> bool:
    """True when candidate divides by nothing d does not divide by (d's poles: ``known``)."""
    return all(_factors(base.xreplace({own: f})) <= known for base in _poles(candidate))


def _foreign(d: sp.Expr, x: sp.Symbol, given: set[sp.Basic]) -> set[sp.Basic]:
    """The parts of d that R may not keep: functions of x but the exps d shows (``given``)."""
    return {
        node
        for node in sp.preorder_traversal(d)
        if not node.is_Atom
        and node.has(x)
        and not isinstance(node, (sp.Add, sp.Mul, sp.Pow))
        and not (isinstance(node, sp.exp) and node in given)
    }


def _kernels(f: sp.Expr, x: sp.Symbol, foreign: set[sp.Basic]) -> list[sp.Expr]:
    """The parts k of f, f first, to solve F = f for: once in f, holding every foreign part.

    A part that misses a foreign part of d would leave it in R: rejected before any algebra.
    """
    found: list[sp.Expr] = []
    occurrences = Counter(sp.preorder_traversal(f))
    for node, count in occurrences.items():  # in preorder: the outer parts first
        if len(found) >= MAX_KERNELS:
            break
        if count == 1 and node.has(x) and all(node.has(part) for part in foreign):
            found.append(node)
    return found


def _values(solutions: sp.Set) -> list[sp.Expr]:
    """The finitely many values in a set that ``invert_real`` gives, or none.

    {F²} ∩ [0, ∞) is F² (F = √x is never negative), the image of a finite set under a
    Lambda is the images; a condition set or an infinite family (tan) gives nothing.
    """
    if isinstance(solutions, sp.FiniteSet):
        return list(solutions.args)
    if isinstance(solutions, sp.Union):
        return [v for part in solutions.args for v in _values(part)]
    if isinstance(solutions, sp.Intersection):
        finite = [a for a in solutions.args if isinstance(a, (sp.FiniteSet, sp.Union, sp.ImageSet))]
        return _values(finite[0]) if len(finite) == 1 else []
    if isinstance(solutions, sp.ImageSet) and len(solutions.base_sets) == 1:
        return [solutions.lamda(v) for v in _values(solutions.base_sets[0])]
    return []


def _substitutions(
    f: sp.Expr, own: sp.Symbol, x: sp.Symbol, foreign: set[sp.Basic]
) -> list[tuple[sp.Expr, sp.Expr]]:
    """(k, k in terms of F and x) for the parts k of f, by solving F = f for k.

    Each k occurs once in f, so SymPy's ``invert_real`` peels f down to it, layer by layer,
    at a cost that grows with the depth of f only (``solve`` may try to factor for minutes).
    """
    found: list[tuple[sp.Expr, sp.Expr]] = []
    for k in _kernels(f, x, foreign):
        if k == f:
            found.append((f, own))
            continue
        unknown = sp.Dummy("k")
        try:
            inverted, solutions = invert_real(f.xreplace({k: unknown}), own, unknown)
        except _SYMPY_FAILURES:
            continue
        if inverted == unknown:
            found.extend((k, v) for v in _values(solutions) if not v.has(unknown))
    return found


def _compact(candidate: sp.Expr) -> sp.Expr:
    """The fewest-operation form of ``candidate`` among the exact cheap routes."""
    forms = [candidate]
    for route in (
        sp.cancel,
        sp.factor,
        lambda e: sp.powsimp(sp.powdenest(e, force=True)),
        lambda e: sp.factor(sp.powsimp(sp.expand(e))),
    ):
        try:
            forms.append(route(candidate))
        except _SYMPY_FAILURES:
            continue
    return min(forms, key=lambda e: (sp.count_ops(e), sp.default_sort_key(e)))


def solved(
    d: sp.Expr, f: sp.Expr, x: sp.Symbol
) -> tuple[sp.Expr, sp.Expr, sp.Expr, sp.Symbol] | None:
    """Return (R, k, k(x, F), F) with d = R(x, F) at F = f, or None.

    R is built of x and F by +, ·, powers and exp; k is the part of f that F = f was
    solved for, k(x, F) its solution.

    The candidates come from the relation that defines f: for each part k of f, F = f is
    solved for k (x = F² for f = √x, e^(−x) = 1/F − 1 for the sigmoid) and k is replaced
    in d; f itself is replaced wherever d holds it. A candidate is kept when it has no
    other functions of x or F, divides by nothing new, takes no more operations than d
    and agrees with d at the sample points.
    """
    given = set(sp.preorder_traversal(d))
    shown, d, f = d, write_out(d), write_out(f)
    if operations(d) > MAX_OPERATIONS or operations(f) > MAX_OPERATIONS:
        return None
    own = sp.Dummy("F")
    substitutions = _substitutions(f, own, x, _foreign(d, x, given))
    if not substitutions:
        return None
    known = _poles(d)
    best: tuple[int, sp.Expr, sp.Expr, sp.Expr] | None = None
    for k, value in substitutions:
        try:
            raw = d.subs(k, value)
            if not raw.has(own) or not _plain(raw, x, own, given):
                continue
            if not _no_new_poles(raw, known, f, own):
                continue
            candidate = _compact(raw)
        except _SYMPY_FAILURES:
            continue
        cost = operations(candidate)
        if (
            candidate.has(own)
            and (best is None or cost < best[0])
            and _simpler(candidate, shown, x)
            and _plain(candidate, x, own, given)
            and _no_new_poles(candidate, known, f, own)
            and _agrees(candidate, d, f, own, x)
        ):
            best = (cost, candidate, k, value)
    return None if best is None else (best[1], best[2], best[3], own)


def _by_relation(d: sp.Expr, f: sp.Expr, own: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """c0 + c1·f + c2·f² for d, in terms of ``own``, when it takes at most one more operation."""
    try:
        found = relation(d, f, x)
    except _SYMPY_FAILURES:
        return None
    if found is None:
        return None
    c0, c1, c2 = found
    new = c0 + c1 * own + c2 * own**2
    return None if operations(new) > operations(d) + 1 else new


def _in_terms(d: sp.Expr, f: sp.Expr, own: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, Words] | None:
    if not d.has(x) or not f.has(x) or d.has(own):
        return None
    new = _by_relation(d, f, own, x)
    if new is not None:
        derivative = equation(d, new)
        return new, words("{own}, so {derivative}", own=equation(own, f), derivative=derivative)
    try:
        found = solved(d, f, x)
    except _SYMPY_FAILURES:
        return None
    if found is None:
        return None
    form, part, value, symbol = found
    new = form.xreplace({symbol: own})
    derivative = equation(d, new)
    if part == write_out(f):
        return new, words("{own}, so {derivative}", own=equation(own, f), derivative=derivative)
    return new, words(
        "{own}, so {part}, and {derivative}",
        own=equation(own, f),
        part=equation(part, value.xreplace({symbol: own})),
        derivative=derivative,
    )


@declaring(
    "own_value",
    "Write in terms of the function",
    name="writing in terms of the function's own value",
    family=Family.ALGEBRA,
    rewrite="d → R(x, f), piece by piece, where f is the function's own value: c₀ + c₁·f + "
    "c₂·f² with constant c's, or R built of x and f by +, ·, powers and exp, found by solving "
    "f = f(x) for a part of f",
    when="α·eˣ → ELU(x) + α on x ≤ 0; 1/(2√x) → 1/(2f) for f = √x; "
    "2x·e^(x²)·erfc(x) − 2/√π → 2x·f − 2/√π for f = e^(x²)·erfc(x); only when R is shorter "
    "than d, adds no pole and is proven",
    example="elu",
)
def own_value(expr: sp.Expr, own: sp.Expr, definition: sp.Expr, x: sp.Symbol) -> Rewrite | None:
    """d -> c0 + c1·f + c2·f² or R(x, f), piece by piece, where f = ``own`` is its value."""
    value = sp.piecewise_fold(expr.doit())
    definition = sp.piecewise_fold(definition)
    said: list[Words] = []
    if isinstance(value, sp.Piecewise) and isinstance(definition, sp.Piecewise):
        if [c for _, c in value.args] != [c for _, c in definition.args]:
            return None
        pieces = []
        for (d, cond), (f, _) in zip(value.args, definition.args, strict=True):
            found = _in_terms(d, f, own, x)
            if found is not None:
                d = found[0]
                said.append(words("where {condition}, {found}", condition=cond, found=found[1]))
            pieces.append((tidy(d), cond))
        after = sp.Piecewise(*pieces, evaluate=False)
    else:
        found = _in_terms(value, definition, own, x)
        if found is None:
            return None
        after = tidy(found[0])
        said.append(found[1])
    if not said:
        return None
    return Rewrite(
        Rule.OWN_VALUE,
        words("Write in terms of {own}", own=own),
        words(
            "Reuse the function's own value, as a backward pass does: {said}.",
            said=sum(("; " + s for s in said[1:]), said[0]),
        ),
        after,
    )
