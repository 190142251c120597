"""HTML: one self-contained page of MathML and SVG, with light and dark themes and no script."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from sigderiv import Derivation, render
from sigderiv.engine.sample import plot_curves
from sigderiv.formats.base import shown_substeps
from sigderiv.printing.mathml import mathml
from sigderiv.printing.mathml_layout import fitted

from .conftest import FUNCTIONS


class _Tags(HTMLParser):
    """Collects tags and attributes; fails on unbalanced sections."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.open_sections = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        self.open_sections += tag == "section"

    def handle_endtag(self, tag: str) -> None:
        self.open_sections -= tag == "section"


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


@pytest.mark.parametrize("name", FUNCTIONS)
def test_the_page_is_self_contained(name: str, derivations) -> None:
    page = render(derivations[name], "html")
    tags = _parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?:|//[a-z]", page, re.I), "the page must not name any URL"
    assert "<script" not in page and " on" not in " ".join(a for a, _ in tags.attributes)
    assert not {"link", "img", "iframe", "object", "embed", "script"} & set(tags.tags)
    assert "@import" not in page and "url(" not in page
    assert tags.open_sections == 0


@pytest.mark.parametrize("name", FUNCTIONS)
def test_steps_are_sections_with_mathml(name: str, derivations) -> None:
    derivation: Derivation = derivations[name]
    page = render(derivation, "html")
    assert page.count('<section class="step"') == len(derivation.steps)
    assert page.count('<section class="result"') == 1
    for number in range(1, len(derivation.steps) + 1):
        assert f'id="step-{number}"' in page
    for step in derivation.steps:  # each version of the equation, whole or broken into rows
        versions = fitted(step.before, step.after)
        assert all(text.split(">", 1)[1] in page for text, _ in versions)
        if len(versions) == 1 and "<mtable" not in versions[0][0]:  # whole at every width
            assert mathml(step.before, step.after, block=True).split(">", 1)[1] in page
    assert "unevaluatedexpr" not in page and "<mi>paren</mi>" not in page
    assert "&amp;" not in page.split("<main>", 1)[1] or "&" in "".join(
        s.title for s in derivation.walk()
    )


def test_the_sigmoid_page(sigmoid: Derivation) -> None:
    page = render(sigmoid, "html")
    assert "<title>The derivative of the sigmoid σ(x) with respect to x</title>" in page
    assert '<meta name="color-scheme" content="light dark">' in page
    assert "@media (prefers-color-scheme: dark)" in page
    shown = len(sigmoid.steps) + sum(len(shown_substeps(s)) for s in sigmoid.steps)
    assert page.count('class="badge verified"') == shown == 12
    assert "12 of 12 steps proven by SymPy" in page
    assert "<mi>&#963;</mi>" in page  # σ
    assert '<svg class="plot"' in page and page.count("<polyline") >= 2


def test_the_plot_shows_f_and_its_derivative(sigmoid: Derivation) -> None:
    f, df = plot_curves(sigmoid, -6, 6, 61)
    assert len(f.samples.xs) == 61 and all(y is not None for y in f.samples.ys)
    assert f.samples.ys[30] == pytest.approx(0.5) and df.samples.ys[30] == pytest.approx(0.25)
    assert max(y for _, y in df.samples.finite) == pytest.approx(0.25)


def test_no_plot_when_a_constant_has_no_value(derivations) -> None:
    page = render(derivations["1/(1+exp(-k*x))"], "html")
    assert "<svg" not in page
    assert render(derivations["sigmoid"], "html", plot=False).count("<svg") == 0


def test_a_pole_leaves_a_gap() -> None:
    from sigderiv import derive

    page = render(derive("1/x"), "html", points=101)  # the samples are computed, then drawn
    assert page.count('class="curve curve-0"') == 2  # f = 1/x: one line each side of 0


def test_the_fragment_is_a_styled_div(sigmoid: Derivation) -> None:
    fragment = render(sigmoid, "html", fragment=True)
    assert fragment.startswith('<div class="sigderiv">\n<style>')
    assert "<html" not in fragment and "<body" not in fragment
    assert fragment.rstrip().endswith("</div>")


# ---- the page's plot draws jumps and domains as sigderiv plot does (issue 17) ---------------


