"""The special functions: their names in words, and their derivatives from SymPy's ``fdiff``.

The table of derivatives (:mod:`sigderiv.expr.derivatives`) writes out the elementary
functions' derivatives in a textbook's form. A special function (sinc, erfinv, Γ, the Bessel
functions, ...) differentiates by its own ``fdiff``: what SymPy knows of it is taken as it is,
and named here in words, so a step says "the inverse error function", not "erfinv".
"""

from __future__ import annotations

import inspect

import sympy as sp
from sympy.codegen import cfunctions
from sympy.core.function import AppliedUndef, ArgumentIndexError

__all__ = ["NAMED", "TYPED", "arities", "declared_arities", "is_special", "name_of", "partial"]

#: Each special function in words; a function not listed is "the special function F".
NAMED: dict[type[sp.Function], str] = {
    sp.sinc: "the sinc function sin(x)/x",
    sp.atan2: "the two-argument arctangent",
    cfunctions.expm1: "eˣ − 1 (expm1)",
    cfunctions.log1p: "ln(1 + x) (log1p)",
    cfunctions.exp2: "2ˣ (exp2)",
    cfunctions.log2: "the base-2 logarithm",
    cfunctions.log10: "the base-10 logarithm",
    cfunctions.Cbrt: "the cube root",
    cfunctions.Sqrt: "the square root",
    cfunctions.hypot: "the hypotenuse √(x² + y²)",
    cfunctions.fma: "the fused multiply-add x·y + z",
    sp.Heaviside: "the Heaviside step function",
    sp.DiracDelta: "the Dirac delta",
    sp.erfinv: "the inverse error function",
    sp.erfcinv: "the inverse complementary error function",
    sp.erf2: "the two-argument error function erf(y) − erf(x)",
    sp.erfi: "the imaginary error function",
    sp.LambertW: "the Lambert W function",
    sp.gamma: "the gamma function Γ",
    sp.loggamma: "the log-gamma function",
    sp.digamma: "the digamma function ψ",
    sp.polygamma: "the polygamma function",
    sp.beta: "the beta function B",
    sp.uppergamma: "the upper incomplete gamma function",
    sp.lowergamma: "the lower incomplete gamma function",
    sp.besselj: "the Bessel function of the first kind",
    sp.bessely: "the Bessel function of the second kind",
    sp.besseli: "the modified Bessel function of the first kind",
    sp.besselk: "the modified Bessel function of the second kind",
    sp.hankel1: "the Hankel function of the first kind",
    sp.hankel2: "the Hankel function of the second kind",
    sp.jn: "the spherical Bessel function of the first kind",
    sp.yn: "the spherical Bessel function of the second kind",
    sp.airyai: "the Airy function Ai",
    sp.airybi: "the Airy function Bi",
    sp.airyaiprime: "the derivative of the Airy function Ai",
    sp.airybiprime: "the derivative of the Airy function Bi",
    sp.li: "the logarithmic integral",
    sp.Li: "the offset logarithmic integral",
    sp.Shi: "the hyperbolic sine integral",
    sp.Chi: "the hyperbolic cosine integral",
    sp.expint: "the generalised exponential integral",
    sp.fresnels: "the Fresnel sine integral",
    sp.fresnelc: "the Fresnel cosine integral",
    sp.elliptic_k: "the complete elliptic integral of the first kind",
    sp.elliptic_e: "the elliptic integral of the second kind",
    sp.elliptic_f: "the incomplete elliptic integral of the first kind",
    sp.elliptic_pi: "the elliptic integral of the third kind",
    sp.zeta: "the Riemann (Hurwitz) zeta function",
    sp.polylog: "the polylogarithm",
    sp.lerchphi: "the Lerch transcendent",
    sp.legendre: "the Legendre polynomial",
    sp.assoc_legendre: "the associated Legendre function",
    sp.chebyshevt: "the Chebyshev polynomial of the first kind",
    sp.chebyshevu: "the Chebyshev polynomial of the second kind",
    sp.hermite: "the Hermite polynomial",
    sp.laguerre: "the Laguerre polynomial",
    sp.assoc_laguerre: "the associated Laguerre polynomial",
    sp.gegenbauer: "the Gegenbauer polynomial",
    sp.jacobi: "the Jacobi polynomial",
    sp.factorial: "the factorial x! = Γ(x + 1)",
    sp.binomial: "the binomial coefficient",
    sp.harmonic: "the harmonic number",
    sp.catalan: "the Catalan number",
}


