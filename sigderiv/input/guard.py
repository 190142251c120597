"""derive's arguments checked before they reach SymPy, and warnings about misleading derivatives.

The variable and the function's name are the only user text besides the expression that
becomes a SymPy object (``Symbol(var)``, ``Defined(Str(name), ...)``), so they are held to
the parser's rules for names: plain ASCII identifiers, no Python keywords, no leading ``_``
(so no dunders), and not the name of a function or a constant.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Sequence

import sympy as sp

from sigderiv.errors import LimitError, ParseError
from sigderiv.expr.functions import NAMES, Defined, is_named, lookup
from sigderiv.input.limits import MAX_NAME_LENGTH
from sigderiv.input.parse import CONSTANTS, FUNCTIONS
from sigderiv.input.vocabulary import GREEK_NAMES, UNDEFINED_VALUES, close_match
from sigderiv.printing.inline import inline

__all__ = [
    "Layers",
    "check_defined",
    "check_name",
    "function_name",
    "layers",
    "name_warnings",
    "variable",
    "warnings",
]

#: derive's ``layers=``: None or False (none), True (found), or (name, value) pairs.
Layers = bool | Sequence[tuple[str, "str | sp.Expr"]] | None

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*", re.ASCII)
_LETTERS = re.compile(r"[A-Za-z]+", re.ASCII)


def _check_identifier(text: str, what: str) -> None:
    """Raise ParseError (with the column) unless ``text`` is a plain ASCII identifier."""
    example = "x or t" if what == "variable" else "f or swish"
    if not text:
        raise ParseError(f"the {what} must be a name such as {example}, not empty text", text, 0)
    if len(text) > MAX_NAME_LENGTH:
        label = what if what.endswith("name") else f"{what} name"  # not "function name name"
        raise LimitError(
            f"the {label} is {len(text)} characters long; the limit is "
            f"MAX_NAME_LENGTH = {MAX_NAME_LENGTH}"
        )
    if _IDENTIFIER.fullmatch(text):
        return
    for i, char in enumerate(text):
        if i == 0 and char == "_":
            raise ParseError(f"the {what} cannot start with '_'", text, 0)
        if i == 0 and char.isdigit():
            raise ParseError(f"the {what} cannot start with a digit", text, 0)
        if not (char.isascii() and (char.isalnum() or char == "_")):
            code = ord(char)
            label = unicodedata.name(char, "a control character")
            raise ParseError(
                f"the {what} must be a plain ASCII name such as {example}: character "
                f"U+{code:04X} ({label}) is not allowed",
                text,
                i,
            )
    raise ParseError(f"the {what} must be a plain ASCII name such as {example}", text, 0)


def _check_reserved(text: str, what: str) -> None:
    """Refuse Python keywords and the names of constants."""
    if keyword.iskeyword(text):
        raise ParseError(f"'{text}' is a Python keyword and cannot be the {what}", text, 0)
    if text in CONSTANTS:
        meaning = "Euler's number" if text in ("e", "E") else "the constant π"
        raise ParseError(f"'{text}' is {meaning}; it cannot be the {what}", text, 0)


def variable(var: object, expr: object = None) -> sp.Symbol:
    """Return the Symbol to differentiate in, from a name or a Symbol; raise ParseError.

    A name that matches exactly one symbol of a SymPy ``expr`` (say one made with
    ``real=True``) gives that symbol, so ``derive(x_real**2, "x")`` differentiates in it.
    """
    if isinstance(var, sp.Symbol):
        return var
    if not isinstance(var, str):
        raise ParseError(f"the variable must be a name such as x, not a {type(var).__name__}")
    _check_identifier(var, "variable")
    _check_reserved(var, "variable")
    if var in FUNCTIONS:
        raise ParseError(f"'{var}' is a function; it cannot be the variable", var, 0)
    if isinstance(expr, sp.Basic):
        same = [s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s.name == var]
        if len(same) == 1:
            return same[0]
    return sp.Symbol(var)


def _shadows_a_function(name: str) -> bool:
    """True for names that SymPy's own functions print as (sin, exp, tanh), or f, g, h."""
    if name not in FUNCTIONS:
        return False
    entry = lookup(name)
    return entry is None or not is_named(entry.apply(sp.Symbol("y")))


