"""sigderiv: derivatives derived step by step, the way a teacher writes them, every step proven."""

from __future__ import annotations

from .check import Report, check
from .engine import derive
from .errors import (
    LimitError,
    ParseError,
    SigderivError,
    TimeoutError,
    UnsupportedError,
    VerificationError,
)
from .functions import sigma
from .render import Format, render  # sigderiv.render is this function; formats: sigderiv.render.*
from .steps import Check, CheckStatus, Derivation, Rule, Step
from .verify import explicit

__version__ = "0.1.0"

__all__ = [
    "Check",
    "CheckStatus",
    "Derivation",
    "Format",
    "LimitError",
    "ParseError",
    "Report",
    "Rule",
    "SigderivError",
    "Step",
    "TimeoutError",
    "UnsupportedError",
    "VerificationError",
    "__version__",
    "check",
    "derive",
    "explicit",
    "render",
    "sigma",
]
