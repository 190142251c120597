"""The parser's vocabulary: every function name it accepts, with its arities, and the constants."""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from sigderiv.expr.functions import NAMES

#: Signature of a whitelisted function: the SymPy callable and the argument counts it takes.
FunctionSpec = tuple[Callable[..., sp.Expr], tuple[int, ...]]

#: Unknown functions a learner writes as f(x), g(x), h(x): their derivative stays f′.
UNDEFINED_FUNCTIONS: tuple[str, ...] = ("f", "g", "h")

_BUILTIN_FUNCTIONS: dict[str, FunctionSpec] = {
    **{name: (sp.Function(name), (1,)) for name in UNDEFINED_FUNCTIONS},  # safe: our own names
    "exp": (sp.exp, (1,)),
    "log": (sp.log, (1, 2)),
    "ln": (sp.log, (1,)),
    "sqrt": (sp.sqrt, (1,)),
    "cbrt": (sp.cbrt, (1,)),
    "root": (sp.root, (2,)),
    "sin": (sp.sin, (1,)),
    "cos": (sp.cos, (1,)),
    "tan": (sp.tan, (1,)),
    "cot": (sp.cot, (1,)),
    "sec": (sp.sec, (1,)),
    "csc": (sp.csc, (1,)),
    "asin": (sp.asin, (1,)),
    "acos": (sp.acos, (1,)),
    "atan": (sp.atan, (1,)),
    "acot": (sp.acot, (1,)),
    "asec": (sp.asec, (1,)),
    "acsc": (sp.acsc, (1,)),
    "arcsin": (sp.asin, (1,)),
    "arccos": (sp.acos, (1,)),
    "arctan": (sp.atan, (1,)),
    "arccot": (sp.acot, (1,)),
    "arcsec": (sp.asec, (1,)),
    "arccsc": (sp.acsc, (1,)),
    "sinh": (sp.sinh, (1,)),
    "cosh": (sp.cosh, (1,)),
    "tanh": (sp.tanh, (1,)),
    "coth": (sp.coth, (1,)),
    "sech": (sp.sech, (1,)),
    "csch": (sp.csch, (1,)),
    "asinh": (sp.asinh, (1,)),
    "acosh": (sp.acosh, (1,)),
    "atanh": (sp.atanh, (1,)),
    "acoth": (sp.acoth, (1,)),
    "asech": (sp.asech, (1,)),
    "acsch": (sp.acsch, (1,)),
    "arcsinh": (sp.asinh, (1,)),
    "arccosh": (sp.acosh, (1,)),
    "arctanh": (sp.atanh, (1,)),
    "arccoth": (sp.acoth, (1,)),
    "arcsech": (sp.asech, (1,)),
    "arccsch": (sp.acsch, (1,)),
    "erf": (sp.erf, (1,)),
    "erfc": (sp.erfc, (1,)),
    "abs": (sp.Abs, (1,)),
    "Abs": (sp.Abs, (1,)),
    "sign": (sp.sign, (1,)),
}


def _catalogue_arity(function: Callable[[sp.Expr], sp.Expr]) -> tuple[int, ...]:
    """Return the argument counts a catalogue function accepts (1 unless it says otherwise)."""
    nargs = getattr(function, "nargs", None)
    if isinstance(nargs, sp.FiniteSet):
        return tuple(sorted(int(n) for n in nargs))
    return (1,)


#: The function whitelist: every callable name, with its SymPy callable and allowed arities.
FUNCTIONS: dict[str, FunctionSpec] = {
    **_BUILTIN_FUNCTIONS,
    **{
        name: (entry.function, _catalogue_arity(entry.function))
        for name, entry in NAMES.items()
        if name not in _BUILTIN_FUNCTIONS
    },
}

#: Names that stand for mathematical constants rather than symbols.
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "π": sp.pi, "e": sp.E, "E": sp.E}
