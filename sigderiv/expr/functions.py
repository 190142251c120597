"""Named functions (σ, ...) that know their definition and derivative; the activation catalogue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

import sympy as sp
from mpmath.libmp import prec_to_dps
from sympy.core.symbol import Str
from sympy.printing.precedence import PRECEDENCE

from sigderiv.expr.build import function
from sigderiv.expr.intermediate import unnamed
from sigderiv.expr.walk import atoms_of

if TYPE_CHECKING:
    from sigderiv.model.steps import Derivation


class PrintsDefinition:
    """Code printers (lambdify, pycode, ccode, NumPy, JAX, PyTorch...) write the definition.

    A named function means nothing to numpy or C, so SymPy's code printers are handed the
    expression it stands for: ``lambdify(x, σ(x)·(1 − σ(x)))`` runs, a Piecewise inside
    comes out vectorised (``numpy.select``). Each printer looks for its own method name.
    """

    def expand_definition(self) -> sp.Expr:
        """Return this application with the function replaced by its definition."""
        raise NotImplementedError

    def _print_definition(self, printer: Any, **kwargs: Any) -> str:
        # In brackets unless a call or an atom: y/σ(x) must not print as y/1/(1 + exp(-x)).
        return str(printer.parenthesize(self.expand_definition(), PRECEDENCE["Func"], strict=True))

    # The print method of each of SymPy's code printers (Printer.printmethod).
    _pythoncode = _numpycode = _scipycode = _cupycode = _jaxcode = _torchcode = _print_definition
    _tensorflowcode = _mpmathcode = _cmathcode = _lambdacode = _numexprcode = _print_definition
    _ccode = _cxxcode = _fcode = _rust_code = _javascript = _julia = _octave = _print_definition
    _rcode = _glsl = _maple = _mcode = _print_definition


class NamedFunction(PrintsDefinition, sp.Function):
    """A function of one argument with a closed-form definition, kept unevaluated.

    Subclasses implement :meth:`definition` and :meth:`derivative`; the class name is
    what printers show (``sigma`` prints as σ in unicode and ``\\sigma`` in LaTeX).
    """

    nargs = 1
    catalogue_name: ClassVar[str] = ""

    @classmethod
    def definition(cls, arg: sp.Expr) -> sp.Expr:
        """Return the explicit expression this function stands for, at ``arg``."""
        raise NotImplementedError

    @classmethod
    def derivative(cls, arg: sp.Expr) -> sp.Expr:
        """Return the derivative of this function at ``arg``, in terms of itself."""
        raise NotImplementedError

    def expand_definition(self) -> sp.Expr:
        """Return this application with the function replaced by its definition."""
        return self.definition(self.args[0])

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        """A number from the definition, when the argument is one (σ(2) ≈ 0.8808)."""
        value = self.expand_definition().evalf(prec_to_dps(prec))
        return value if value.is_number else None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """Return the derivative in the argument, from :meth:`derivative` (SymPy's hook)."""
        if argindex != 1:
            raise sp.ArgumentIndexError(self, argindex)
        return self.derivative(self.args[0])

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: object) -> sp.Expr:
        return self.definition(arg)


class sigma(NamedFunction):  # noqa: N801 - SymPy prints the class name: sigma -> σ
    """The logistic sigmoid σ(u) = 1/(1 + e^(−u)), with σ′ = σ(1 − σ)."""

    catalogue_name = "sigmoid"

    @classmethod
    def definition(cls, arg: sp.Expr) -> sp.Expr:
        """Return 1/(1 + e^(−arg)), the logistic function written out."""
        return 1 / (1 + sp.exp(-arg))

    @classmethod
    def derivative(cls, arg: sp.Expr) -> sp.Expr:
        """Return σ(arg)·(1 − σ(arg)), the derivative in terms of σ itself."""
        return cls(arg) * (1 - cls(arg))

    def _eval_is_extended_real(self) -> bool | None:
        return True if self.args[0].is_extended_real else None


# Bound variables and stand-ins are plain symbols with names no input can use (a leading
# underscore): Dummy symbols would sort by their creation count, so the order of factors
# in a result would depend on what the process had done before.
_BOUND = sp.Symbol("_y")
_DERIVATIVE_BOUND = sp.Symbol("_z")  # its own name: a derivative holds definitions bound by _y


