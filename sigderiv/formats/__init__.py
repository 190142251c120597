"""Renderers: one module per output format, all reading the same Derivation.

``render(derivation, "latex")`` returns the derivation in a format; ``Format`` lists them.
"""

from __future__ import annotations

from sigderiv.formats.base import Format, Formatter, formatter, render

__all__ = ["Format", "Formatter", "formatter", "render"]
