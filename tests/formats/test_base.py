"""Every format shows the same steps, titles, explanations, claimed forms and check marks."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
import sympy as sp

import sigderiv
from sigderiv import Derivation, Format, Rule, Step, derive, render
from sigderiv.expr.functions import NamedFunction
from sigderiv.formats import formatter
from sigderiv.formats.base import shown_substeps, status_words, substep_sides, tally, title
from sigderiv.formats.html import said as html_said
from sigderiv.formats.markdown import said as markdown_said
from sigderiv.model.steps import Check, CheckStatus
from sigderiv.printing.inline import inline
from sigderiv.printing.latex import latex

from .conftest import FUNCTIONS

X = sp.Symbol("x")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("out.tex", Format.LATEX),
        ("notes.MD", Format.MARKDOWN),
        ("d.json", Format.JSON),
        ("page.html", Format.HTML),
        ("page.htm", Format.HTML),
        ("log.txt", Format.TEXT),
        ("plot.png", None),
        ("noextension", None),
    ],
)
def test_format_from_a_file_name(name: str, expected: Format | None) -> None:
    assert Format.from_path(Path(name)) is expected


def test_formats_are_a_str_enum() -> None:
    documents = [f.value for f in Format if not f.is_code]
    assert documents == ["terminal", "text", "latex", "markdown", "json", "html"]
    assert [f.value for f in Format if f.is_code] == ["numpy", "torch", "jax"]
    assert Format("latex") is Format.LATEX and str(Format.HTML) == "html"


def test_render_is_the_library_function(sigmoid: Derivation) -> None:
    assert sigderiv.render is render
    assert render(sigmoid, "latex") == render(sigmoid, Format.LATEX)
    assert render(sigmoid, "latex", fragment=True).startswith("% The derivative")


def test_unknown_format_or_option_is_refused(sigmoid: Derivation) -> None:
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render(sigmoid, "pdf")
    with pytest.raises(TypeError):
        render(sigmoid, "markdown", fragment=True)


def _text_of(fmt: Format, derivation: Derivation) -> str:
    """The rendered text, escapes undone and white space collapsed, for comparing prose."""
    out = (
        render(derivation, fmt, color=False) if fmt is Format.TERMINAL else render(derivation, fmt)
    )
    if fmt is Format.HTML:
        out = html.unescape(out)
    elif fmt is Format.JSON:
        out = json.dumps(json.loads(out), ensure_ascii=False)
    elif fmt is Format.MARKDOWN:
        out = out.replace("\\", "")
    return " ".join(out.split())


def _shown(derivation: Derivation) -> list[Step]:
    """The steps every format shows: each step, and its substeps when there are several."""
    return [s for step in derivation.steps for s in (step, *shown_substeps(step))]


@pytest.mark.parametrize("text", FUNCTIONS)
@pytest.mark.parametrize("fmt", [Format.TERMINAL, Format.MARKDOWN, Format.JSON, Format.HTML])
def test_every_format_shows_every_title_and_explanation(
    text: str, fmt: Format, derivations
) -> None:
    derivation = derivations[text]
    said = _SAID[fmt]
    out = " ".join(
        (
            render(derivation, fmt, color=False)
            if fmt is Format.TERMINAL
            else render(derivation, fmt)
        ).split()
    )
    if fmt is Format.JSON:
        out = " ".join(json.dumps(json.loads(out), ensure_ascii=False).split())
    for step in _shown(derivation):
        assert " ".join(said(step.title).split()) in out
        assert " ".join(said(step.explanation).split()) in out


#: How each format writes Words: its own printer for the math, its own escapes for the text.
_SAID = {
    Format.TERMINAL: lambda words: words.render(inline),
    Format.JSON: str,
    Format.MARKDOWN: markdown_said,
    Format.HTML: html_said,
}


@pytest.mark.parametrize("text", FUNCTIONS)
def test_latex_shows_every_step_and_every_claimed_form(text: str, derivations) -> None:
    derivation = derivations[text]
    out = render(derivation, "latex")
    assert out.count(r"\subsection*{Step ") == len(derivation.steps)
    for step in derivation.steps:
        assert f"{latex(step.before)} &= {latex(step.after)}" in out.replace(" \\\\\n  ", " ")
        for sub in shown_substeps(step):
            assert all(latex(side) in out for side in substep_sides(sub))
    assert str(tally(derivation)) in out


@pytest.mark.parametrize("text", FUNCTIONS)
@pytest.mark.parametrize("fmt", [Format.MARKDOWN, Format.HTML, Format.LATEX])
def test_every_step_carries_its_check(text: str, fmt: Format, derivations) -> None:
    derivation = derivations[text]
    out = _text_of(fmt, derivation)
    for step in _shown(derivation):
        assert status_words(step.check) in out
    assert out.count("proven by SymPy") >= len(_shown(derivation))
    # the route of a proof is for a tooltip (HTML) or a comment (LaTeX), never the page's words
    shown = (
        out
        if fmt is Format.HTML
        else "\n".join(line for line in out.splitlines() if not line.lstrip().startswith("%"))
    )
    assert "(general (structural))" not in shown.replace('title="proven by SymPy (', "")


def test_the_heading_is_the_same_everywhere(derivations) -> None:
    derivation = derivations["3/(2+e^x)"]
    heading = title(derivation)
    assert str(heading) == "The derivative of 3/(2 + e^x) with respect to x"
    assert str(heading) in render(derivation, "terminal", color=False)
    assert f"<title>{html.escape(str(heading))}</title>" in render(derivation, "html")
    assert f"<h1>{html_said(heading)}</h1>" in render(derivation, "html")
    assert markdown_said(heading) in render(derivation, "markdown")


def test_the_heading_says_which_derivative(derivations) -> None:
    second = derive("sigmoid", order=2)
    assert str(title(second)) == "The second derivative of the sigmoid σ(x) with respect to x"
    assert "second derivative" in render(second, "latex")


class phi(NamedFunction):  # noqa: N801 - printers show the class name
    """A named function the renderers have never seen: φ(u) = u/(1 + u²)."""

    @classmethod
    def definition(cls, arg: sp.Expr) -> sp.Expr:
        return arg / (1 + arg**2)


def _unseen() -> Derivation:
    """A hand-made derivation: a rule no renderer special-cases, φ, an unverified check."""
    before = sp.Derivative(phi(X), X)
    after = (1 - X**2) / (1 + X**2) ** 2
    check = Check(CheckStatus.UNVERIFIED, "numeric", 1.5, "simplify ran out of 1 s")
    step = Step(Rule.FALLBACK, "Ask SymPy", "No rule yet; SymPy differentiates.", before, after)
    checked = Step(step.rule, step.title, step.explanation, before, after, (), check)
    return Derivation(phi(X), X, after, (checked,), "phi", ((phi(X), phi.definition(X)),))


@pytest.mark.parametrize("fmt", list(Format))
def test_renderers_are_generic(fmt: Format) -> None:
    derivation = _unseen()
    out = render(derivation, fmt)
    if fmt.is_code:  # code shows the result and the tally, not the steps
        assert "0 of 1 steps proven by SymPy" in out and "phi" in out
        return
    assert "Ask SymPy" in out
    if fmt in (Format.TERMINAL, Format.TEXT, Format.MARKDOWN, Format.HTML, Format.LATEX):
        assert "not proven" in out or "[?]" in out or "?" in out
    if fmt is Format.HTML:
        assert "unverified" in out and "φ" in html.unescape(out)
    if fmt is Format.LATEX:
        assert r"\phi\left(x\right)" in out


def test_a_derivation_without_a_named_function_has_no_definitions(derivations) -> None:
    derivation = derivations["x^2 + 3x"]
    assert derivation.definitions == ()
    for fmt in Format:
        out = render(derivation, fmt)
        assert "where" not in out.lower().split("start from")[0] or fmt is Format.JSON


def test_formatter_options_are_fields() -> None:
    chosen = formatter("latex", fragment=True)
    assert chosen.format is Format.LATEX and chosen.fragment  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        chosen.fragment = False  # type: ignore[misc]


def test_terminal_and_text(sigmoid: Derivation) -> None:
    coloured = render(sigmoid, "terminal")
    plain = render(sigmoid, "terminal", color=False)
    text = render(sigmoid, "text")
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert "σ(x)(1 - σ(x))" in plain
    assert text.isascii() and "sigma(x)(1 - sigma(x))" in text
    assert inline(sigmoid.named_function) == "σ(x)"


def test_a_step_renders_on_its_own(sigmoid: Derivation) -> None:
    step = sigmoid.steps[0]
    for fmt in ("latex", "markdown", "html", "json"):
        assert str(step.title) in html.unescape(formatter(fmt).render_step(step))
    with pytest.raises(NotImplementedError):
        formatter("text").render_step(step)


def test_derive_other_named_functions() -> None:
    softplus = derive("softplus")
    for fmt in Format:
        assert render(softplus, fmt)


def test_the_tally_counts_the_steps_a_reader_sees(sigmoid: Derivation) -> None:
    """A lone substep is the step itself, not shown: the tally does not count it twice."""
    inner = sigmoid.steps[1]
    assert len(inner.substeps) == 1 and not shown_substeps(inner)
    assert str(tally(sigmoid)) == "12 of 12 steps proven by SymPy"
    assert "2 of 2 steps" not in render(sigderiv.derive("x^2"), "text")


def test_a_derivation_repr_is_one_short_line(sigmoid: Derivation) -> None:
    text = repr(sigmoid)
    assert "\n" not in text and len(text) < 160
    assert text == (
        "Derivation(function=1/(1 + exp(-x)), variable=x, result=(1 - sigma(x))*sigma(x), "
        "steps=5, proven=12 of 12)"
    )