def apply_lambda(lam: sp.Lambda, arg: sp.Expr) -> sp.Expr:
    """Return lam(arg), leaving the definitions of named functions inside untouched.

    ``Lambda.__call__`` replaces its variable everywhere, also where a nested named
    function's own Lambda binds the same name; ``subs`` respects that binding.
    """
    return lam.expr.subs(lam.variables[0], arg)


class Defined(PrintsDefinition, sp.Function):
    """name(u) for a function given by its definition: ``Defined(Str(name), Lambda(y, body), u)``.

    The name and the definition travel inside the expression, so it prints as ``name(u)``,
    pickles, and can be written out (:meth:`expand_definition`) anywhere. A fourth argument,
    ``Lambda(y, derivative)``, carries a derivative already found (for higher orders).
    """

    nargs = (3, 4)
    # A scalar, like every function here; without this SymPy asks each argument, the Lambda
    # too, and SymPy's Lambda fails such questions (simplify of an ELU result raised).
    is_commutative = True

    @classmethod
    def eval(cls, *args: sp.Basic) -> None:  # safe: SymPy's hook, not builtins.eval
        """Leave name(u) as it is (SymPy's hook for automatic simplification on creation)."""
        return None

    @property
    def known_derivative(self) -> sp.Lambda | None:
        """The derivative found earlier, as a Lambda in terms of the function itself."""
        return self.args[3] if len(self.args) == 4 else None

    def plain(self) -> Defined:
        """Return this application without a known derivative."""
        return Defined(*self.args[:3])

    def at(self, arg: sp.Expr) -> Defined:
        """Return the same function (without a known derivative) applied to ``arg``."""
        return Defined(self.args[0], self.args[1], arg)

    def knowing(self, derivative: sp.Expr) -> Defined:
        """Return this application carrying ``derivative`` (an expression in its argument)."""
        arg = self.args[2]
        bound = _DERIVATIVE_BOUND
        return Defined(*self.args[:3], sp.Lambda(bound, derivative.xreplace({arg: bound})))

    @property
    def name(self) -> str:
        """The function's name, e.g. ``ELU``."""
        return self.args[0].name

    @property
    def argument(self) -> sp.Expr:
        """The argument u of name(u)."""
        return self.args[2]

    @property
    def free_symbols(self) -> set[sp.Basic]:
        """The free symbols of the definition and the argument; the name is not a symbol."""
        return set().union(*(a.free_symbols for a in self.args[1:]))

    def expand_definition(self) -> sp.Expr:
        """Return the definition at this argument."""
        return apply_lambda(self.args[1], self.args[2])

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        """A number from the definition, when the argument is one (σ(2) ≈ 0.8808)."""
        value = self.expand_definition().evalf(prec_to_dps(prec))
        return value if value.is_number else None

    def _eval_subs(self, old: sp.Basic, new: sp.Basic) -> sp.Expr | None:
        if old == self.args[2]:
            return self.at(new)
        return None

    def fdiff(self, argindex: int = 3) -> sp.Expr:
        """Return the derivative in the argument: the one carried, else the definition's."""
        if self.known_derivative is not None:
            return apply_lambda(self.known_derivative, self.args[2])
        lam = self.args[1]
        y = lam.variables[0]
        return sp.diff(lam.expr, y).subs(y, self.args[2])

    def _eval_derivative(self, s: sp.Symbol) -> sp.Expr:
        return self.fdiff() * sp.diff(self.args[2], s)

    def _shown(self) -> sp.Expr:
        return function(self.name)(self.args[2])

    def _sympystr(self, printer: Any) -> str:
        return printer._print(self._shown())

    def _pretty(self, printer: Any) -> Any:
        return printer._print(self._shown())

    def _latex(self, printer: Any, exp: Any = None) -> str:
        return printer._print(self._shown())

    def _mathml(self, printer: Any) -> Any:
        return printer._print(self._shown())


def defined(name: str, body: Callable[[sp.Symbol], sp.Expr]) -> Callable[[sp.Expr], sp.Expr]:
    """Return ``u -> name(u)``, a named function with the definition ``body``.

    The definition is built on first use, so that the catalogue costs nothing to import.
    """

    @cache
    def definition() -> sp.Lambda:
        return sp.Lambda(_BOUND, body(_BOUND))

    def apply(arg: sp.Expr) -> sp.Expr:
        return Defined(Str(name), definition(), arg)

    apply.__name__ = name
    return apply


