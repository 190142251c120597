"""The identity check of one step: exact routes first, then bounded simplify, plus numbers."""

from __future__ import annotations

import time
from collections.abc import Callable

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from sigderiv.engine.pythagorean import (
    exponentials_zero,
    in_exponentials,
    powers_of_roots,
    pythagorean_zero,
    rational_zero,
    relates_exponentials,
)
from sigderiv.errors import LimitError, TimeoutError
from sigderiv.expr.build import function
from sigderiv.expr.derivatives import ROUNDING
from sigderiv.expr.done import done
from sigderiv.expr.functions import write_out
from sigderiv.expr.gather import gather_bases
from sigderiv.expr.points import POINTS, at, close, spread
from sigderiv.expr.real import real_symbols, unassumed
from sigderiv.expr.walk import SLOW_TO_EVALUATE
from sigderiv.model.bounds import CHECK_TIMEOUT
from sigderiv.model.steps import Check, CheckStatus
from sigderiv.sandbox.bound import run_bounded

#: Default wall-clock bound, in seconds, for the slow (simplify) route of one check.
DEFAULT_TIMEOUT = CHECK_TIMEOUT


def _real_symbols(expr: sp.Expr, *, checking: bool = False) -> dict[sp.Symbol, sp.Symbol]:
    # In a check, a real Dummy rather than Symbol("x", real=True): SymPy's Subs compares its
    # point by symbol name, so f′ at sin(x) equals f′ at the real sin(x), its cache hands back
    # the one for the other, and Add merges the two terms. One fixed index: every side of a
    # step gets the same x.
    if not checking:
        return real_symbols(expr)
    return {
        s: sp.Dummy(s.name, real=True, dummy_index=_REAL_INDEX)
        for s in expr.free_symbols
        if unassumed(s)
    }


#: The index of the real Dummy that stands for an unassumed x in a check.
_REAL_INDEX = 7_310_000_001


def explicit(expr: sp.Expr, *, real: bool = False) -> sp.Expr:
    """Return ``expr`` with named functions written out and pending derivatives done.

    sigderiv differentiates real functions of real variables (d|x|/dx = sign(x)), so the
    derivatives are taken with every symbol real; the result is given back in the original
    symbols unless ``real`` is true. ``sympy.simplify(explicit(step.before) -
    explicit(step.after)) == 0`` checks a step; a step that uses x being real, such as
    x·sign(x) = |x|, needs ``real=True`` on both sides.
    """
    return _explicit(expr, real=real)


def _explicit(expr: sp.Expr, *, real: bool, checking: bool = False) -> sp.Expr:
    written = write_out(expr)
    to_real = _real_symbols(written, checking=checking)
    done = _done(written.xreplace(to_real))
    if real:
        return done
    return done.xreplace({r: s for s, r in to_real.items()})


