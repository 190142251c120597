"""Symbol names in LaTeX that pdflatex typesets with the preamble we write: amsmath alone.

SymPy's LaTeX printer spells names it knows as commands: ``alpha`` as ``\\alpha``, ``beth``
as ``\\beth``, ``xfrak`` as ``\\mathfrak{x}``. Some of those commands come from amssymb or
mathrsfs, which a standalone document of ours does not load, so pdflatex stops on them
("Undefined control sequence"). :class:`AmsmathNames` keeps every spelling whose commands
LaTeX and amsmath define and writes any other part of a name upright, as typed:
``\\mathrm{beth}``.
"""

from __future__ import annotations

import re
from typing import Any

from sympy.printing.conventions import split_super_sub
from sympy.printing.latex import LatexPrinter, translate

__all__ = ["DEFINED", "AmsmathLatex", "AmsmathNames", "name_tex"]

#: The commands SymPy may write for a name that LaTeX itself or amsmath define.
DEFINED = frozenset(
    [
        *("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"),
        *("kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon"),
        *("phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi"),
        *("Sigma", "Upsilon", "Phi", "Psi", "Omega", "varepsilon", "varphi", "varpi"),
        *("varrho", "varsigma", "vartheta", "aleph", "ell", "hbar", "wp", "mathrm"),
        *("mathbf", "mathcal", "boldsymbol", "mathring", "acute", "grave", "bar", "breve"),
        *("check", "dot", "ddot", "dddot", "ddddot", "hat", "tilde", "vec", "left", "right"),
        *("langle", "rangle"),
    ]
)
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def name_tex(part: str) -> str:
    """Return one part of a name (no ``_`` or ``^``) as SymPy spells it, or upright if that
    spelling needs a package beyond amsmath."""
    tex = translate(part)
    if all(command in DEFINED for command in _COMMAND.findall(tex)):
        return tex
    return rf"\mathrm{{{part}}}"


class AmsmathNames:
    """A LatexPrinter mixin: names (of symbols and functions) in commands amsmath defines."""

    _settings: dict[str, Any]

    def _split_super_sub(self, name: str) -> tuple[str, list[str], list[str]]:
        if name is None or "{" in name or self._settings["disable_split_super_sub"]:
            return super()._split_super_sub(name)  # type: ignore[misc]
        base, supers, subs = split_super_sub(name)
        return name_tex(base), [name_tex(s) for s in supers], [name_tex(s) for s in subs]


class AmsmathLatex(AmsmathNames, LatexPrinter):
    """SymPy's LaTeX printer with :class:`AmsmathNames`: what display's printer builds on."""
