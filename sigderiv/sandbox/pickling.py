"""Pickling that keeps SymPy's unevaluated forms, for what crosses to and from a worker."""

from __future__ import annotations

import io
import pickle
from typing import Any

import sympy as sp
from sympy.core.function import Application
from sympy.core.operations import AssocOp


def _rebuild(cls: type[sp.Basic], args: tuple[sp.Basic, ...]) -> sp.Basic:
    """Return ``cls`` with ``args`` exactly, without running SymPy's evaluation."""
    if issubclass(cls, AssocOp):
        return cls._from_args(args)
    obj = sp.Basic.__new__(cls, *args)
    if issubclass(cls, sp.Pow):
        obj.is_commutative = args[0].is_commutative and args[1].is_commutative
    return obj


def _rebuilt_as_is(obj: sp.Basic) -> bool:
    """True for nodes whose constructor would re-evaluate their args: Add, Mul, Pow, f(u), ...

    An equation in a step's words (``d/dx (u/v) = …``) too: Eq would decide it again, and
    that can take SymPy a while.
    """
    if not obj.args or hasattr(obj, "_argset"):  # atoms; Min, Max, And keep their own state
        return False
    if isinstance(obj, AssocOp):
        return isinstance(obj, (sp.Add, sp.Mul))
    return isinstance(obj, (sp.Pow, Application, sp.Derivative, sp.UnevaluatedExpr, sp.Rel))


class _Pickler(pickle.Pickler):
    """A pickler that rebuilds unevaluated SymPy nodes as they were, not re-evaluated."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, sp.Basic) and _rebuilt_as_is(obj):
            return _rebuild, (type(obj), obj.args)
        return NotImplemented


def dumps(obj: object) -> bytes:
    """Pickle ``obj``, SymPy expressions in it kept exactly as built (see :func:`loads`)."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """Unpickle what :func:`dumps` wrote (trusted data only: this is pickle)."""
    return pickle.loads(data)
