"""Jupyter shows a Derivation or a Step as HTML, LaTeX or Markdown."""

from __future__ import annotations

import pytest

from sigderiv import Derivation
from sigderiv.formats.markdown import said
from sigderiv.printing.latex import latex


def test_the_repr_methods(sigmoid: Derivation) -> None:
    html = sigmoid._repr_html_()
    assert html.startswith('<div class="sigderiv">') and "<math" in html and "<svg" in html
    chain = sigmoid._repr_latex_()
    assert chain.startswith("$$\\begin{aligned}") and chain.endswith("\\end{aligned}$$")
    assert chain.count("&=") == len(sigmoid.steps)
    assert sigmoid._repr_markdown_().startswith("## The derivative of the sigmoid")
    step = sigmoid.steps[2]
    assert step._repr_latex_() == f"$${latex(step.before)} = {latex(step.after)}$$"
    assert "<h2>" in step._repr_html_() and "<html" not in step._repr_html_()
    assert step._repr_markdown_().startswith("### ")


def test_ipython_display_formatter(sigmoid: Derivation) -> None:
    formatters = pytest.importorskip("IPython.core.formatters")
    formatter = formatters.DisplayFormatter()
    for item in (sigmoid, sigmoid.steps[0]):
        data, _ = formatter.format(item)
        assert {"text/plain", "text/html", "text/latex", "text/markdown"} <= set(data)
        assert "<math" in data["text/html"]
        assert data["text/latex"].startswith("$$")
        assert said(item.title) in data["text/markdown"] if hasattr(item, "title") else True
