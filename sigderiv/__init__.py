"""sigderiv: derivatives derived step by step, the way a teacher writes them, every step proven.

The package is a lazy facade: ``import sigderiv`` loads only the errors and the version, and
each public name below is imported from its own module on first use. No name here shadows
a submodule: ``sigderiv.check`` is the function, its module is ``sigderiv.grading.check``;
``sigderiv.render`` is the function, the renderers are ``sigderiv.formats``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sigderiv._version import __version__
from sigderiv.errors import (
    LimitError,
    ParseError,
    SigderivError,
    TimeoutError,
    UnsupportedError,
    VerificationError,
)

if TYPE_CHECKING:
    from sigderiv.engine.deriver import derive
    from sigderiv.engine.gradient import grad
    from sigderiv.engine.verify import explicit
    from sigderiv.expr.functions import sigma
    from sigderiv.formats import Format, render
    from sigderiv.grading.check import Report, check
    from sigderiv.model.gradient import Gradient
    from sigderiv.model.steps import Check, CheckStatus, Derivation, Rule, Step

#: Where each lazily imported public name lives.
_LAZY = {
    "Check": "sigderiv.model.steps",
    "CheckStatus": "sigderiv.model.steps",
    "Derivation": "sigderiv.model.steps",
    "Gradient": "sigderiv.model.gradient",
    "Rule": "sigderiv.model.steps",
    "Step": "sigderiv.model.steps",
    "Format": "sigderiv.formats",
    "render": "sigderiv.formats",
    "Report": "sigderiv.grading.check",
    "check": "sigderiv.grading.check",
    "derive": "sigderiv.engine.deriver",
    "grad": "sigderiv.engine.gradient",
    "explicit": "sigderiv.engine.verify",
    "sigma": "sigderiv.expr.functions",
}

__all__ = [
    "Check",
    "CheckStatus",
    "Derivation",
    "Format",
    "Gradient",
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
    "grad",
    "render",
    "sigma",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sigderiv' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