def function_name(name: object, x: sp.Symbol) -> str | None:
    """Return the checked name for the function (None stays None); raise ParseError."""
    if name is None:
        return None
    if not isinstance(name, str):
        raise ParseError(f"a function name must be text, not a {type(name).__name__}")
    _check_identifier(name, "function name")
    _check_reserved(name, "function name")
    if _shadows_a_function(name):
        raise ParseError(f"'{name}' is already a function; choose another name for yours", name, 0)
    if name == x.name:
        raise ParseError(f"the function cannot be called {name}, the variable's name", name, 0)
    return name


def layers(given: object) -> Layers:
    """Return derive's ``layers=`` checked: None, True, or (name, value) pairs; raise ParseError.

    Each name is held to the rules for a variable's name; each value is text for the
    parser (read later, in the worker) or a SymPy expression.
    """
    if given is None or given is False:
        return None
    if given is True:
        return True
    if isinstance(given, (str, bytes)) or not isinstance(given, Sequence) or not given:
        raise ParseError("layers= takes True or (name, value) pairs such as [('z', 'w*x + b')]")
    checked: list[tuple[str, str | sp.Expr]] = []
    for pair in given:
        if not (isinstance(pair, Sequence) and len(pair) == 2 and isinstance(pair[0], str)):
            raise ParseError(f"a layer is a (name, value) pair, not {pair!r:.60}")
        name, value = pair
        _check_identifier(name, "layer's name")
        _check_reserved(name, "layer's name")
        if not isinstance(value, (str, sp.Expr)):
            raise ParseError(f"the value of layer {name} must be text or a SymPy expression")
        checked.append((name, value))
    if len({n for n, _ in checked}) != len(checked):
        raise ParseError("each layer needs a name of its own")
    return tuple(checked)


#: SymPy's values that are not numbers, with what each one is (as the parser says it).
_UNDEFINED: tuple[tuple[sp.Basic, str], ...] = (
    (sp.zoo, UNDEFINED_VALUES["zoo"]),
    (sp.nan, UNDEFINED_VALUES["nan"]),
    (sp.oo, UNDEFINED_VALUES["oo"]),
    (sp.S.NegativeInfinity, UNDEFINED_VALUES["oo"].replace("infinity", "minus infinity", 1)),
)


def check_defined(expr: sp.Basic) -> None:
    """Refuse a SymPy expression that contains zoo, nan, oo or -oo: no function has those."""
    for value, meaning in _UNDEFINED:
        if expr.has(value):
            raise ParseError(f"the expression contains {value}, which {meaning}")


def check_name(name: str | None, function: sp.Expr) -> None:
    """Refuse a function name that is also a parameter of the function (k(x) next to k)."""
    if name is None:
        return
    if any(getattr(s, "name", None) == name for s in function.free_symbols):
        raise ParseError(
            f"'{name}' is already a name in the expression; choose another name for the function",
            name,
            0,
        )


def _visible_symbols(expr: sp.Basic) -> set[sp.Symbol]:
    """Symbols of ``expr`` outside the definitions of named functions (their parameters)."""
    found: set[sp.Symbol] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, sp.Symbol):
            found.add(node)
        elif isinstance(node, Defined):
            stack.append(node.argument)
        else:
            stack.extend(node.args)
    return found


def _parameters_of(expr: sp.Basic, x: sp.Symbol) -> list[str]:
    """Names of the named functions in ``expr`` whose definitions have ``x`` as a parameter."""
    return sorted({f.name for f in expr.atoms(Defined) if x in f.args[1].free_symbols})


def _split(name: str, x: str) -> str | None:
    """Return what ``name`` probably meant around ``x`` (kx -> k*x, sinx -> sin(x)), or None."""
    if name == x or name.lower() in GREEK_NAMES or not _LETTERS.fullmatch(name) or x not in name:
        return None
    start = name.index(x)
    before, after = name[:start], name[start + len(x) :]
    if before in FUNCTIONS and not after:
        return f"{before}({x})"
    for part in (before, after):
        if part and not (len(part) == 1 or part in CONSTANTS):
            return None
    return "*".join(p for p in (before, x, after) if p)


