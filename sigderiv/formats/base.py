"""What every output format shares: the Format enum, the abstract Formatter, the outline.

One abstract formatter and one module per format, the way pip-audit does it. The outline
helpers decide *what* a derivation shows (its title, which substeps, which equation, the
result, the tally of proofs) so every format shows the same things; each format decides
only *how*.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import partial, wraps
from pathlib import PurePath
from typing import Any, ClassVar, TypeVar, cast

import sympy as sp

from sigderiv.input.limits import MEMORY, TIMEOUT
from sigderiv.model.gradient import Gradient
from sigderiv.model.steps import Check, CheckStatus, Derivation, Step
from sigderiv.model.words import Words, words
from sigderiv.printing.order import in_variable

LETTERS = "abcdefghijklmnopqrstuvwxyz"


class Format(str, Enum):
    """The output formats; the CLI's ``--format`` takes these values."""

    TERMINAL = "terminal"  # rich text with colour and unicode math, for a terminal
    TEXT = "text"  # plain ASCII text, for pipes and logs
    LATEX = "latex"  # a standalone LaTeX document, or an align* block
    MARKDOWN = "markdown"  # GitHub-flavoured Markdown with $...$ math
    JSON = "json"  # the versioned schema in docs/derivation.schema.json
    HTML = "html"  # one self-contained page with MathML and an SVG plot
    NUMPY = "numpy"  # a Python module: forward(x) and backward(grad, x, out) for NumPy
    TORCH = "torch"  # a torch.autograd.Function whose backward sigderiv derived
    JAX = "jax"  # a jax.custom_vjp function whose backward sigderiv derived

    def __str__(self) -> str:
        return self.value

    @property
    def is_code(self) -> bool:
        """True for the formats that write code (numpy, torch, jax), not the steps."""
        return self in (Format.NUMPY, Format.TORCH, Format.JAX)

    @classmethod
    def from_path(cls, path: str | PurePath) -> Format | None:
        """Return the format a file name's extension asks for (.tex .md .json .html .txt .py)."""
        return _SUFFIXES.get(PurePath(path).suffix.lower())


_SUFFIXES: dict[str, Format] = {
    ".tex": Format.LATEX,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".json": Format.JSON,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".txt": Format.TEXT,
    ".py": Format.NUMPY,  # a module of plain NumPy, the one framework sigderiv depends on
}

# Where each format's formatter lives; imported on first use to keep start-up light.
_FORMATTERS: dict[Format, tuple[str, str]] = {
    Format.TERMINAL: ("terminal", "TerminalFormatter"),
    Format.TEXT: ("terminal", "TextFormatter"),
    Format.LATEX: ("latex", "LatexFormatter"),
    Format.MARKDOWN: ("markdown", "MarkdownFormatter"),
    Format.JSON: ("json", "JsonFormatter"),
    Format.HTML: ("html", "HtmlFormatter"),
    Format.NUMPY: ("numpy_code", "NumpyFormatter"),
    Format.TORCH: ("torch_code", "TorchFormatter"),
    Format.JAX: ("jax_code", "JaxFormatter"),
}


class Formatter(ABC):
    """Turns a Derivation (or one Step) into text in one format; options are fields."""

    format: ClassVar[Format]

    @abstractmethod
    def render(self, derivation: Derivation) -> str:
        """Return the whole derivation in this format."""

    def render_step(self, step: Step) -> str:
        """Return one step (with its substeps) in this format."""
        raise NotImplementedError(f"the {self.format} format shows whole derivations only")


Render = TypeVar("Render", bound=Callable[..., str])


def in_its_variable(render: Render) -> Render:
    """Make a formatter's ``render(derivation)`` print every sum by powers of its variable."""

    @wraps(render)
    def shown(self: Formatter, derivation: Derivation, *args: Any, **kwargs: Any) -> str:
        with in_variable(derivation.variable, getattr(derivation, "partial", False)):
            return render(self, derivation, *args, **kwargs)

    return cast(Render, shown)


def formatter(format: Format | str, **options: Any) -> Formatter:  # noqa: A002
    """Return the formatter for ``format`` (a Format or its name) built with ``options``."""
    try:
        chosen = Format(format)
    except ValueError:
        names = ", ".join(f.value for f in Format)
        raise ValueError(f"unknown format {format!r}; choose one of {names}") from None
    module, name = _FORMATTERS[chosen]
    cls: type[Formatter] = getattr(importlib.import_module(f"{__package__}.{module}"), name)
    return cls(**options)


def render(
    derivation: Derivation | Gradient,
    format: Format | str = "terminal",  # noqa: A002
    *,
    timeout: float | None = TIMEOUT,
    memory: int | None = MEMORY,
    bounded: bool = True,
    **options: Any,
) -> str:
    """Return ``derivation`` as text in ``format``: terminal, text, latex, markdown, json, html.

    ``options`` go to the format's formatter, e.g. ``render(d, "latex", fragment=True)``.
    A :class:`~sigderiv.model.gradient.Gradient` (from ``grad``) is written as each of its
    derivations, then the vector: terminal, text, markdown or json.
    Rendering runs in a bounded worker, as a derivation does: TimeoutError after ``timeout``
    seconds, LimitError past ``memory`` bytes; ``bounded=False`` renders in this process.
    """
    if isinstance(derivation, Gradient):
        from sigderiv.formats.gradient import render_gradient

        work = partial(render_gradient, derivation, format, options)
        if not bounded:
            return work()
        from sigderiv.sandbox.bound import run_bounded

        return run_bounded(work, timeout, memory=memory, what="rendering")
    chosen = formatter(format, **options)
    if not bounded:
        return _rendered(chosen, derivation)
    from sigderiv.sandbox.bound import run_bounded

    return run_bounded(
        partial(_rendered, chosen, derivation), timeout, memory=memory, what="rendering"
    )


