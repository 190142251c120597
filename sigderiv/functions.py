"""Named functions (σ, ...) as SymPy functions that know their definition and derivative."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import sympy as sp


class NamedFunction(sp.Function):
    """A function of one argument with a closed-form definition, kept unevaluated.

    Subclasses set ``catalogue_name`` and implement :meth:`definition`; the class name is
    what printers show (``sigma`` prints as σ in unicode and ``\\sigma`` in LaTeX).
    """

    nargs = 1
    catalogue_name: ClassVar[str] = ""

    @classmethod
    def definition(cls, arg: sp.Expr) -> sp.Expr:
        """Return the explicit expression this function stands for, at ``arg``."""
        raise NotImplementedError

    def expand_definition(self) -> sp.Expr:
        """Return this application with the function replaced by its definition."""
        return self.definition(self.args[0])

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: object) -> sp.Expr:
        return self.definition(arg)


class sigma(NamedFunction):  # noqa: N801 - SymPy prints the class name: sigma -> σ
    """The logistic sigmoid σ(u) = 1/(1 + e^(−u)), with σ′ = σ(1 − σ)."""

    catalogue_name = "sigmoid"

    @classmethod
    def definition(cls, arg: sp.Expr) -> sp.Expr:
        return 1 / (1 + sp.exp(-arg))

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise sp.ArgumentIndexError(self, argindex)
        return self * (1 - self)


@dataclass(frozen=True)
class CatalogueEntry:
    """One catalogue function: its names and the SymPy function class behind them."""

    name: str
    function: type[NamedFunction]
    aliases: tuple[str, ...] = field(default=())
    description: str = ""

    def definition(self, var: sp.Symbol) -> sp.Expr:
        """Return the explicit definition of this function in ``var``."""
        return self.function.definition(var)


CATALOGUE: dict[str, CatalogueEntry] = {
    entry.name: entry
    for entry in (
        CatalogueEntry(
            "sigmoid",
            sigma,
            aliases=("sigma", "σ", "logistic"),
            description="the logistic sigmoid",
        ),
    )
}

#: Every spelling (catalogue name or alias) that names a catalogue function.
NAMES: dict[str, CatalogueEntry] = {
    alias: entry for entry in CATALOGUE.values() for alias in (entry.name, *entry.aliases)
}


def lookup(name: str) -> CatalogueEntry | None:
    """Return the catalogue entry called ``name`` (or one of its aliases), if any."""
    return NAMES.get(name)


def named_functions() -> tuple[type[NamedFunction], ...]:
    """Return every named function class in the catalogue."""
    return tuple(entry.function for entry in CATALOGUE.values())
