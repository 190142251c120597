"""The derivation as data: rule ids, checks, steps and the whole derivation."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

import sympy as sp

from sigderiv.model.bounds import MEMORY, TIMEOUT
from sigderiv.model.words import Words


class Rule(str, Enum):
    """Stable ids of every rule a step can apply, each with its rewrite.

    Generated from the rules' own declarations (sigderiv.rules.registry) by
    ``python tools/refresh_docs.py``; tests/test_docs.py fails while it is stale.
    """

    # <!-- generated: rule-ids -->
    UNDEFINED_FUNCTION = "undefined_function"  # d/dx f(x) stays f′(x)
    CONSTANT_RULE = "constant_rule"  # d/dx c → 0
    LINEAR_RULE = "linear_rule"  # d/dx (a·x + b) → a
    POWER_RULE = "power_rule"  # d/dx xⁿ → n·xⁿ⁻¹
    CONSTANT_MULTIPLE_RULE = "constant_multiple_rule"  # d/dx (c·f) → c·f′
    SUM_RULE = "sum_rule"  # d/dx (f + g + …) → f′ + g′ + …
    EXPONENTIAL_RULE = "exponential_rule"  # d/dx eˣ → eˣ; d/dx aˣ → aˣ·ln a
    LOG_RULE = "log_rule"  # d/dx ln x → 1/x
    TRIG_RULE = "trig_rule"  # sin′ = cos, cos′ = −sin, tan′ = 1 + tan², cot′ = −(1 + cot²), sec′…
    INVERSE_TRIG_RULE = "inverse_trig_rule"  # asin′ = 1/√(1 − x²), acos′ = −1/√(1 − x²), atan′ =…
    HYPERBOLIC_RULE = "hyperbolic_rule"  # sinh′ = cosh, cosh′ = sinh, tanh′ = 1 − tanh², coth′ =…
    INVERSE_HYPERBOLIC_RULE = "inverse_hyperbolic_rule"  # asinh′ = 1/√(x² + 1), acosh′, atanh′ =…
    ERF_RULE = "erf_rule"  # erf′ = 2e^(−x²)/√π, erfc′ = −2e^(−x²)/√π
    SPECIAL_FUNCTION_RULE = "special_function_rule"  # Si′ = sin x/x, Ci′ = cos x/x, Ei′ = eˣ/x;…
    ABS_RULE = "abs_rule"  # d/dx |x| → sign(x) for x ≠ 0 (no derivative at 0); sign′ = 0 for x ≠ 0
    ROUNDING_RULE = "rounding_rule"  # floor′ = ceiling′ = 0 and frac′ = 1, away from the integers…
    COMPLEX_PART_RULE = "complex_part_rule"  # re′ = conjugate′ = 1 and im′ = arg′ = 0 of a real…
    NAMED_FUNCTION_RULE = "named_function_rule"  # σ′ = σ(1 − σ); a named function whose…
    LOG_DIFFERENTIATION = "log_differentiation"  # d/dx uᵛ → uᵛ·d/dx(v·ln u)
    PIECEWISE_RULE = "piecewise_rule"  # d/dx {f if c else g} → {f′ if c else g′}, breakpoints named
    FALLBACK = "fallback"  # SymPy's derivative, labelled "no step-by-step rule yet", still checked
    QUOTIENT_RULE = "quotient_rule"  # d/dx (u/v) → (u′·v − u·v′)/v²
    CHAIN_RULE = "chain_rule"  # d/dx g(w) → g′(w)·dw/dx
    PRODUCT_RULE = "product_rule"  # d/dx (f·g·…) → f′·g·… + f·g′·… + …
    DIFFERENTIATE = "differentiate"  # one pass of differentiation, titled by the rules it used…
    INNER_DERIVATIVE = "inner_derivative"  # the next pass: the inner functions' derivatives that…
    REWRITE_IN_TERMS = "rewrite_in_terms"  # write the derivative with 1/D only, when the function…
    ORDER = "order"  # one order of a higher derivative ("The second derivative")
    IMPLICIT_DIFFERENTIATION = "implicit_differentiation"  # dy/dx → C/A on F(x, y) = G(x, y), y =…
    PARAMETRIC_RULE = "parametric_rule"  # dy/dx → (dy/dt)/(dx/dt) for x = x(t), y = y(t), where…
    HIGHER_ORDER = "higher_order"  # dⁿf/dxⁿ → d/dx (f⁽ⁿ⁻¹⁾), from the previous order's compact form
    DEFINITION = "definition"  # a named function → its definition
    REDUCE = "reduce"  # SymPy's own evaluation: drop terms multiplied by zero, factors of one,…
    ADD_SUBTRACT_ONE = "add_subtract_one"  # N/Dⁿ → k·(D − c)/Dⁿ where D = c + R, c constant, N =…
    SPLIT_FRACTION = "split_fraction"  # (a + b)/Dⁿ → a/Dⁿ + b/Dⁿ; leading terms that add up to D…
    CANCEL = "cancel"  # D/Dⁿ → 1/Dⁿ⁻¹
    FACTOR = "factor"  # a/Dᵐ + b/Dᵐ⁺ʲ → (1/Dᵐ)·(a + b/Dʲ)
    MIN_MAX_RULE = "min_max_rule"  # max(u, v) → {u if u ≥ v else v}, min(u, v) → {u if u ≤ v else…
    BASE_POWER_RULE = "base_power_rule"  # 0ʷ → 0 for w > 0 (undefined for w < 0); 1ʷ → 1
    SUBSTITUTE = "substitute"  # a written form of a named function → its name
    SOLVE_SUBSTITUTE = "solve_substitute"  # e^w → σ(w)/(1 − σ(w)), from σ = 1/(1 + e^(−w)), or…
    EXP_RATIO = "exp_ratio"  # eᵘ/(eᵘ + eᵛ) → σ(u − v) and eᵘ/(1 + eᵘ) → σ(u), one power of the…
    SIGMA_COMPLEMENT = "sigma_complement"  # σ(−u) → 1 − σ(u) where σ(u) is also there (in a sum…
    OWN_VALUE = "own_value"  # d → R(x, f), piece by piece, where f is the function's own value:…
    SIMPLIFY = "simplify"  # one named SymPy transform: factor out the common factor, collect in…
    LAYERS = "layers"  # f(g(h(x))) → L, where z = h(x), a = g(z), L = f(a): each layer under its…
    CHAIN_LAYERS = "chain_layers"  # dL/dx → ∂L/∂a·∂a/∂z·∂z/∂x, for L = f(a), a = g(z), z = h(x)
    FACTOR_DENOMINATOR = "factor_denominator"  # N/P → ±N/(P₁·P₂·…): the denominator as a product…
    MULTIPLY_LAYERS = "multiply_layers"  # (N/D)·D·c → N·c: the factors one layer's derivative…
    COLLECT_DERIVATIVE = "collect_derivative"  # A·y′ + B = C → (A)·y′ = C − B (checked as one…
    SOLVE_DERIVATIVE = "solve_derivative"  # A·y′ = C → y′ = C/A, where A ≠ 0 (checked by…
    SUBSTITUTE_DERIVATIVE = "substitute_derivative"  # E(y′) → E(v) where y′ = v was derived…
    USE_EQUATION = "use_equation"  # N/D → (N mod (F − G))/D on the curve F = G (checked: N − its…
    # <!-- end: rule-ids -->

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
        from sigderiv.formats.notebook import represent

        return represent(self, "html")  # type: ignore[arg-type]

    def _repr_latex_(self) -> str:
        from sigderiv.formats.notebook import represent

        return represent(self, "latex")  # type: ignore[arg-type]

    def _repr_markdown_(self) -> str:
        from sigderiv.formats.notebook import represent

        return represent(self, "markdown")  # type: ignore[arg-type]


@dataclass(frozen=True)
class Step(_Notebook):
    """One claimed identity ``before = after``, with the rule that justifies it."""

    rule: Rule
    title: Words
    explanation: Words
    before: sp.Expr
    after: sp.Expr
    substeps: tuple[Step, ...] = ()
    check: Check | None = None
    local: tuple[sp.Expr, sp.Expr] | None = None  # the part rewritten, when not the whole

    def __post_init__(self) -> None:
        # Plain text is accepted where Words are expected: words with no math in them.
        for name in ("title", "explanation"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, Words.plain(value))
            elif not isinstance(value, Words):
                raise TypeError(f"a step's {name} is Words or text, not {type(value).__name__}")

    @property
    def verified(self) -> bool:
        """True when this step's identity was proven."""
        return self.check is not None and self.check.verified

    def walk(self) -> Iterator[Step]:
        """Yield this step and every substep, depth first, in order."""
        yield self
        for sub in self.substeps:
            yield from sub.walk()

    def shown(self) -> Iterator[Step]:
        """Yield this step and the substeps a reader sees: two or more (a lone one is the step)."""
        yield self
        if len(self.substeps) > 1:
            for sub in self.substeps:
                yield from sub.shown()


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
    partial: bool = False  # written ∂/∂x: a partial derivative of a several-variable function

    def __repr__(self) -> str:
        # One line (what plain IPython shows): the whole tree is in .steps, and the views.
        shown = [s for step in self.steps for s in step.shown()]
        proven, total = sum(1 for s in shown if s.verified), len(shown)
        order = f", order={self.order}" if self.order != 1 else ""
        order += ", partial=True" if self.partial else ""
        return (
            f"Derivation(function={sp.sstr(self.function)}, variable={self.variable}{order}, "
            f"result={sp.sstr(self.result)}, steps={len(self.steps)}, "
            f"proven={proven} of {total})"
        )

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
        from sigderiv.formats.json import dumps

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
        from sigderiv.formats.json import read

        return read(text, timeout=timeout, memory=memory, bounded=bounded)