def is_named(expr: sp.Basic) -> bool:
    """True for an application of a named function (σ(u) or a Defined name(u))."""
    return isinstance(expr, (NamedFunction, Defined))


def write_out(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` with every named function and named quantity written out, recursively."""
    expr = unnamed(expr)
    for _ in range(20):  # definitions may use other named functions; they do not recurse
        if not expr.has(NamedFunction, Defined):
            return expr
        expr = expr.replace(is_named, lambda e: e.expand_definition())
    return expr


def masked(expr: sp.Expr) -> tuple[sp.Expr, dict[sp.Symbol, sp.Expr]]:
    """Return ``expr`` with each Defined application replaced by a symbol, and the way back.

    Their definitions travel inside as Lambdas, which algebra and operation counts must
    not look into.
    """
    back: dict[sp.Symbol, sp.Expr] = {}
    forward: dict[sp.Expr, sp.Symbol] = {}
    for applied in sorted(atoms_of(expr, Defined), key=sp.default_sort_key):
        symbol = sp.Symbol(f"_{applied.name}_{len(back)}")
        forward[applied] = symbol
        back[symbol] = applied
    return (expr.xreplace(forward) if forward else expr), back


def operations(expr: sp.Expr) -> int:
    """Return SymPy's operation count, a Defined application counting as one symbol."""
    return int(sp.count_ops(masked(expr)[0]))


# ---- the activation catalogue -----------------------------------------------------------------

ALPHA = sp.Symbol("alpha")
BETA = sp.Symbol("beta")
LAMBDA = sp.Symbol("lambda")
SLOPE = sp.Symbol("s")


@dataclass(frozen=True)
class CatalogueEntry:
    """One catalogue function: names, the function, parameters with PyTorch's defaults."""

    name: str
    function: Callable[[sp.Expr], sp.Expr]
    aliases: tuple[str, ...] = field(default=())
    description: str = ""
    parameters: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()

    def apply(self, arg: sp.Expr) -> sp.Expr:
        """Return the named application f(arg), e.g. σ(x) or ELU(x)."""
        return self.function(arg)

    def definition(self, var: sp.Symbol) -> sp.Expr:
        """Return the definition of this function in ``var`` (named parts inside kept)."""
        applied = self.function(var)
        if isinstance(applied, (NamedFunction, Defined)):
            return applied.expand_definition()
        return applied


@dataclass(frozen=True)
class CatalogueRow:
    """One catalogue function with its derivation by the engine: what ``sigderiv list`` shows."""

    entry: CatalogueEntry
    named: sp.Expr  # f(x) as a named application: σ(x), tanh(x), ELU(x)
    definition: sp.Expr
    derivation: Derivation

    @property
    def derivative(self) -> sp.Expr:
        """The derivative as the engine wrote it last (its compact form)."""
        return self.derivation.steps[-1].after

    @property
    def in_terms_of_itself(self) -> bool:
        """True when the derivative is written with the function's own value."""
        return bool(self.derivation.result.has(self.named))


def _pw(*pieces: tuple[sp.Expr, Any]) -> sp.Expr:
    return sp.Piecewise(*pieces)


def _entries() -> tuple[CatalogueEntry, ...]:
    half = sp.Rational(1, 2)
    softplus = defined("softplus", lambda y: sp.log(1 + sp.exp(y)))
    hardsigmoid = defined(
        "hardsigmoid", lambda y: _pw((0, y <= -3), (1, y >= 3), (y / 6 + half, True))
    )
    return (
        CatalogueEntry("sigmoid", sigma, ("sigma", "σ", "logistic"), "the logistic sigmoid"),
        CatalogueEntry("tanh", sp.tanh, (), "the hyperbolic tangent"),
        CatalogueEntry("exp", sp.exp, (), "the exponential"),
        CatalogueEntry("softplus", softplus, (), "a smooth ReLU: ln(1 + e^x)"),
        CatalogueEntry(
            "softsign", defined("softsign", lambda y: y / (1 + sp.Abs(y))), (), "x/(1 + |x|)"
        ),
        CatalogueEntry(
            "silu", defined("SiLU", lambda y: y * sigma(y)), ("SiLU",), "x·σ(x), the SiLU"
        ),
        CatalogueEntry(
            "swish",
            defined("swish", lambda y: y * sigma(BETA * y)),
            (),
            "x·σ(βx); β = 1 is the SiLU",
            ((BETA, sp.Integer(1)),),
        ),
        CatalogueEntry(
            "mish",
            defined("mish", lambda y: y * sp.tanh(softplus(y))),
            (),
            "x·tanh(softplus(x))",
        ),
        CatalogueEntry(
            "gelu",
            defined("GELU", lambda y: y / 2 * (1 + sp.erf(y / sp.sqrt(2)))),
            ("GELU",),
            "x·Φ(x) with Φ the standard normal distribution function",
        ),
        CatalogueEntry(
            "gelu_tanh",
            defined(
                "GELU_tanh",
                lambda y: (
                    half
                    * y
                    * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (y + sp.Rational(44715, 10**6) * y**3)))
                ),
            ),
            (),
            "the tanh approximation of GELU",
        ),
        CatalogueEntry(
            "elu",
            defined("ELU", lambda y: _pw((y, y > 0), (ALPHA * (sp.exp(y) - 1), True))),
            ("ELU",),
            "x for x > 0, α(e^x − 1) otherwise",
            ((ALPHA, sp.Integer(1)),),
        ),
        CatalogueEntry(
            "selu",
            defined(
                "SELU",
                lambda y: LAMBDA * _pw((y, y > 0), (ALPHA * (sp.exp(y) - 1), True)),
            ),
            ("SELU",),
            "λ·ELU with PyTorch's fixed α and λ",
            (
                (ALPHA, sp.Float("1.6732632423543772848170429916717", 32)),
                (LAMBDA, sp.Float("1.0507009873554804934193349852946", 32)),
            ),
        ),
        CatalogueEntry(
            "celu",
            defined("CELU", lambda y: _pw((y, y > 0), (ALPHA * (sp.exp(y / ALPHA) - 1), True))),
            ("CELU",),
            "x for x > 0, α(e^(x/α) − 1) otherwise",
            ((ALPHA, sp.Integer(1)),),
        ),
        CatalogueEntry(
            "logsigmoid",
            defined("logsigmoid", lambda y: sp.log(sigma(y))),
            (),
            "ln σ(x)",
        ),
        CatalogueEntry(
            "tanhshrink", defined("tanhshrink", lambda y: y - sp.tanh(y)), (), "x − tanh(x)"
        ),
        CatalogueEntry(
            "relu", defined("ReLU", lambda y: _pw((y, y > 0), (0, True))), ("ReLU",), "max(0, x)"
        ),
        CatalogueEntry(
            "leaky_relu",
            defined("LeakyReLU", lambda y: _pw((y, y >= 0), (SLOPE * y, True))),
            ("LeakyReLU",),
            "x for x ≥ 0, s·x otherwise",
            ((SLOPE, sp.Rational(1, 100)),),
        ),
        CatalogueEntry("hardsigmoid", hardsigmoid, (), "0, x/6 + 1/2, 1: clipped at ±3"),
        CatalogueEntry(
            "hardtanh",
            defined("hardtanh", lambda y: _pw((-1, y < -1), (1, y > 1), (y, True))),
            (),
            "x clipped to [−1, 1]",
        ),
        CatalogueEntry(
            "hardswish",
            defined("hardswish", lambda y: _pw((0, y <= -3), (y, y >= 3), (y * (y + 3) / 6, True))),
            (),
            "x·hardsigmoid(x)",
        ),
    )


CATALOGUE: dict[str, CatalogueEntry] = {entry.name: entry for entry in _entries()}

#: Every spelling (catalogue name or alias) that names a catalogue function.
NAMES: dict[str, CatalogueEntry] = {
    alias: entry for entry in CATALOGUE.values() for alias in (entry.name, *entry.aliases)
}


def lookup(name: str) -> CatalogueEntry | None:
    """Return the catalogue entry called ``name`` (or one of its aliases), if any."""
    return NAMES.get(name)


def named_functions() -> tuple[type[NamedFunction], ...]:
    """Return every named function class (σ, ...)."""
    return (sigma,)
