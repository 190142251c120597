"""Markdown: a heading per step, the explanation as prose, math in $...$ and $$...$$."""

from __future__ import annotations

import re

import pytest

from sigderiv import Derivation, render
from sigderiv.formats.base import shown_substeps
from sigderiv.formats.markdown import prose, said
from sigderiv.printing.latex import latex

from .conftest import FUNCTIONS


def test_the_sigmoid_as_markdown(sigmoid: Derivation) -> None:
    out = render(sigmoid, "markdown")
    lines = out.splitlines()
    assert lines[0] == r"# The derivative of the sigmoid $\sigma\left(x\right)$ with respect to $x$"
    steps = [line for line in lines if line.startswith("## Step ")]
    assert steps == [
        "## Step 1. The quotient rule and the chain rule ✓ *proven by SymPy*",
        "## Step 2. Differentiate the inner function $- x$ ✓ *proven by SymPy*",
        "## Step 3. Reduce ✓ *proven by SymPy*",
        r"## Step 4. Rewrite in terms of $\frac{1}{1 + e^{- x}}$ ✓ *proven by SymPy*",
        r"## Step 5. Substitute $\sigma\left(x\right)$ ✓ *proven by SymPy*",
    ]
    assert "### (a) Quotient rule ✓" in out
    assert "## Result" in out
    assert "12 of 12 steps proven by SymPy." in out
    assert out.endswith("\n") and not out.endswith("\n\n")


@pytest.mark.parametrize("name", FUNCTIONS)
def test_math_blocks_hold_each_claimed_form(name: str, derivations) -> None:
    derivation: Derivation = derivations[name]
    out = render(derivation, "markdown")
    blocks = re.findall(r"^\$\$\n(.*?)\n\$\$$", out, re.M | re.S)
    for step in derivation.steps:
        assert f"{latex(step.before)} = {latex(step.after)}" in blocks
    shown = len(derivation.steps) + sum(len(shown_substeps(s)) for s in derivation.steps)
    headings = re.findall(r"^#{2,3} (?:Step \d+\. |\([a-z]\) )", out, re.M)
    assert len(headings) == shown
    assert out.count("$$") % 2 == 0


def test_every_explanation_is_a_paragraph(sigmoid: Derivation) -> None:
    paragraphs = render(sigmoid, "markdown").split("\n\n")
    for step in sigmoid.steps:
        assert said(step.explanation) in paragraphs


@pytest.mark.parametrize(
    ("words", "escaped"),
    [
        ("u*v and a_b", r"u\*v and a\_b"),
        ("[link](x) <b> | $5 #1 `c` ~", r"\[link\](x) \<b\> \| \$5 \#1 \`c\` \~"),
        ("σ(x)(1 − σ(x))", "σ(x)(1 − σ(x))"),
    ],
)
def test_prose_is_escaped(words: str, escaped: str) -> None:
    assert prose(words) == escaped
