"""HTML: one self-contained page (MathML, an inline SVG plot, light and dark themes, no script).

Nothing on the page is fetched: no fonts, scripts, styles or images from anywhere. The math
is MathML from :func:`sigderiv.display.mathml`, which browsers lay out natively.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as _escape
from typing import ClassVar

import sympy as sp

from sigderiv._version import __version__
from sigderiv.formats.base import (
    LETTERS,
    Format,
    Formatter,
    in_its_variable,
    lone_local,
    result_sides,
    shown_substeps,
    status_of,
    status_words,
    substep_sides,
    tally,
    title,
    warnings,
)
from sigderiv.formats.safe import printable
from sigderiv.formats.svg import plot_svg
from sigderiv.model.plot import DEFAULT_POINTS, Curve
from sigderiv.model.steps import Derivation, Step
from sigderiv.model.words import Words
from sigderiv.printing.mathml import mathml
from sigderiv.printing.mathml_layout import TIERS, fitted

_MARKS = {"verified": "✓", "unverified": "?", "failed": "✗", "unchecked": "·"}
_BADGES = {
    "verified": "proven",
    "unverified": "not proven",
    "failed": "failed",
    "unchecked": "not checked",
}


def _tier_rules() -> str:
    """The container queries that show, in each ``.eq`` box, the version made for its width."""
    rules = []
    for tier, (low, _, scale) in enumerate(TIERS):
        high = TIERS[tier + 1][0] if tier + 1 < len(TIERS) else None
        query = f"(min-width: {low}px)" + (f" and (max-width: {high - 0.02}px)" if high else "")
        rules.append(
            f"@container {query} {{ .sigderiv .eq > math.fit:not(.t{tier}) {{ display: none; }}\n"
            f'  .sigderiv .eq > math[display="block"] {{ font-size: {scale}em; }} }}'
        )
    return "\n".join(rules)


# Every rule is scoped to .sigderiv so the same style serves a page and a notebook cell.
STYLE = (
    """
.sigderiv {
  --bg: #fbfaf7; --fg: #1f2328; --muted: #59636e; --accent: #0b5cad; --card: #ffffff;
  --border: #e4e0d6; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --grid: #e6e2d8;
  --curve-0: #0b5cad; --curve-1: #c2410c; --curve-2: #15803d;
  color-scheme: light dark;
  background: var(--bg); color: var(--fg);
  font: 17px/1.6 Charter, "Bitstream Charter", "Sitka Text", Cambria, "Noto Serif",
    "DejaVu Serif", Georgia, serif;
}
@media (prefers-color-scheme: dark) {
  .sigderiv {
    --bg: #0f1217; --fg: #e6e8eb; --muted: #9ba5b3; --accent: #79b8ff; --card: #171b22;
    --border: #2b313c; --ok: #3fb950; --warn: #d29922; --bad: #f85149; --grid: #2b313c;
    --curve-0: #79b8ff; --curve-1: #ffa657; --curve-2: #56d364;
  }
}
body.sigderiv { margin: 0; }
.sigderiv main { max-width: 48rem; margin: 0 auto; padding: 2.5rem 1.25rem 3rem; }
.sigderiv h1, .sigderiv h2, .sigderiv h3, .sigderiv .badge, .sigderiv .label,
.sigderiv figcaption, .sigderiv footer {
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif;
}
.sigderiv h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 .4rem; letter-spacing: -.01em; }
.sigderiv h2 { font-size: 1.2rem; line-height: 1.35; margin: 0 0 .5rem; }
.sigderiv h3 { font-size: 1rem; line-height: 1.4; margin: 1rem 0 .3rem; }
.sigderiv .lede, .sigderiv .label, .sigderiv figcaption, .sigderiv footer { color: var(--muted); }
.sigderiv .lede { margin: 0 0 1.5rem; }
.sigderiv .label { font-size: .85rem; text-transform: uppercase; letter-spacing: .06em;
  margin: 1rem 0 0; }
.sigderiv .note { border-left: 3px solid var(--warn); padding: .2rem .8rem; }
.sigderiv section.step, .sigderiv section.result, .sigderiv figure.plot {
  background: var(--card); border: 1px solid var(--border); border-radius: 12px;
  padding: 1.1rem 1.4rem; margin: 1.25rem 0;
}
.sigderiv section.result { border-color: var(--accent); }
.sigderiv .num { color: var(--accent); margin-right: .35rem; }
.sigderiv .badge { display: inline-block; font-size: .75rem; font-weight: 600;
  vertical-align: middle; margin-left: .5rem; padding: .05rem .6rem; border-radius: 999px;
  border: 1px solid currentColor; white-space: nowrap; }
