"""The derivation as data: rule ids, checks, steps and the whole derivation."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import partial

import sympy as sp

from .limits import MEMORY, TIMEOUT


class Rule(str, Enum):
    """Stable ids of every rule a step can apply; each entry's comment is an example."""

    # Differentiation (one pass of rules outside any chain rule's inner function)
    DIFFERENTIATE = "differentiate"  # d/dx(1/(1+e^-x)) -> the quotient and chain rules applied
    INNER_DERIVATIVE = "inner_derivative"  # e^-x * d/dx(-x) -> e^-x * (-1)
    CONSTANT_RULE = "constant_rule"  # d/dx(3) -> 0
    LINEAR_RULE = "linear_rule"  # d/dx(-2x) -> -2
    POWER_RULE = "power_rule"  # d/dx(x^3) -> 3x^2
    SUM_RULE = "sum_rule"  # d/dx(u + v) -> du/dx + dv/dx
    CONSTANT_MULTIPLE_RULE = "constant_multiple_rule"  # d/dx(3u) -> 3 du/dx
    EXPONENTIAL_RULE = "exponential_rule"  # d/dx(e^x) -> e^x
    QUOTIENT_RULE = "quotient_rule"  # d/dx(u/v) -> (u'v - uv')/v^2
    PRODUCT_RULE = "product_rule"  # d/dx(u v) -> u'v + uv'
    CHAIN_RULE = "chain_rule"  # d/dx(g(u)) -> g'(u) du/dx
    LOG_RULE = "log_rule"  # d/dx(ln x) -> 1/x
    TRIG_RULE = "trig_rule"  # d/dx(sin x) -> cos x
    INVERSE_TRIG_RULE = "inverse_trig_rule"  # d/dx(atan x) -> 1/(1 + x^2)
    HYPERBOLIC_RULE = "hyperbolic_rule"  # d/dx(tanh x) -> 1 - tanh(x)^2
    INVERSE_HYPERBOLIC_RULE = "inverse_hyperbolic_rule"  # d/dx(asinh x) -> 1/sqrt(x^2 + 1)
    ERF_RULE = "erf_rule"  # d/dx(erf x) -> 2 e^(-x^2)/sqrt(pi)
    ABS_RULE = "abs_rule"  # d/dx|x| -> sign(x), for x != 0
    NAMED_FUNCTION_RULE = "named_function_rule"  # d/dx σ(x) -> σ(x)(1 - σ(x))
    UNDEFINED_FUNCTION = "undefined_function"  # d/dx f(x) -> f'(x)
    LOG_DIFFERENTIATION = "log_differentiation"  # d/dx(u^v) -> u^v d/dx(v ln u)
    PIECEWISE_RULE = "piecewise_rule"  # d/dx{u if c else v} -> {u' if c else v'}
    FALLBACK = "fallback"  # d/dx(gamma(x)) -> gamma(x) polygamma(0, x), by SymPy, no rule yet
    HIGHER_ORDER = "higher_order"  # d^2/dx^2 f -> d/dx(f')
    ORDER = "order"  # one order of a higher derivative, with its steps
    SIMPLIFY = "simplify"  # a named SymPy simplification: together, cancel, factor, ...
    SOLVE_SUBSTITUTE = "solve_substitute"  # e^-x -> (1 - σ)/σ, from σ = 1/(1 + e^-x)
    OWN_VALUE = "own_value"  # α e^x -> f(x) + α, from f = α (e^x - 1)
    # Algebra
    REDUCE = "reduce"  # (0*v - 1*e^-x*(-1))/v^2 -> e^-x/v^2
    REWRITE_IN_TERMS = "rewrite_in_terms"  # e^-x/D^2 -> 1/D * (1 - 1/D), with the steps below
    ADD_SUBTRACT_ONE = "add_subtract_one"  # e^-x/D^2 -> (1 + e^-x - 1)/D^2
    SPLIT_FRACTION = "split_fraction"  # (a + b)/D^2 -> a/D^2 + b/D^2
    CANCEL = "cancel"  # D/D^2 -> 1/D
    FACTOR = "factor"  # 1/D - 1/D^2 -> 1/D * (1 - 1/D)
    SUBSTITUTE = "substitute"  # 1/(1 + e^-x) -> σ(x)
    DEFINITION = "definition"  # σ(x) -> 1/(1 + e^-x)

    def __str__(self) -> str:
        return self.value


