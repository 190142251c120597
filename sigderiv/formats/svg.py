"""An inline SVG line plot of sampled curves: axes, grid, ticks and a legend, no script.

A curve breaks where it has no value (a pole, a jump, where f is undefined) and a jump has
dots: closed at the value taken, open at a one-sided limit, as ``sigderiv plot`` draws them.

Colours come from CSS classes (``curve-0``, ``curve-1``, ...) so a page's light and dark
themes colour the plot too; :data:`STYLE` gives defaults for an SVG shown on its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from sigderiv.model.plot import Curve, Samples, y_window

WIDTH, HEIGHT = 640, 360
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 16, 16, 32

#: Default colours for the classes the plot uses; a page may override them.
STYLE = (
    ".plot-axis{stroke:#57606a;stroke-width:1}"
    ".plot-grid{stroke:#d0d7de;stroke-width:0.5}"
    ".plot-label{fill:#57606a;font:12px system-ui,sans-serif}"
    ".curve{fill:none;stroke-width:2.2;stroke-linejoin:round;stroke-linecap:round}"
    ".curve-0{stroke:#0b5cad}.curve-1{stroke:#c2410c}.curve-2{stroke:#15803d}"
    ".dashed{stroke-dasharray:6 5}"
    ".dot{stroke-width:1.6}.dot.open{fill:#fff}"
    ".dot.closed.curve-0{fill:#0b5cad}.dot.closed.curve-1{fill:#c2410c}"
    ".dot.closed.curve-2{fill:#15803d}"
)


def nice_step(span: float, ticks: int = 6) -> float:
    """Return a tick spacing of 1, 2 or 5 times a power of ten giving about ``ticks`` ticks."""
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _fmt(number: float) -> str:
    text = f"{number:.6g}"
    return "0" if text in ("-0", "0") else text.replace("-", "\u2212")


def plot_svg(curves: Sequence[Curve], *, title: str = "", standalone: bool = False) -> str:
    """Return the curves as one ``<svg>`` element (with ``standalone``, its own style too)."""
    window = y_window([c.samples for c in curves])
    xs = curves[0].samples.xs if curves else ()
    if window is None or len(xs) < 2:
        return ""
    x_lo, x_hi = xs[0], xs[-1]
    y_lo, y_hi = window
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM

    def px(x: float) -> float:
        return _LEFT + (x - x_lo) / (x_hi - x_lo) * plot_w

    def py(y: float) -> float:
        return _TOP + (y_hi - y) / (y_hi - y_lo) * plot_h

    parts = [
        f'<svg class="plot" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(title)}">'
    ]
    if standalone:
        parts.append(f"<style>{STYLE}</style>")
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for value, horizontal in _ticks(x_lo, x_hi, False) + _ticks(y_lo, y_hi, True):
        if horizontal:
            y = py(value)
            parts.append(
                f'<line class="plot-grid" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" '
                f'y1="{y:.1f}" y2="{y:.1f}"/>'
            )
            parts.append(
                f'<text class="plot-label" x="{_LEFT - 6}" y="{y + 4:.1f}" '
                f'text-anchor="end">{_fmt(value)}</text>'
            )
        else:
            x = px(value)
            parts.append(
                f'<line class="plot-grid" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" '
                f'y2="{HEIGHT - _BOTTOM}"/>'
            )
            parts.append(
                f'<text class="plot-label" x="{x:.1f}" y="{HEIGHT - _BOTTOM + 18}" '
                f'text-anchor="middle">{_fmt(value)}</text>'
            )
    if y_lo <= 0 <= y_hi:
        parts.append(
            f'<line class="plot-axis" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" '
            f'y1="{py(0):.1f}" y2="{py(0):.1f}"/>'
        )
    if x_lo <= 0 <= x_hi:
        parts.append(
            f'<line class="plot-axis" x1="{px(0):.1f}" x2="{px(0):.1f}" '
            f'y1="{_TOP}" y2="{HEIGHT - _BOTTOM}"/>'
        )
    # A nested <svg> clips to its own box: curves end at the plot's edge.
    parts.append(
        f'<svg x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{plot_h}" '
        f'viewBox="{_LEFT} {_TOP} {plot_w} {plot_h}">'
    )
    for i, curve in enumerate(curves):
        style = f"curve curve-{i}" + (" dashed" if curve.dashed else "")
        for run in _runs(curve.samples.clipped(y_lo, y_hi)):
            points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in run)
            parts.append(
                f'<polyline class="{style}" points="{points}">'
                f"<title>{escape(curve.label)}</title></polyline>"
            )
    for i, curve in enumerate(curves):  # over every line, as in sigderiv plot
        for dot in curve.dots:
            if y_lo <= dot.y <= y_hi:
                kind = "closed" if dot.closed else "open"
                said = "the value" if dot.closed else "a one-sided limit"
                parts.append(
                    f'<circle class="dot {kind} curve-{i}" cx="{px(dot.x):.1f}" '
                    f'cy="{py(dot.y):.1f}" r="3.5"><title>{escape(curve.label)}: {said}, '
                    f"{_fmt(dot.y)} at {_fmt(dot.x)}</title></circle>"
                )
    parts.append("</svg></svg>")
    return "".join(parts)


def _ticks(lo: float, hi: float, horizontal: bool) -> list[tuple[float, bool]]:
    step = nice_step(hi - lo)
    first = math.ceil(lo / step) * step
    count = int((hi - first) / step + 1e-9) + 1
    return [(round(first + i * step, 12), horizontal) for i in range(count)]


def _runs(samples: Samples) -> list[list[tuple[float, float]]]:
    """Split a curve where it has no value, so no line jumps a gap."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(samples.xs, samples.ys, strict=True):
        if y is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x, y))
    return [run for run in runs if len(run) > 1]
