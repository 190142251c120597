"""Rules: differentiation rules on d/dx(u) and algebra rewrites on whole expressions."""

from __future__ import annotations

from sigderiv.rules.base import DiffRule, Rewrite
from sigderiv.rules.differentiation import DIFFERENTIATION_RULES, first_rewrite

__all__ = ["DIFFERENTIATION_RULES", "DiffRule", "Rewrite", "first_rewrite"]