#: Letters people differentiate in, most likely first; other names are more likely parameters.
_VARIABLES = "txyzuvwsrqp"


def _likely_variable(name: str) -> tuple[int, str]:
    """Sort key: the usual variable letters first, then other single letters, then names."""
    if name in _VARIABLES:
        return (_VARIABLES.index(name), name)
    return (len(_VARIABLES) + (0 if len(name) == 1 else 1), name)


def _one_name(name: str, x: str, typed: bool) -> str | None:
    """Return the warning for ``name`` read as one symbol, or None.

    ``typed`` is whether the parser took ``name`` as one symbol from the user's text (it
    may then be a misspelled function or a product of letters); a SymPy expression's names
    get only the hints around ``x`` (kx, sinx).
    """
    product = _split(name, x)
    if product is not None:
        if "*" in product:
            return (
                f"'{name}' is one name, not {product}; write {product.replace('*', ' ')} or "
                f"{product} if that is what you mean"
            )
        bare = product.replace("(", " ").rstrip(")")
        return f"'{name}' is one name; write {product} or {bare} for the function applied to {x}"
    if not typed:
        return None
    known = close_match(name, NAMES)
    if known is not None:
        return f"{name} is not in the catalogue: did you mean {known}?"
    known = close_match(name, FUNCTIONS)
    if known is not None:
        return f"'{name}' is one name, not a function: did you mean {known}(...)?"
    letters = "*".join(name)
    return (
        f"'{name}' is one name, not {letters}; write {letters.replace('*', ' ')} or {letters} "
        "for the product"
    )


def name_warnings(one_names: Sequence[str], x: sp.Symbol) -> tuple[str, ...]:
    """Return a warning for each word the parser read as one symbol (see :func:`warnings`)."""
    found = (_one_name(name, x.name, True) for name in one_names)
    return tuple(w for w in found if w is not None)


def warnings(
    function: sp.Expr,
    x: sp.Symbol,
    parameters: tuple[sp.Symbol, ...] = (),
    one_names: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Return what the user should know about d/dx of ``function`` that the result hides.

    ``parameters`` are a catalogue function's own parameters (swish's beta), when the
    function came from the catalogue; ``one_names`` the words the parser read as one
    symbol each (:attr:`sigderiv.input.parse.Reading.one_names`), when it came from text.
    """
    found: list[str] = []
    bare = isinstance(function, sp.Symbol) and function != x
    if bare and function.name not in one_names:  # a bare name: a misspelled entry?
        known = close_match(function.name, NAMES)
        if known is not None:
            found.append(f"{function.name} is not in the catalogue: did you mean {known}?")
    visible = _visible_symbols(function)
    names = sorted({s.name for s in visible if isinstance(s, sp.Symbol)})
    if x in parameters:
        found.append(
            f"{x} is also a parameter of this catalogue function, so it fills both places: "
            f"the function derived is {inline(function)}; use another variable to keep them "
            "apart"
        )
    typed = [n for n in one_names if n in names]
    for name in [*typed, *(n for n in names if n not in typed)]:
        message = _one_name(name, x.name, name in typed)
        if message is not None:
            found.append(message)
    inside = _parameters_of(function, x)
    others = [n for n in names if n != x.name]
    guess = close_match(x.name, others) or (min(others, key=_likely_variable) if others else None)
    listed = f" (its names: {', '.join(others)})" if len(others) > 1 else ""
    if x not in visible and inside:
        found.append(
            f"{x} occurs only as a parameter inside the definition of {', '.join(inside)}, "
            "not in its argument, so its derivative is taken with the argument fixed"
            + (f"; did you mean var={guess!r}?{listed}" if guess else "")
        )
    elif inside:
        found.append(
            f"{x} is also a parameter inside the definition of {', '.join(inside)}; it is "
            "differentiated there too"
        )
    elif x not in visible and guess and not any(_split(n, x.name) for n in names):
        found.append(
            f"the input does not contain {x}, so its derivative is 0; did you mean "
            f"var={guess!r}?{listed}"
        )
    return tuple(found)