class CheckStatus(str, Enum):
    """Outcome of one identity check."""

    VERIFIED = "verified"  # proven: the difference simplifies to zero
    UNVERIFIED = "unverified"  # not proven in time; numerically consistent
    FAILED = "failed"  # the two sides differ: a counterexample exists

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Check:
    """The result of checking one step's identity ``before = after``."""

    status: CheckStatus
    method: str  # the route that settled it: "structural", "cancel", "expand", "simplify", ...
    seconds: float = 0.0
    detail: str = ""
    counterexample: tuple[tuple[str, str], ...] = ()  # ((name, value), ...) where sides differ

    def __post_init__(self) -> None:
        if not (isinstance(self.seconds, (int, float)) and 0 <= self.seconds < math.inf):
            raise ValueError(f"a check's seconds must be finite and 0 or more, not {self.seconds}")

    @property
    def verified(self) -> bool:
        """True when the identity was proven."""
        return self.status is CheckStatus.VERIFIED


class _Notebook:
    """Jupyter and IPython show a step or a derivation through these; renderers load lazily."""

    def _repr_html_(self) -> str:
        from .render.notebook import represent

        return represent(self, "html")  # type: ignore[arg-type]

    def _repr_latex_(self) -> str:
        from .render.notebook import represent

        return represent(self, "latex")  # type: ignore[arg-type]

    def _repr_markdown_(self) -> str:
        from .render.notebook import represent

        return represent(self, "markdown")  # type: ignore[arg-type]


@dataclass(frozen=True)
class Step(_Notebook):
    """One claimed identity ``before = after``, with the rule that justifies it."""

    rule: Rule
    title: str
    explanation: str
    before: sp.Expr
    after: sp.Expr
    substeps: tuple[Step, ...] = ()
    check: Check | None = None
    local: tuple[sp.Expr, sp.Expr] | None = None  # the part rewritten, when not the whole

    @property
    def verified(self) -> bool:
        """True when this step's identity was proven."""
        return self.check is not None and self.check.verified

    def walk(self) -> Iterator[Step]:
        """Yield this step and every substep, depth first, in order."""
        yield self
        for sub in self.substeps:
            yield from sub.walk()


@dataclass(frozen=True)
class Derivation(_Notebook):
    """The derivative of ``function`` in ``variable``, as a chain of checked steps."""

    function: sp.Expr
    variable: sp.Symbol
    result: sp.Expr
    steps: tuple[Step, ...]
    name: str | None = None
    definitions: tuple[tuple[sp.Expr, sp.Expr], ...] = field(default=())  # ((σ(x), 1/(1+e^-x)),)
    warnings: tuple[str, ...] = ()  # things the user should know, e.g. x does not occur
    order: int = 1

    @property
    def start(self) -> sp.Expr:
        """The expression the chain starts from: the unevaluated derivative of ``function``."""
        return sp.Derivative(self.function, (self.variable, self.order), evaluate=False)

    @property
    def named_function(self) -> sp.Expr | None:
        """σ(x) when the function is a catalogue function's definition, else None."""
        for named, definition in self.definitions:
            if self.name is not None and definition == self.function:
                return named
        return None

    @property
    def verified(self) -> bool:
        """True when every step, substeps included, was proven."""
        return all(step.verified for step in self.walk())

    def walk(self) -> Iterator[Step]:
        """Yield every step and substep, depth first, in order."""
        for step in self.steps:
            yield from step.walk()

    def rules(self) -> list[Rule]:
        """Return the rule of every step and substep, depth first, in order."""
        return [step.rule for step in self.walk()]

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return this derivation as JSON (the schema in docs/derivation.schema.json)."""
        from .render.json import dumps

        return dumps(self, indent=indent)

    @classmethod
    def from_json(
        cls,
        text: str | bytes,
        *,
        timeout: float | None = TIMEOUT,
        memory: int | None = MEMORY,
        bounded: bool = True,
    ) -> Derivation:
        """Return the derivation that :meth:`to_json` wrote; the text is never evaluated.

        Reading runs in a bounded worker, as a derivation does (TimeoutError after
        ``timeout`` seconds, LimitError past ``memory`` bytes; ``bounded=False``: here).
        Raises ParseError for a document the renderers could not show.
        """
        from .render.json import loads

        if not bounded:
            return loads(text)
        from .bound import run_bounded

        return run_bounded(
            partial(loads, text), timeout, memory=memory, what="reading the JSON document"
        )
