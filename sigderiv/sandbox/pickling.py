"""Pickling that keeps SymPy's unevaluated forms, for what crosses to and from a worker."""

from __future__ import annotations

import io
import pickle
from typing import Any

import sympy as sp
from sympy.core.function import Application, UndefinedFunction
from sympy.core.operations import AssocOp

from sigderiv.expr.build import function


def _rebuild(
    cls: type[sp.Basic], args: tuple[sp.Basic, ...], commutative: bool | None = None
) -> sp.Basic:
    """Return ``cls`` with ``args`` exactly, without running SymPy's evaluation.

    ``commutative`` is the node's own ``is_commutative``, sent along so that rebuilding it
    asks no assumption of its args (None: ask them).
    """
    if issubclass(cls, AssocOp):
        return cls._from_args(args, commutative)
    obj = sp.Basic.__new__(cls, *args)
    if issubclass(cls, sp.Pow):
        if commutative is None:
            commutative = args[0].is_commutative and args[1].is_commutative
        obj.is_commutative = commutative
    return obj


def _undefined(name: str, kwargs: dict[str, object]) -> UndefinedFunction:
    """Return ``Function(name, **kwargs)``: the class made before for the same pair if any."""
    return function(name, **kwargs)


def _same(obj: object) -> object:
    """Return ``obj``: an equal copy met again is unpickled as the first one."""
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
    """A pickler that rebuilds unevaluated SymPy nodes as they were, not re-evaluated.

    Equal copies of one node (the same type and args: rebuilt alike anyway) and of one
    undefined function (``g′`` made twice, each a class of its own) are sent once and
    unpickled as one object, so the reader builds each once.
    """

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._first: dict[object, object] = {}

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, UndefinedFunction):  # a class: equal when name and assumptions are
            read_as = (obj.name, dict(obj._kwargs))
            first = self._first.setdefault(obj, obj)
            return (_undefined, read_as) if first is obj else (_same, (first,))
        if isinstance(obj, sp.Basic) and _rebuilt_as_is(obj):
            node: sp.Basic = obj
            key = (type(node), node.args)
            first = self._first.setdefault(key, node)
            if first is not node:
                return _same, (first,)
            commutative = node.is_commutative if isinstance(node, (AssocOp, sp.Pow)) else None
            return _rebuild, (*key, commutative)
        return NotImplemented


def dumps(obj: object) -> bytes:
    """Pickle ``obj``, SymPy expressions in it kept exactly as built (see :func:`loads`)."""
    buffer = io.BytesIO()
    _Pickler(buffer).dump(obj)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """Unpickle what :func:`dumps` wrote (trusted data only: this is pickle)."""
    return pickle.loads(data)
