"""The parser's vocabulary: every function name it accepts, with its arities, and the constants."""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from sigderiv.expr.derivatives import TABLE
from sigderiv.expr.functions import NAMES

#: Signature of a whitelisted function: the SymPy callable and the argument counts it takes.
FunctionSpec = tuple[Callable[..., sp.Expr], tuple[int, ...]]

#: Unknown functions a learner writes as f(x), g(x), h(x): their derivative stays f′.
UNDEFINED_FUNCTIONS: tuple[str, ...] = ("f", "g", "h")

#: Names the table of derivatives does not give: other spellings, a logarithm to a base, and
#: roots, which build powers.
_ALIASES: dict[str, FunctionSpec] = {
    "log": (sp.log, (1, 2)),
    "ln": (sp.log, (1,)),
    "sqrt": (sp.sqrt, (1,)),
    "cbrt": (sp.cbrt, (1,)),
    "root": (sp.root, (2,)),
    "arcsin": (sp.asin, (1,)),
    "arccos": (sp.acos, (1,)),
    "arctan": (sp.atan, (1,)),
    "arccot": (sp.acot, (1,)),
    "arcsec": (sp.asec, (1,)),
    "arccsc": (sp.acsc, (1,)),
    "arcsinh": (sp.asinh, (1,)),
    "arccosh": (sp.acosh, (1,)),
    "arctanh": (sp.atanh, (1,)),
    "arccoth": (sp.acoth, (1,)),
    "arcsech": (sp.asech, (1,)),
    "arccsch": (sp.acsch, (1,)),
    "abs": (sp.Abs, (1,)),
}

#: Every function of the table of derivatives by its SymPy name (sin, asinh, erf, Abs, ...),
#: the aliases, and the unknown functions.
_BUILTIN_FUNCTIONS: dict[str, FunctionSpec] = {
    **{name: (sp.Function(name), (1,)) for name in UNDEFINED_FUNCTIONS},  # safe: our own names
    **{function.__name__: (function, (1,)) for function in TABLE},
    **_ALIASES,
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