def _rendered(chosen: Formatter, derivation: Derivation) -> str:
    """Return ``derivation`` rendered by ``chosen``, its data computed first (the worker's job)."""
    from sigderiv.formats.data import prepared

    return prepared(chosen, derivation).render(derivation)


# ---- the outline every format follows -----------------------------------------------------------


_ORDINALS = ("", "", "second ", "third ", "fourth ", "fifth ", "sixth ", "seventh ", "eighth ")


def ordinal(order: int) -> str:
    """Return which derivative in words, with a space after: ``""``, ``"second "``, ``"9th "``."""
    return _ORDINALS[order] if order < len(_ORDINALS) else f"{order}th "


def title(derivation: Derivation) -> Words:
    """Return the heading, e.g. ``The second derivative of the sigmoid σ(x) with respect to x``."""
    named = derivation.named_function
    which = ordinal(derivation.order) + (
        "partial " if getattr(derivation, "partial", False) else ""
    )
    if named is None:
        return words(
            "The {which}derivative of {function} with respect to {variable}",
            which=which,
            function=derivation.function,
            variable=derivation.variable,
        )
    return words(
        "The {which}derivative of the {name} {function} with respect to {variable}",
        which=which,
        name=derivation.name or "",
        function=named,
        variable=derivation.variable,
    )


def warnings(derivation: Derivation) -> tuple[str, ...]:
    """Return what the user should know about the derivation (none when it has no such field)."""
    return tuple(getattr(derivation, "warnings", ()))


def shown_substeps(step: Step) -> tuple[Step, ...]:
    """Return the substeps shown one by one: all of them when there are two or more."""
    return step.substeps if len(step.substeps) > 1 else ()


def lone_local(step: Step) -> tuple[sp.Expr, sp.Expr] | None:
    """Return the part rewritten by a step's only substep, shown before the whole step.

    None when there is no such part, or when it is the whole step (it would show twice).
    """
    if len(step.substeps) == 1 and step.substeps[0].local is not None:
        local = step.substeps[0].local
        return None if local == (step.before, step.after) else local
    return None


def step_parts(
    step: Step,
    head: Callable[[Step, str | None], list[str]],
    equation: Callable[..., str],
) -> list[str]:
    """Return the parts of a step in the order every document format shows them.

    ``head(step, None)`` writes the step's heading, status and explanation, and
    ``head(sub, letter)`` a substep's; ``equation`` writes ``before = after``. Then come the
    part a lone substep rewrites, the substeps one by one, and the whole step.
    """
    parts = head(step, None)
    local = lone_local(step)
    if local is not None:
        parts.append(equation(*local))
    shown = shown_substeps(step)
    for letter, sub in zip(LETTERS, shown, strict=False):
        parts += head(sub, letter)
        parts.append(equation(*substep_sides(sub)))
    if shown:
        parts.append("Together:")
    parts.append(equation(step.before, step.after))
    return parts


def substep_sides(sub: Step) -> tuple[sp.Expr, ...]:
    """Return what a substep shows: the part it rewrites, else its whole identity.

    A step between two equations (implicit differentiation's "Collect dy/dx") shows the
    equation it reaches: the one before is the previous line.
    """
    if isinstance(sub.before, sp.Equality) and isinstance(sub.after, sp.Equality):
        return (sub.after,)
    return sub.local if sub.local is not None else (sub.before, sub.after)


def result_sides(derivation: Derivation) -> tuple[sp.Expr, sp.Expr]:
    """Return the result as ``(d/dx σ(x), σ(x)(1 − σ(x)))``: named function if any."""
    final = derivation.steps[-1].after
    named = derivation.named_function
    start = derivation.start
    if named is None:
        return start, final
    return sp.Derivative(named, *start.variable_count, evaluate=False), final


@dataclass(frozen=True)
class Tally:
    """How many steps (substeps included) there are and how many SymPy proved."""

    proven: int
    total: int

    @property
    def complete(self) -> bool:
        """True when every step was proven."""
        return self.proven == self.total

    def __str__(self) -> str:
        return f"{self.proven} of {self.total} steps proven by SymPy"


def tally(derivation: Derivation) -> Tally:
    """Return how many of the steps a reader sees were proven.

    A step's lone substep is not shown (the step says it all), so it is not counted: the
    sigmoid's five steps and the seven substeps shown under two of them are 12 steps.
    """
    steps = [s for step in derivation.steps for s in step.shown()]
    return Tally(sum(1 for s in steps if s.verified), len(steps))


def status_words(check: Check | None, *, method: bool = False) -> str:
    """Return a step's check in words: ``proven by SymPy``, ``not proven: …``.

    With ``method``, a proof also names its route: ``proven by SymPy (cancel)`` (for a
    tooltip or a log; a reader of the page needs only to know that it was proven).
    """
    if check is None:
        return "not checked"
    if check.status is CheckStatus.VERIFIED:
        return f"proven by SymPy ({check.method})" if method else "proven by SymPy"
    detail = f": {check.detail}" if check.detail else ""
    if check.status is CheckStatus.UNVERIFIED:
        return f"not proven{detail}"
    return f"failed{detail}"


def status_of(step: Step) -> str:
    """Return the step's status id: verified, unverified, failed or unchecked."""
    return "unchecked" if step.check is None else step.check.status.value