.sigderiv .badge.verified { color: var(--ok); }
.sigderiv .badge.unverified { color: var(--warn); }
.sigderiv .badge.failed { color: var(--bad); }
.sigderiv .badge.unchecked { color: var(--muted); }
.sigderiv ol.substeps { list-style: none; margin: .5rem 0; padding: 0 0 0 1rem;
  border-left: 2px solid var(--border); }
.sigderiv .eq { container-type: inline-size; overflow-x: auto; overflow-y: hidden;
  padding: .35rem 0; }
.sigderiv mtd { padding: .3em 0; }
.sigderiv mtd.left { text-align: left; } .sigderiv mtd.right { text-align: right; }
.sigderiv math { font-family: "STIX Two Math", "Latin Modern Math", "Cambria Math",
  "Noto Sans Math", math; }
.sigderiv math[display="block"] { font-size: 1.3em; margin: .2rem 0; }
.sigderiv :is(h1, h2, h3, p) > math { display: inline-block; max-width: 100%;
  overflow-x: auto; overflow-y: hidden; vertical-align: middle; }
.sigderiv figure.plot { margin: 1.25rem 0; }
.sigderiv figure.plot svg { display: block; width: 100%; height: auto; }
.sigderiv figcaption { font-size: .9rem; margin-top: .4rem; }
.sigderiv .key { display: inline-block; width: 1.6rem; height: 0; vertical-align: middle;
  border-top: 3px solid; margin: 0 .35rem 0 .9rem; }
.sigderiv .key.dashed { border-top-style: dashed; }
.sigderiv .key-0 { color: var(--curve-0); } .sigderiv .key-1 { color: var(--curve-1); }
.sigderiv .key-2 { color: var(--curve-2); }
.sigderiv .plot-axis { stroke: var(--muted); stroke-width: 1; }
.sigderiv .plot-grid { stroke: var(--grid); stroke-width: 1; }
.sigderiv .plot-label { fill: var(--muted); font: 12px system-ui, sans-serif; }
.sigderiv .curve { fill: none; stroke-width: 2.4; stroke-linejoin: round; stroke-linecap: round; }
.sigderiv .curve-0 { stroke: var(--curve-0); } .sigderiv .curve-1 { stroke: var(--curve-1); }
.sigderiv .curve-2 { stroke: var(--curve-2); }
.sigderiv .dashed { stroke-dasharray: 7 6; }
.sigderiv .dot { stroke-width: 1.6; } .sigderiv .dot.open { fill: var(--bg); }
.sigderiv .dot.closed.curve-0 { fill: var(--curve-0); }
.sigderiv .dot.closed.curve-1 { fill: var(--curve-1); }
.sigderiv .dot.closed.curve-2 { fill: var(--curve-2); }
.sigderiv footer { font-size: .85rem; margin-top: 2rem; }
""".strip()
    + "\n"
    + _tier_rules()
)


def escape(text: str, quote: bool = True) -> str:
    """Return words for the page: made printable (one line, no controls, no bidi), then escaped.

    The one place the HTML format escapes a derivation's words, as each format does
    (:mod:`sigderiv.formats.safe`).
    """
    return _escape(printable(text), quote=quote)


def said(words: Words) -> str:
    """Return Words for the page: the text escaped, each slot as inline MathML."""
    return words.render(mathml, escape)


def _eq(*exprs: sp.Expr) -> str:
    """An equation in one ``<math>`` per page width it needs; the style shows one of them."""
    versions = fitted(*exprs)
    if len(versions) == 1:
        only = versions[0][0].replace('class="fit" ', "", 1)
        return f'<div class="eq">{only}</div>'
    shown = [
        text.replace('class="fit"', f'class="fit {" ".join(f"t{t}" for t in tiers)}"', 1)
        for text, tiers in versions
    ]
    return f'<div class="eq">{"".join(shown)}</div>'


def _badge(step: Step) -> str:
    status = status_of(step)
    words = escape(status_words(step.check, method=True), quote=True)
    return f'<span class="badge {status}" title="{words}">{_MARKS[status]} {_BADGES[status]}</span>'


def page(heading: str, body: str) -> str:
    """Return the whole page: the head with its title (HTML already) and style, then ``body``."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f'<meta name="generator" content="sigderiv {__version__}">\n'
        f"<title>{heading}</title>\n<style>\n{STYLE}\n</style>\n</head>\n"
        f'<body class="sigderiv">\n{body}\n</body>\n</html>\n'
    )


