"""What Jupyter shows for a Derivation or a Step: HTML, LaTeX math or Markdown."""

from __future__ import annotations

from functools import partial
from typing import Literal

from sigderiv.formats.data import prepared
from sigderiv.formats.html import HtmlFormatter
from sigderiv.formats.markdown import MarkdownFormatter
from sigderiv.input.limits import MEMORY, TIMEOUT
from sigderiv.model.steps import Derivation, Step
from sigderiv.printing.latex import latex
from sigderiv.sandbox.bound import run_bounded

Kind = Literal["html", "latex", "markdown"]


def chain_latex(derivation: Derivation) -> str:
    """Return the derivation as one display-math chain, ``$$d/dx f = e1 = ... $$``."""
    lines = [latex(derivation.start)]
    lines += [f"&= {latex(step.after)}" for step in derivation.steps]
    body = " \\\\\n".join([f"{lines[0]} {lines[1]}", *lines[2:]])
    return f"$$\\begin{{aligned}}\n{body}\n\\end{{aligned}}$$"


def represent(item: Derivation | Step, kind: Kind) -> str:
    """Return ``item`` as notebook output of one kind, rendered in a bounded worker."""
    return run_bounded(partial(shown, item, kind), TIMEOUT, memory=MEMORY, what="rendering")


def shown(item: Derivation | Step, kind: Kind) -> str:
    """Return ``item`` as notebook output of one kind: a fragment, never a whole page."""
    if kind == "latex":
        if isinstance(item, Step):
            return f"$${latex(item.before)} = {latex(item.after)}$$"
        return chain_latex(item)
    if kind == "html":
        formatter = HtmlFormatter(fragment=True, points=120)
        if isinstance(item, Step):
            return formatter.render_step(item)
        return prepared(formatter, item).render(item)
    formatter_md = MarkdownFormatter(level=2)
    return formatter_md.render_step(item) if isinstance(item, Step) else formatter_md.render(item)