@pytest.mark.parametrize(
    ("expr", "closed", "open_", "runs"),
    [
        ("relu", 1, 1, 2),  # f′ jumps from 0 to 1 at 0: the value taken, and the limit
        ("leaky_relu", 1, 1, 2),
        ("abs(x)", 1, 2, 2),  # sign(x): 0 at 0, both limits open
        ("hardtanh", 2, 2, 3),  # two jumps, three pieces
        ("x^2", 0, 0, 1),  # smooth: one line, no dots
    ],
)
def test_the_page_s_plot_breaks_f_prime_at_a_jump_with_dots(
    expr: str, closed: int, open_: int, runs: int
) -> None:
    from sigderiv import derive

    page = render(derive(expr), "html")
    assert page.count('class="dot closed curve-1"') == closed
    assert page.count('class="dot open curve-1"') == open_
    assert page.count('class="curve curve-1"') == runs  # no vertical segment at a jump
    assert 'class="dot' not in page.split('class="curve curve-1"')[0]  # f itself has none


def _xs_of(page: str, curve: int) -> list[float]:
    """The x pixel of every point of one curve's polylines."""
    found = re.findall(rf'<polyline class="curve curve-{curve}[^"]*" points="([^"]*)"', page)
    return [float(p.split(",")[0]) for points in found for p in points.split()]


@pytest.mark.parametrize("expr", ["log(x)", "sqrt(x)", "x*log(x)", "log(x)^2"])
def test_the_page_s_plot_draws_f_prime_only_where_f_is_defined(expr: str) -> None:
    """f = ln x has f′ = 1/x, which has values for x < 0: the page leaves them out."""
    from sigderiv import derive
    from sigderiv.formats import svg

    page = render(derive(expr), "html")  # over [-6, 6]: x = 0 is the middle
    middle = svg._LEFT + (svg.WIDTH - svg._LEFT - svg._RIGHT) / 2
    assert _xs_of(page, 1) and min(_xs_of(page, 1)) >= middle
    assert min(_xs_of(page, 0)) >= middle


def test_the_standalone_svg_styles_its_dots() -> None:
    from sigderiv import derive
    from sigderiv.formats.svg import plot_svg

    shown = plot_svg(plot_curves(derive("relu"), -2, 2, 41), standalone=True)
    assert ".dot.closed.curve-1{fill:" in shown and ".dot.open{fill:#fff}" in shown
    assert shown.count("<circle") == 2


@pytest.mark.parametrize(
    ("options", "present", "absent"),
    [
        ({}, ["<style>", "<main>", "<li>\n<h3>(a)"], ["<details>", "<article"]),
        ({"collapsible": True}, ["<style>", "<li><details>\n<summary><h3>(a)"], []),
        ({"styled": False}, ['<article class="derivation">', "<li>\n<h3>(a)"], ["<style", "<main"]),
        (
            {"styled": False, "collapsible": True, "plot": False},
            ["</summary>\n<p>", "</details></li>", "</article>"],
            ["<style", "<svg", "<main", "<script"],
        ),
    ],
    ids=["default", "collapsible", "unstyled", "for the served page"],
)
@pytest.mark.parametrize("name", ["sigmoid", "x^2 sin(x)", "x*exp(-x)"])
def test_fragment_options(name: str, options: dict, present: list, absent: list) -> None:
    from sigderiv import derive

    fragment = render(derive(name), "html", fragment=True, **options)
    assert fragment.startswith('<div class="sigderiv">') and fragment.endswith("</div>\n")
    for part in present:
        assert part in fragment, part
    for part in absent:
        assert part not in fragment, part
    parsed = _parse(fragment)
    assert parsed.open_sections == 0
    assert parsed.tags.count("details") == parsed.tags.count("summary")
    shown = sum(len(shown_substeps(step)) for step in derive(name).steps)
    assert parsed.tags.count("details") == (shown if options.get("collapsible") else 0)


def test_a_whole_page_keeps_its_main_and_style_whatever_styled_says(sigmoid: Derivation) -> None:
    page = render(sigmoid, "html", styled=False, plot=False)
    assert "<main>" in page and "<style>" in page and "<article" not in page
