"""The gradient of a function: one derivation per variable, and their results as a vector."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sympy as sp

from sigderiv.model.steps import Derivation, Step


@dataclass(frozen=True)
class Gradient:
    """∇f = (∂f/∂w, ∂f/∂b, …): the derivation of each partial derivative, in order."""

    function: sp.Expr
    variables: tuple[sp.Symbol, ...]
    derivations: tuple[Derivation, ...]
    name: str = "L"  # what the summary calls the function: ∇L = (∂L/∂w, ∂L/∂b)

    def __post_init__(self) -> None:
        if len(self.variables) != len(self.derivations) or not self.variables:
            raise ValueError("a gradient needs one derivation for each of its variables")

    def __repr__(self) -> str:
        shown = ", ".join(sp.sstr(v) for v in self.vector)
        return (
            f"Gradient(function={sp.sstr(self.function)}, variables="
            f"({', '.join(v.name for v in self.variables)}), vector=({shown}), "
            f"proven={self.verified})"
        )

    @property
    def vector(self) -> tuple[sp.Expr, ...]:
        """The partial derivatives, in the order of the variables."""
        return tuple(d.result for d in self.derivations)

    @property
    def verified(self) -> bool:
        """True when every step of every derivation was proven."""
        return all(d.verified for d in self.derivations)

    def walk(self) -> Iterator[Step]:
        """Yield every step of every derivation, depth first, in order."""
        for derivation in self.derivations:
            yield from derivation.walk()