def is_special(applied: sp.Expr) -> bool:
    """True for SymPy's own function applied (sinc(x), besselj(n, x)): not f(x), not σ(x)."""
    if not isinstance(applied, sp.Function) or isinstance(applied, (AppliedUndef, sp.Piecewise)):
        return False  # a Piecewise is SymPy's Function too: the piecewise rule takes it
    return type(applied).__module__.startswith(("sympy.functions.", "sympy.codegen."))


def name_of(applied: sp.Expr) -> str:
    """Return the function of ``applied`` in words: "the inverse error function"."""
    return NAMED.get(type(applied), f"the special function {type(applied).__name__}")


def partial(applied: sp.Expr, index: int) -> sp.Expr | None:
    """Return ∂F/∂wᵢ of F(w₁, …, wₙ) = ``applied`` by SymPy's fdiff, or None.

    None when SymPy knows no closed form (the zeta function in s), or the result still holds
    a pending derivative or a derivative at a point.
    """
    try:
        result = applied.fdiff(index + 1)
    except (ArgumentIndexError, NotImplementedError, TypeError, ValueError, AttributeError):
        result = _by_diff(applied, index)  # factorial, binomial: SymPy differentiates a rewrite
        if result is None:
            return None
    if not isinstance(result, sp.Expr) or result.has(sp.Derivative, sp.Subs):
        return None
    return result


def _by_diff(applied: sp.Expr, index: int) -> sp.Expr | None:
    """Return ∂F/∂wᵢ by SymPy's diff in a fresh variable put at argument i, or None."""
    y = sp.Dummy("y")
    args = list(applied.args)
    at, args[index] = args[index], y
    try:
        result = sp.diff(applied.func(*args), y)
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        return None
    if not isinstance(result, sp.Expr) or result.has(sp.Derivative, sp.Subs):
        return None
    return result.xreplace({y: at})


def _typed() -> dict[str, type[sp.Function]]:
    """The names a learner types for the special functions, each the SymPy function it means.

    The lower-case ``gamma``, ``beta`` and ``zeta`` stay Greek letters (the γ of e^(−γx)) and
    ``W`` a weight: the functions are ``Gamma``/``Γ``, ``Beta``, ``Zeta`` and ``LambertW``.
    codegen's ``Sqrt`` and ``Cbrt`` are typed ``sqrt`` and ``cbrt``; the spherical Bessel
    functions ``jn`` and ``yn`` are not typed (yn would be y·n), nor ψ (a Greek letter).
    """
    names: dict[str, type[sp.Function]] = {
        function.__name__: function
        for function in NAMED
        if function.__name__ not in {"gamma", "beta", "zeta", "Sqrt", "Cbrt", "jn", "yn"}
    }
    names.update({"Gamma": sp.gamma, "Γ": sp.gamma, "Beta": sp.beta, "Zeta": sp.zeta})

    return names


#: Every special function by the names text input accepts (sinc, atan2, log1p, Γ, besselj, ...).
TYPED: dict[str, type[sp.Function]] = _typed()


def declared_arities(function: object) -> tuple[int, ...] | None:
    """Return the argument counts ``function`` declares (SymPy's finite ``nargs``), or None."""
    nargs = getattr(function, "nargs", None)
    if isinstance(nargs, sp.FiniteSet):
        return tuple(sorted(int(n) for n in nargs))
    return None


def arities(function: type[sp.Function]) -> tuple[int, ...]:
    """Return the argument counts ``function`` takes: besselj 2, LambertW 1 or 2."""
    counts = declared_arities(function)
    if counts is not None:
        return counts
    if function is sp.lerchphi:  # Φ(z, s, a), though SymPy declares no argument count
        return (3,)
    try:  # a function without nargs whose eval names its arguments
        parameters = inspect.signature(function.eval).parameters.values()
    except (TypeError, ValueError):
        return (1,)
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return (1,)
    return (sum(1 for p in parameters if p.default is p.empty) or 1,)