def _done(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` with its pending derivatives taken (``doit``).

    Where a Sum, Product or Integral is, only the derivatives are taken: doit would also try
    to evaluate a Sum to a symbolic bound (the jacobi polynomial's derivative in α), for
    minutes.
    """
    if not expr.has(*SLOW_TO_EVALUATE):
        return done(expr)
    return expr.replace(
        lambda node: isinstance(node, sp.Derivative), lambda node: node.doit(deep=False)
    )


def _checked(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` written out and done, as a check compares it: every x a real Dummy."""
    return _explicit(expr, real=True, checking=True)


#: The cheapest exact route, by name for the tests: the zero rational function of the atoms.
_rational = rational_zero


def _exact_routes() -> tuple[tuple[str, Callable[[sp.Expr], sp.Expr]], ...]:
    return (
        ("rational", _rational),
        ("roots", powers_of_roots),
        ("cancel", sp.cancel),
        ("expand", lambda d: sp.expand(d, power_exp=True)),
        ("together", lambda d: sp.cancel(sp.together(sp.powsimp(d)))),
        ("gathered", _gathered),
        ("piecewise", _by_pieces),
        ("signs", _in_signs),
        ("pythagorean", pythagorean_zero),
        ("exponentials", in_exponentials),
    )


def _by_pieces(difference: sp.Expr) -> sp.Expr:
    """Return ``difference`` as one Piecewise, each piece cancelled (else as is).

    piecewise_fold brings nested pieces under one set of conditions: the pieces of
    ELU′ = α·eˣ and α + ELU(x) for x ≤ 0 meet there, and each piece cancels to 0 alone.
    """
    if not difference.has(sp.Piecewise):
        return difference
    folded = sp.piecewise_fold(difference)
    if not isinstance(folded, sp.Piecewise):
        return sp.cancel(folded)
    return sp.Piecewise(*((sp.cancel(value), condition) for value, condition in folded.args))


def _in_signs(difference: sp.Expr) -> sp.Expr:
    """Return ``difference`` with |u| written u·sign(u), for real u, and cancelled (else as is).

    (1 + |x| − x·sign(x))/(1 + |x|)² − 1/(1 + |x|)²: cancel sees |x| and x·sign(x) apart.
    """
    if not (difference.has(sp.Abs) and difference.has(sp.sign)):
        return difference
    real = [a for a in difference.atoms(sp.Abs) if a.args[0].is_extended_real]
    if not real:
        return difference
    return sp.cancel(difference.xreplace({a: a.args[0] * sp.sign(a.args[0]) for a in real}))


def _gathered(difference: sp.Expr) -> sp.Expr:
    """Return ``difference`` with u^n·u gathered into u^(n+1) and cancelled (else as is).

    (c·w)^(n−1)·c·w − (c·w)^n: powsimp sees no power of c·w in c·w written out.
    """
    gathered = gather_bases(difference)
    if gathered == difference:
        return difference  # nothing gathered: the together route has tried this already
    return sp.cancel(sp.together(sp.powsimp(gathered)))


def _shown(value: sp.Expr) -> str:
    """A sample point's value in six digits: 0.3141, or 0.3141*I for an imaginary symbol."""
    number = complex(value)
    if number.imag == 0:
        return f"{number.real:.6g}"
    return f"{number.imag:.6g}*I" if number.real == 0 else f"{number:.6g}"


def _numeric_difference(left: sp.Expr, right: sp.Expr) -> tuple[bool, tuple[tuple[str, str], ...]]:
    """Compare both sides at the sample points; return (consistent, counterexample)."""
    symbols = left.free_symbols | right.free_symbols
    for row in range(len(POINTS)):
        point = spread(symbols, row)
        a, b = at(left, point), at(right, point)
        if a is None or b is None:
            continue
        if not close(a, b):
            where = tuple((s.name, _shown(v)) for s, v in point.items())
            values = (("before", f"{a:.10g}"), ("after", f"{b:.10g}"))
            return False, where + values
    return True, ()


#: What a check proven by :func:`_between_jumps` says of where the step holds.
AWAY_FROM_JUMPS = (
    "holds away from the jumps: where no argument of floor, ceiling or frac is an integer "
    "and no argument of sign, |·| or δ is 0"
)


def _held(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` with ⌊w⌋ and ⌈w⌉ as constants and frac(w) as w − ⌊w⌋: between jumps."""
    constants: dict[sp.Expr, sp.Expr] = {}
    for node in sorted(expr.atoms(*ROUNDING), key=sp.default_sort_key):
        (w,) = node.args
        floor = sp.Dummy(f"floor({w})", dummy_index=_REAL_INDEX + 1)
        ceiling = sp.Dummy(f"ceiling({w})", dummy_index=_REAL_INDEX + 2)
        constants[node] = {sp.floor: floor, sp.ceiling: ceiling, sp.frac: w - floor}[type(node)]
    return expr.xreplace(constants)


def _real_valued(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` with each unknown function f(x) real-valued, as the rules take it."""
    return expr.replace(
        lambda node: isinstance(node, AppliedUndef) and node.is_real is None,
        lambda node: function(type(node).__name__, real=True)(*node.args),
    )


def _between_jumps(before: sp.Expr, after: sp.Expr) -> str | None:
    """Prove ``before = after`` where no function of the step jumps, or return None.

    Between the integers ⌊w⌋ is a constant; away from its zeros δ(w) is 0, so sign(w) and |w|
    have derivatives 0 and sign(w) there. A step that holds only there says so in its words.
    """
    if not any(side.has(*ROUNDING, sp.sign, sp.Abs) for side in (before, after)):
        return None
    left, right = (
        _checked(_held(_real_valued(write_out(side)))).replace(sp.DiracDelta, lambda *_: sp.S.Zero)
        for side in (before, after)
    )
    method = _proven_exactly(left, right)
    return None if method is None else f"{method}, away from the jumps"


#: What a check proven by :func:`_positive_exponents` says of where the step holds.
WHERE_POSITIVE = "holds where the exponent of each power of 0 is positive (0ʷ = 0 there)"


def _positive_exponents(before: sp.Expr, after: sp.Expr) -> str | None:
    """Prove ``before = after`` where each power 0ʷ has w > 0, or return None.

    There 0ʷ is the constant 0 (SymPy evaluates 0 to a positive power to 0 by itself), so each
    such power is taken with a positive exponent of its own.
    """
    powers = {
        node
        for side in (before, after)
        for node in side.atoms(sp.Pow)
        if node.base == 0 and not node.exp.is_number
    }
    if not powers:
        return None
    positive = {node: sp.Pow(0, sp.Dummy("w", positive=True)) for node in powers}
    left, right = (_checked(side.xreplace(positive)) for side in (before, after))
    method = _proven_exactly(left, right)
    return None if method is None else f"{method}, where the exponents are positive"


def _max_min_in_pieces(before: sp.Expr, after: sp.Expr) -> str | None:
    """Prove ``before = after`` with every max and min written as SymPy's Piecewise, or None."""
    if not any(side.has(sp.Max, sp.Min) for side in (before, after)):
        return None

    def pieces(side: sp.Expr) -> sp.Expr:
        return side.replace(
            lambda node: isinstance(node, (sp.Max, sp.Min)),
            lambda node: node.rewrite(sp.Piecewise),
        )

    left, right = pieces(before), pieces(after)
    method = "structural" if left == right else _proven_exactly(_checked(left), _checked(right))
    return None if method is None else f"{method}, max and min written in pieces"


def _sampled(
    left: sp.Expr, right: sp.Expr, timeout: float
) -> tuple[bool, tuple[tuple[str, str], ...]]:
    """The numeric comparison, in a bounded worker where a side holds a Sum or an Integral."""
    if not (left.has(*SLOW_TO_EVALUATE) or right.has(*SLOW_TO_EVALUATE)):
        return _numeric_difference(left, right)
    return run_bounded(lambda: _numeric_difference(left, right), timeout, what="sampling")


def check_identity(before: sp.Expr, after: sp.Expr, timeout: float = DEFAULT_TIMEOUT) -> Check:
    """Check ``before = after``: verified, unverified (ran out of time) or failed."""
    started = time.perf_counter()

    def done(status: CheckStatus, method: str, detail: str = "", where: tuple = ()) -> Check:
        return Check(status, method, time.perf_counter() - started, detail, where)

    written = write_out(before), write_out(after)
    if written[0] == written[1]:  # a named function by its definition: the checks' own meaning
        return done(CheckStatus.VERIFIED, "structural")
    left, right = _checked(before), _checked(after)
    method = _proven_exactly(left, right)
    if method is not None:
        return done(CheckStatus.VERIFIED, method)
    between = _between_jumps(before, after)
    if between is not None:
        return done(CheckStatus.VERIFIED, between, AWAY_FROM_JUMPS)
    pieces = _max_min_in_pieces(before, after)
    if pieces is not None:
        return done(CheckStatus.VERIFIED, pieces)
    positive = _positive_exponents(before, after)
    if positive is not None:
        return done(CheckStatus.VERIFIED, positive, WHERE_POSITIVE)
    difference = left - right
    try:
        consistent, where = _sampled(left, right, timeout)
    except TimeoutError:
        return done(CheckStatus.UNVERIFIED, "numeric", f"sampling ran out of {timeout:g} s")
    except LimitError as exc:
        return done(CheckStatus.UNVERIFIED, "numeric", f"sampling failed: {exc}")
    if not consistent:
        return done(CheckStatus.FAILED, "numeric", "the two sides differ", where)
    try:
        simplified = run_bounded(lambda: sp.simplify(difference), timeout)
    except TimeoutError:
        return done(CheckStatus.UNVERIFIED, "numeric", f"simplify ran out of {timeout:g} s")
    except LimitError as exc:  # simplify ran out of memory in its worker
        return done(CheckStatus.UNVERIFIED, "numeric", f"simplify failed: {exc}")
    except Exception as exc:  # SymPy failing inside simplify: not proven, not a bug of ours
        return done(
            CheckStatus.UNVERIFIED, "numeric", f"simplify failed: {type(exc).__name__}: {exc}"
        )
    if simplified == 0:
        return done(CheckStatus.VERIFIED, "simplify")
    return done(CheckStatus.UNVERIFIED, "numeric", "not proven; equal at the sample points")


def _proven_exactly(
    left: sp.Expr, right: sp.Expr, refuted: Callable[[], bool] | None = None
) -> str | None:
    """Return the exact route that proves ``left = right``, or None (at once, when the first
    route fails and ``refuted()`` is true: the other routes need not be tried)."""
    if left == right:
        return "structural"
    difference = left - right
    if difference == 0:
        return "structural"
    for number, (method, route) in enumerate(_routes_for(difference)):
        if number == 1 and refuted is not None and refuted():
            return None
        if route(difference) == 0:
            return method
    return None


#: The routes tried first on a difference with trigonometric or hyperbolic functions.
_TRIGONOMETRIC_FIRST = ("rational", "pythagorean")


def _routes_for(difference: sp.Expr) -> tuple[tuple[str, Callable[[sp.Expr], sp.Expr]], ...]:
    """The exact routes in the order to try them on ``difference``.

    With sines and cosines in it, the pythagorean route comes right after the rational one:
    cancel, expand and together see sin(x), cos(x) and sin(2x) as unrelated atoms, and on
    −2·sin(x)·cos(x) + sin(2x) they fail after doing all their work. Powers of e that may
    cancel (e^(−x)/(1 + e^(−x))² − eˣ/(eˣ + 1)²) go first, in one t = e^(x/q): cheaper than cancel.
    """
    routes = _exact_routes()
    if difference.has(TrigonometricFunction, HyperbolicFunction):
        first = tuple(r for r in routes if r[0] in _TRIGONOMETRIC_FIRST)
        routes = first + tuple(r for r in routes if r[0] not in _TRIGONOMETRIC_FIRST)
    cheap = (("exponentials", exponentials_zero),) if relates_exponentials(difference) else ()
    return cheap + routes
