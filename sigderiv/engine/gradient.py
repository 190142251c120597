"""grad(): the partial derivative in each variable, derived step by step, as one gradient."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from sigderiv.engine.deriver import derive
from sigderiv.errors import ParseError
from sigderiv.input import guard
from sigderiv.input.limits import CHECK_TIMEOUT, MEMORY, TIMEOUT
from sigderiv.model.gradient import Gradient


def variables(wrt: str | Sequence[str | sp.Symbol]) -> tuple[str | sp.Symbol, ...]:
    """Return the variables of ``wrt``: ``"w,b"``, ``"w b"`` or a sequence; raise ParseError."""
    given = wrt.replace(",", " ").split() if isinstance(wrt, str) else list(wrt)
    if not given:
        raise ParseError("wrt= names the variables of the gradient, such as 'w,b'")
    names = [v if isinstance(v, str) else getattr(v, "name", None) for v in given]
    if len(set(names)) != len(names):
        raise ParseError("wrt= names each variable once")
    return tuple(given)


def grad(
    expr: str | sp.Expr,
    wrt: str | Sequence[str | sp.Symbol],
    *,
    layers: bool | Sequence[tuple[str, str | sp.Expr]] | None = True,
    name: str = "L",
    timeout: float | None = TIMEOUT,
    check_timeout: float = CHECK_TIMEOUT,
    memory: int | None = MEMORY,
    bounded: bool = True,
) -> Gradient:
    """Derive the partial derivative of ``expr`` in each variable of ``wrt``; return the Gradient.

    ``wrt`` is ``"w,b"`` or a sequence of names or Symbols. Each partial derivative is a
    :func:`~sigderiv.derive` with ``partial=True`` and ``layers`` (by default found: the
    chain rule through z = w·x + b and a = σ(z) where the function is built that way, the
    plain rules for a variable outside the chain). ``name`` is what the summary calls the
    function (∇L). Each derivation has the bounds ``timeout`` and ``memory`` of its own.
    """
    chosen = variables(wrt)
    guard.layers(layers)
    derivations = tuple(
        derive(
            expr,
            var,
            layers=layers,
            partial=True,
            timeout=timeout,
            check_timeout=check_timeout,
            memory=memory,
            bounded=bounded,
        )
        for var in chosen
    )
    first = derivations[0]
    return Gradient(
        function=first.function,
        variables=tuple(d.variable for d in derivations),
        derivations=derivations,
        name=name,
    )