@dataclass(frozen=True)
class HtmlFormatter(Formatter):
    """A self-contained page, or with ``fragment`` a ``<div>`` for a notebook cell.

    ``collapsible`` puts each substep in a ``<details>`` whose ``<summary>`` is its title;
    a fragment that is not ``styled`` leaves out the ``<style>`` (a page that serves the
    style as a file of its own, :data:`STYLE`, under a Content-Security-Policy) and puts the
    derivation in an ``<article>`` instead of a ``<main>``.

    ``curves`` are the plot's samples, computed before rendering (``render`` does it with
    :func:`sigderiv.engine.sample.plot_curves` over ``plot_range`` at ``points`` points);
    the page shows them when ``plot`` is true, and no plot without them.
    """

    format: ClassVar[Format] = Format.HTML
    fragment: bool = False
    plot: bool = True
    plot_range: tuple[float, float] = (-6.0, 6.0)
    points: int = DEFAULT_POINTS
    curves: tuple[Curve, ...] | None = None
    collapsible: bool = False
    styled: bool = True
    anchor: str = ""  # before each id on the page (``p3-``: a sheet's third problem)

    @in_its_variable
    def render(self, derivation: Derivation) -> str:
        """Return the page (or the fragment)."""
        body = "\n".join(self._body(derivation))
        if self.fragment and not self.styled:
            return f'<div class="sigderiv">\n{body}\n</div>\n'
        if self.fragment:
            return f'<div class="sigderiv">\n<style>{STYLE}</style>\n{body}\n</div>\n'
        return page(escape(str(title(derivation))), body)

    @in_its_variable
    def article(self, derivation: Derivation) -> str:
        """Return the derivation's part of a page (a sheet's problem): its header to its footer."""
        return "\n".join(self._body(derivation))

    def render_step(self, step: Step) -> str:
        """Return one step as a styled ``<div>`` (for a notebook)."""
        return (
            f'<div class="sigderiv">\n<style>{STYLE}</style>\n'
            + "\n".join(self._step(None, step))
            + "\n</div>\n"
        )

    def _body(self, derivation: Derivation) -> list[str]:
        proofs = tally(derivation)
        whole = "main" if self.styled or not self.fragment else 'article class="derivation"'
        parts = [
            f"<{whole}>",
            "<header>",
            f"<h1>{said(title(derivation))}</h1>",
            f'<p class="lede">Every step is checked by SymPy: {escape(str(proofs))}.</p>',
            "</header>",
        ]
        parts += [f'<p class="note">Note: {escape(w)}</p>' for w in warnings(derivation)]
        for named_f, definition in derivation.definitions:
            parts += ['<p class="label">where</p>', _eq(named_f, definition)]
        parts += ['<p class="label">Start from</p>', _eq(derivation.start)]
        if self.plot:
            parts.append(self._plot(self.curves or ()))
        for number, step in enumerate(derivation.steps, start=1):
            parts += self._step(number, step)
        lhs, rhs = result_sides(derivation)
        parts += [
            f'<section class="result" id="{self.anchor}result">',
            "<h2>Result</h2>",
            _eq(lhs, rhs),
            f"<p>{escape(str(proofs))}.</p>",
            "</section>",
            f"<footer>Made by sigderiv {escape(__version__)}. {escape(str(proofs))}; "
            "each step states one identity, and SymPy proved it before it was shown.</footer>",
            f"</{whole.split()[0]}>",
        ]
        return parts

    def _plot(self, curves: tuple[Curve, ...]) -> str:
        lo, hi = self.plot_range
        svg = plot_svg(curves, title=f"f and f′ on [{lo:g}, {hi:g}]") if curves else ""
        if not svg:
            return ""
        keys = "".join(
            f'<span class="key key-{i}{" dashed" if c.dashed else ""}"></span>{escape(c.label)}'
            for i, c in enumerate(curves)
        )
        return f'<figure class="plot">{svg}<figcaption>{keys}</figcaption></figure>'

    def _step(self, number: int | None, step: Step) -> list[str]:
        anchor = f' id="{self.anchor}step-{number}"' if number is not None else ""
        num = f'<span class="num">Step {number}.</span>' if number is not None else ""
        parts = [
            f'<section class="step"{anchor}>',
            f"<h2>{num}{said(step.title)}{_badge(step)}</h2>",
            f"<p>{said(step.explanation)}</p>",
        ]
        local = lone_local(step)
        if local is not None:
            parts.append(_eq(*local))
        shown = shown_substeps(step)
        if shown:
            parts.append('<ol class="substeps">')
            opened, closed = ("<details>", "</details>") if self.collapsible else ("", "")
            heading = "<summary>{}</summary>" if self.collapsible else "{}"
            for letter, sub in zip(LETTERS, shown, strict=False):
                parts += [
                    "<li>" + opened,
                    heading.format(f"<h3>({letter}) {said(sub.title)}{_badge(sub)}</h3>"),
                    f"<p>{said(sub.explanation)}</p>",
                    _eq(*substep_sides(sub)),
                    closed + "</li>",
                ]
            parts += ["</ol>", '<p class="label">Together</p>']
        parts += [_eq(step.before, step.after), "</section>"]
        return parts
