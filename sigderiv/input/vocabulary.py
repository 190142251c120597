"""The parser's vocabulary: the function names it accepts with their arities, the constants,
the words for undefined values it refuses, and the close-match hints for misspelled names."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

import sympy as sp

from sigderiv.errors import LimitError
from sigderiv.expr.derivatives import TABLE
from sigderiv.expr.functions import NAMES
from sigderiv.expr.special import TYPED, arities, declared_arities
from sigderiv.input.limits import MAX_FUNCTION_ORDER

#: Signature of a whitelisted function: the SymPy callable and the argument counts it takes.
FunctionSpec = tuple[Callable[..., sp.Expr], tuple[int, ...]]

#: Unknown functions a learner writes as f(x), g(x), h(x): their derivative stays f′.
UNDEFINED_FUNCTIONS: tuple[str, ...] = ("f", "g", "h")

#: Most arguments of max(...) and min(...), and most pieces of piecewise(...).
MAX_CHOICES = 16


def piecewise(*args: sp.Basic) -> sp.Expr:
    """piecewise(v₁, c₁, v₂, c₂, …, otherwise): v₁ where c₁ holds, else v₂ where c₂, …."""
    pairs = [(args[i], args[i + 1]) for i in range(0, len(args) - 1, 2)]
    if len(args) % 2:
        pairs.append((args[-1], sp.true))
    return sp.Piecewise(*pairs)


#: Functions of a choice between their arguments: the text's spellings, then SymPy's.
_CHOICES: dict[str, FunctionSpec] = {
    "max": (sp.Max, tuple(range(2, MAX_CHOICES + 1))),
    "min": (sp.Min, tuple(range(2, MAX_CHOICES + 1))),
    "Max": (sp.Max, tuple(range(2, MAX_CHOICES + 1))),
    "Min": (sp.Min, tuple(range(2, MAX_CHOICES + 1))),
    "piecewise": (piecewise, tuple(range(2, 2 * MAX_CHOICES + 2))),
}

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

#: Polynomial families that SymPy writes out when built with a whole degree (legendre(3, x)).
_POLYNOMIALS = frozenset(
    {
        "legendre",
        "assoc_legendre",
        "chebyshevt",
        "chebyshevu",
        "hermite",
        "laguerre",
        "assoc_laguerre",
        "gegenbauer",
        "jacobi",
    }
)


def _degree_bounded(function: type[sp.Function]) -> Callable[..., sp.Expr]:
    """Return ``function``, refusing a polynomial family's degree past MAX_FUNCTION_ORDER first.

    legendre(10**6, x) would be written out as a polynomial of a million terms while it is
    built, before the expression's limits are measured.
    """
    if function.__name__ not in _POLYNOMIALS:
        return function

    def bounded(*args: sp.Expr) -> sp.Expr:
        degree = args[0]
        if isinstance(degree, sp.Integer) and abs(degree) > MAX_FUNCTION_ORDER:
            raise LimitError(
                f"{function.__name__} of degree past {MAX_FUNCTION_ORDER}; the limit is "
                f"MAX_FUNCTION_ORDER = {MAX_FUNCTION_ORDER}"
            )
        return function(*args)

    return bounded


#: Every function of the table of derivatives by its SymPy name (sin, asinh, erf, Abs, ...),
#: the aliases, and the unknown functions.
_BUILTIN_FUNCTIONS: dict[str, FunctionSpec] = {
    **{name: (sp.Function(name), (1,)) for name in UNDEFINED_FUNCTIONS},  # safe: our own names
    **{function.__name__: (function, (1,)) for function in TABLE},
    **{name: (_degree_bounded(function), arities(function)) for name, function in TYPED.items()},
    **_ALIASES,
    **_CHOICES,
}


def _catalogue_arity(function: Callable[[sp.Expr], sp.Expr]) -> tuple[int, ...]:
    """Return the argument counts a catalogue function accepts (1 unless it says otherwise)."""
    return declared_arities(function) or (1,)


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

#: Words for values that are not numbers, by their lower-case spelling: the parser refuses
#: them (as names they would be symbols whose derivative is 0, as SymPy's singletons the
#: derivative of no function). Each message says what the word means.
UNDEFINED_VALUES: dict[str, str] = {
    "zoo": "is complex infinity, not a number: it has no derivative",
    "nan": "is 'not a number', an undefined value: it has no derivative",
    "oo": "is infinity, not a number: it has no derivative",
    "inf": "is infinity, not a number: it has no derivative",
    "infinity": "is infinity, not a number: it has no derivative",
}

#: Greek letters written as words: one name each, never a product (``xi`` is not x·i).
GREEK_NAMES: frozenset[str] = frozenset(
    [
        *("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"),
        *("kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau"),
        *("upsilon", "phi", "chi", "psi", "omega"),
    ]
)

#: How alike (difflib's ratio) a name must be to a known one to be suggested for it.
_CLOSE = 0.8


def close_match(word: str, names: Iterable[str]) -> str | None:
    """Return the known name ``word`` is most probably a misspelling of, or None.

    difflib (the standard library), not rapidfuzz: the names are a few hundred at most, so
    its speed is plenty and sigderiv takes no dependency for it. Case is ignored (Sin, sin),
    and names shorter than three letters get no suggestion (ab is more likely a*b than abs).
    """
    if len(word) < 3:
        return None
    lowered: dict[str, str] = {}
    for name in names:
        if len(name) > 1 and name != word:
            lowered.setdefault(name.lower(), name)
    found = difflib.get_close_matches(word.lower(), lowered, n=1, cutoff=_CLOSE)
    return lowered[found[0]] if found else None
