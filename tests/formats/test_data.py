"""Renderers are given their data: plot samples and catalogue rows come computed, as values."""

from __future__ import annotations

import pytest
import sympy as sp
from rich.console import Console

from sigderiv import derive, render
from sigderiv.engine import sample as sampling
from sigderiv.engine.sample import plot_curves
from sigderiv.expr.functions import CATALOGUE, CatalogueRow
from sigderiv.formats.catalogue import catalogue_table
from sigderiv.formats.data import prepared
from sigderiv.formats.html import HtmlFormatter
from sigderiv.model.plot import Curve, Samples


def _no_sampling(*args: object, **kwargs: object) -> None:
    raise AssertionError("a renderer sampled while rendering")


def test_the_html_renderer_draws_the_curves_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    d = derive("x^2")
    curves = plot_curves(d, -2, 2, 21)
    monkeypatch.setattr(sampling, "sample", _no_sampling)
    page = HtmlFormatter(curves=curves).render(d)
    assert '<svg class="plot"' in page and page.count("<polyline") >= 2
    assert "<svg" not in HtmlFormatter().render(d)  # no samples given: no plot drawn


def test_a_curve_is_plain_data() -> None:
    line = Curve("f(x)", Samples((0.0, 1.0), (1.0, None)))
    assert line.samples.finite == [(0.0, 1.0)] and not line.dashed


def test_render_computes_the_samples_before_rendering() -> None:
    d = derive("sigmoid")
    chosen = prepared(HtmlFormatter(points=31), d)
    assert chosen.curves is not None and len(chosen.curves[0].samples.xs) == 31
    assert prepared(HtmlFormatter(plot=False), d).curves is None
    assert render(d, "html", bounded=False) == render(d, "html")
    assert render(d, "html") == HtmlFormatter(curves=plot_curves(d)).render(d)


def test_the_catalogue_table_shows_the_rows_it_is_given() -> None:
    x = sp.Symbol("x")
    entry = CATALOGUE["sigmoid"]
    row = CatalogueRow(entry, entry.apply(x), entry.definition(x), derive("sigmoid"))
    console = Console(width=200, record=True, no_color=True)
    console.print(catalogue_table(rows=[row]))
    shown = console.export_text()
    assert "sigmoid" in shown and "own value" in shown and "tanh" not in shown
