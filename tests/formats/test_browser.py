"""The HTML page in a real browser: headless Chromium lays out the MathML, fetches nothing.

CI installs Debian's chromium (see .ci/run); without one the test is skipped and says why.
Set SIGDERIV_SCREENSHOT=path to keep the light-theme screenshot (docs/html-sigmoid.png is
made that way).
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest

from sigderiv import Derivation, render

from .chromium import browser, find_chromium, net_log_requests

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)

# Measured by the test, in the page, after layout: the page itself has no script.
_MEASURE = """JSON.stringify({
  maths: Array.from(document.querySelectorAll('math'))
    .filter(m => getComputedStyle(m).display !== 'none').map(m => {
    const r = m.getBoundingClientRect(); return [r.width, r.height];
  }),
  fractions: Array.from(document.querySelectorAll('mfrac')).slice(0, 40).map(f => {
    const top = f.children[0].getBoundingClientRect();
    const bottom = f.children[1].getBoundingClientRect();
    return [top.bottom, bottom.top];
  }),
  sections: document.querySelectorAll('section.step').length,
  plot: (() => { const s = document.querySelector('svg.plot');
                 return s ? [s.getBoundingClientRect().width, s.getBoundingClientRect().height]
                          : null; })(),
  background: getComputedStyle(document.body).backgroundColor,
  text: getComputedStyle(document.body).color,
  height: document.documentElement.scrollHeight,
})"""


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _load(chromium, url: str, scheme: str) -> dict:
    import json

    chromium.page(
        "Emulation.setEmulatedMedia",
        features=[{"name": "prefers-color-scheme", "value": scheme}],
    )
    chromium.page("Page.navigate", url=url)
    chromium.wait_for("Page.loadEventFired")
    return json.loads(chromium.evaluate(_MEASURE))


def test_the_page_renders_in_chromium(sigmoid: Derivation, tmp_path: Path) -> None:
    page = tmp_path / "sigmoid.html"
    page.write_text(render(sigmoid, "html"), encoding="utf-8")
    assert CHROMIUM is not None
    with browser(CHROMIUM, tmp_path) as chromium:
        chromium.page("Network.enable")
        chromium.page("Page.enable")
        light = _load(chromium, page.as_uri(), "light")
        shot = tmp_path / "light.png"
        chromium.screenshot(shot, 1200, min(int(light["height"]), 3000))
        dark = _load(chromium, page.as_uri(), "dark")
        requested = [
            e["params"]["request"]["url"]
            for e in chromium.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
    # The math rendered: every <math> has a size, and fractions are stacked, not inline.
    assert len(light["maths"]) >= 2 * len(sigmoid.steps)
    assert all(w > 0 and h > 0 for w, h in light["maths"]), light["maths"]
    assert light["fractions"] and all(top <= bottom + 1 for top, bottom in light["fractions"])
    assert light["sections"] == len(sigmoid.steps)
    assert light["plot"] is not None and light["plot"][0] > 300 and light["plot"][1] > 150
    # Two themes: a light page and a dark page.
    assert light["background"] != dark["background"] and light["text"] != dark["text"]
    assert light["background"] == "rgb(251, 250, 247)"
    # Nothing fetched: the page asked for itself only, and the net log holds no request a page
    # made (Chromium's own background traffic, which cannot resolve a host here, aside).
    assert requested and all(url.startswith("file://") for url in requested), requested
    by_pages = [r for r in net_log_requests(tmp_path / "net-log.json") if not r.by_browser]
    assert not [r.url for r in by_pages if r.remote]
    width, height = _png_size(shot)
    assert width == 1200 and height > 1000 and shot.stat().st_size > 50_000
    keep = os.environ.get("SIGDERIV_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)


def test_the_network_check_would_catch_a_fetch(tmp_path: Path) -> None:
    """The same checks on a page that does fetch: they must see it (so they are not vacuous)."""
    page = tmp_path / "fetches.html"
    page.write_text(
        '<!DOCTYPE html><html><body><img src="https://example.invalid/a.png" alt=""></body></html>',
        encoding="utf-8",
    )
    assert CHROMIUM is not None
    with browser(CHROMIUM, tmp_path) as chromium:
        chromium.page("Network.enable")
        chromium.page("Page.enable")
        chromium.page("Page.navigate", url=page.as_uri())
        chromium.wait_for("Page.loadEventFired")
    remote = [r.url for r in net_log_requests(tmp_path / "net-log.json") if not r.by_browser]
    assert "https://example.invalid/a.png" in [url for url in remote if url.startswith("https")]


# Every shown equation, measured against its card: the <math>, its box and what it would scroll.
_FIT = """JSON.stringify(Array.from(document.querySelectorAll('.eq > math'))
  .filter(m => getComputedStyle(m).display !== 'none').map(m => {
    const card = m.closest('section, figure, main').getBoundingClientRect();
    const box = m.getBoundingClientRect(); const eq = m.parentElement;
    return {left: box.left, right: box.right, cardLeft: card.left, cardRight: card.right,
            scroll: eq.scrollWidth, client: eq.clientWidth,
            rows: m.querySelectorAll('mtr').length, text: m.textContent.slice(0, 60)};
  }))"""


def test_every_equation_fits_its_card_at_phone_and_desktop_widths(
    sigmoid: Derivation, long_derivations: dict[str, Derivation], tmp_path: Path
) -> None:
    import json

    pages = {"sigmoid": sigmoid, **long_derivations}
    assert CHROMIUM is not None
    broken = 0
    with browser(CHROMIUM, tmp_path) as chromium:
        chromium.page("Page.enable")
        for name, derivation in pages.items():
            page = tmp_path / f"{len(name)}.html"
            page.write_text(render(derivation, "html"), encoding="utf-8")
            for width in (500, 1280):
                chromium.page(
                    "Emulation.setDeviceMetricsOverride",
                    width=width,
                    height=900,
                    deviceScaleFactor=1,
                    mobile=False,
                )
                chromium.page("Page.navigate", url=page.as_uri())
                chromium.wait_for("Page.loadEventFired")
                shown = json.loads(chromium.evaluate(_FIT))
                page_width = chromium.evaluate("document.documentElement.scrollWidth")
                assert page_width <= width, (name, width, page_width)  # nothing past the page
                # one version of each equation shows, and each fits: no scroll, inside the card
                assert len(shown) >= 2 * len(derivation.steps), (name, width)
                for eq in shown:
                    assert eq["scroll"] <= eq["client"], (name, width, eq)
                    assert eq["cardLeft"] <= eq["left"] and eq["right"] <= eq["cardRight"], eq
                broken += sum(eq["rows"] > 1 for eq in shown)
                keep = os.environ.get("SIGDERIV_SHOTS")
                if keep:
                    height = int(chromium.evaluate("document.documentElement.scrollHeight"))
                    slug = "".join(c for c in name if c.isalnum())[:16]
                    shot = Path(keep) / f"{slug}-{width}.png"
                    chromium.screenshot(shot, width, min(height, 8000))
    assert broken > 10  # the long ones were broken into rows, not shrunk or clipped
