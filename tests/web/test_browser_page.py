"""The page of `sigderiv serve` in real headless Chromium, against a real uvicorn on loopback.

Typed key by key, the preview follows; submitted, the steps (✓) and the plot (SVG paths)
appear, and hovering the plot shows values; a share link opens its derivation; a wrong working
has its first wrong line marked; a practice round is graded; nothing is fetched off loopback.
CI installs Debian's chromium (see .ci/run); without one the test is skipped and says why.
Set SIGDERIV_SCREENSHOT=DIR to save serve-500.png and serve-1280.png there (docs/ has them).
"""

from __future__ import annotations

import html
import json
import os
import re
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import pytest
import sympy as sp

from sigderiv import derive
from sigderiv.grading.practice import problem
from sigderiv.printing.mathml import mathml
from tests.formats import chromium as harness
from tests.formats.chromium import Browser, browser, find_chromium, net_log_requests
from tests.web.server import Server, serving

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)


#: The harness's flags, but loopback resolves: every other host name still fails, so nothing
#: can leave the machine, and the page's own server on 127.0.0.1 answers.
LOOPBACK_FLAGS = tuple(
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    if flag.startswith("--host-resolver-rules=")
    else flag
    for flag in harness.FLAGS
)


@pytest.fixture(scope="module", autouse=True)
def loopback() -> Iterator[None]:
    """Chromium started by these tests may reach 127.0.0.1 (and nothing else)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(harness, "FLAGS", LOOPBACK_FLAGS)
        yield


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """uvicorn serving sigderiv.web:app on a free loopback port."""
    with serving(
        "-m", "uvicorn", "sigderiv.web:app", "--host", "127.0.0.1", "--port", "{port}"
    ) as running:
        yield running


def _wait(chromium: Browser, expression: str, what: str, timeout: float = 30.0) -> Any:
    """Poll a JavaScript expression in the page until it is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = chromium.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            state = chromium.evaluate("document.body ? document.body.innerText.slice(0, 2000) : ''")
            raise AssertionError(f"timed out waiting for {what}; the page says:\n{state}")
        time.sleep(0.1)


def _open(chromium: Browser, url: str) -> None:
    """Navigate and wait until the page's script has started."""
    chromium.page("Page.navigate", url=url)
    chromium.wait_for("Page.loadEventFired")
    _wait(chromium, "document.documentElement.dataset.ready === 'true'", "the page's script")


def _type(chromium: Browser, selector: str, text: str) -> None:
    """Focus an input and type ``text`` into it one key at a time."""
    chromium.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
    for char in text:
        chromium.page("Input.dispatchKeyEvent", type="keyDown", key=char, text=char)
        chromium.page("Input.dispatchKeyEvent", type="keyUp", key=char)


def _centre(chromium: Browser, selector: str) -> tuple[float, float]:
    box = chromium.evaluate(
        f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
        ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    return box[0], box[1]


def _text(chromium: Browser, selector: str) -> str:
    return chromium.evaluate(
        f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || ''"
    )


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One Chromium for the module's tests, at 1280 × 900."""
    assert CHROMIUM is not None
    with browser(CHROMIUM, tmp_path_factory.mktemp("chromium")) as chromium:
        chromium.page("Page.enable")
        chromium.page("Runtime.enable")
        chromium.page(
            "Emulation.setDeviceMetricsOverride",
            width=1280,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        yield chromium


def test_typing_previews_then_derives_with_steps_and_a_plot(server: Server, session) -> None:
    chromium = session
    _open(chromium, server.url + "/")
    _type(chromium, "#expr", "x^2")
    _wait(chromium, "document.querySelector('#preview math msup') !== null", "the preview of x^2")
    _type(chromium, "#expr", " sin(x)")
    assert chromium.evaluate("document.querySelector('#expr').value") == "x^2 sin(x)"
    _wait(
        chromium,
        "document.querySelector('#preview').textContent.includes('sin')",
        "the preview to follow the typing",
    )
    chromium.evaluate("document.querySelector('#derive-button').click()")
    _wait(chromium, "document.querySelectorAll('#steps section.step').length > 0", "the steps")
    marks = chromium.evaluate("document.querySelectorAll('#steps .badge.verified').length")
    assert marks >= 3
    assert "✓" in _text(chromium, "#steps")
    assert chromium.evaluate("document.querySelectorAll('#steps details').length") > 0
    _wait(
        chromium,
        "document.querySelectorAll('#plot-svg path.curve').length >= 2",
        "the plot's curves",
    )
    assert chromium.evaluate("document.querySelector('#plot').hidden") is False
    assert chromium.evaluate("location.search") == "?expr=x%5E2+sin%28x%29"
    # Hovering shows the values of f and f′ under the pointer.
    x, y = _centre(chromium, "#plot-svg")
    chromium.page("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
    readout = _wait(chromium, "document.querySelector('#readout').textContent", "a readout")
    assert "x = " in readout and "f = " in readout and "f′ = " in readout
    # Zoom in with the button: the x-axis spans less.
    before = chromium.evaluate("document.querySelectorAll('#plot-svg text.plot-label').length")
    assert before > 0
    span = "(() => { const t = [...document.querySelectorAll('#plot-svg text.plot-label')]"
    span += ".map(e => Number(e.textContent)).filter(Number.isFinite); return t; })()"
    wide = chromium.evaluate(span)
    chromium.evaluate("document.querySelector('#zoom-in').click()")
    chromium.evaluate("document.querySelector('#zoom-in').click()")
    narrow = chromium.evaluate(span)
    assert narrow != wide
    # The zoomed view is drawn from samples of its own range, asked for after the zoom.
    _wait(
        chromium,
        "performance.getEntriesByType('resource').some(e => e.name.includes('/api/plot?')"
        " && e.name.includes('lo='))",
        "the zoomed range's samples",
    )
    chromium.evaluate("document.querySelector('#zoom-reset').click()")
    assert chromium.evaluate(span) == wide
    # The wheel zooms about the pointer; the keyboard zooms the focused plot.
    chromium.page("Input.dispatchMouseEvent", type="mouseWheel", x=x, y=y, deltaX=0, deltaY=-300)
    deadline = time.monotonic() + 10
    while chromium.evaluate(span) == wide:
        assert time.monotonic() < deadline, "the wheel did not zoom"
        time.sleep(0.05)
    chromium.evaluate("document.querySelector('#plot-svg').focus()")
    chromium.page("Input.dispatchKeyEvent", type="keyDown", key="0", text="0")
    assert chromium.evaluate(span) == wide
    chromium.page("Input.dispatchKeyEvent", type="keyDown", key="-", text="-")
    assert chromium.evaluate(span) != wide


def test_a_parse_error_shows_its_caret(server: Server, session) -> None:
    chromium = session
    _open(chromium, server.url + "/")
    _type(chromium, "#expr", "x^2 +* 3")
    _wait(chromium, "!document.querySelector('#parse-error').hidden", "the parse error")
    caret = _text(chromium, "#parse-error .caret")
    assert caret.endswith("^") and len(caret) - 1 == "x^2 +* 3".index("*")
    assert chromium.evaluate("document.querySelector('#expr').getAttribute('aria-invalid')")


def test_a_share_link_opens_its_derivation(server: Server, session) -> None:
    chromium = session
    _open(chromium, server.url + "/?expr=" + quote("1/(1+e^(-x))") + "&order=2")
    assert chromium.evaluate("document.querySelector('#order').value") == "2"
    _wait(chromium, "document.querySelectorAll('#steps section.step').length >= 2", "2 steps")
    assert "proven" in _text(chromium, "#status")
    assert chromium.evaluate("document.querySelector('#steps h1').textContent").startswith(
        "The second derivative"
    )
    _wait(chromium, "document.querySelectorAll('#plot-svg path.curve').length >= 2", "a plot")


def test_a_wrong_working_has_its_first_wrong_line_marked(server: Server, session) -> None:
    chromium = session
    _open(chromium, server.url + "/")
    working = "x^2 sin(x)\n= 2x sin(x) + x^2 cos(x)\n= 2x cos(x)\n= 2x cos(x) + 0"
    chromium.evaluate(f"document.querySelector('#working').value = {json.dumps(working)}")
    chromium.evaluate("document.querySelector('#check-button').click()")
    _wait(chromium, "document.querySelector('#check-report li.first-error') !== null", "the report")
    assert chromium.evaluate("document.querySelector('li.first-error').dataset.line") == "3"
    assert chromium.evaluate("document.querySelectorAll('#check-report li.correct').length") == 1
    assert "product" in _text(chromium, "li.first-error").lower()
    assert "First error on line 3" in _text(chromium, "#check-status")


def _math_text(expr: sp.Expr) -> str:
    """The text a browser shows of the expression's MathML (its textContent)."""
    return html.unescape(re.sub(r"<[^>]*>", "", mathml(expr, block=True)))


def _answer(text: str) -> str:
    """The derivative of a practice problem, as a learner would type it."""
    return str(derive(text).result).replace("**", "^")


def _grade(chromium: Browser, answer: str, expected: str) -> None:
    """Type an answer, grade it and wait for feedback starting with ``expected``."""
    chromium.evaluate(f"document.querySelector('#answer').value = {json.dumps(answer)}")
    chromium.evaluate("document.querySelector('#grade').click()")
    _wait(
        chromium,
        f"document.querySelector('#feedback').textContent.startsWith({json.dumps(expected)})",
        f"the feedback {expected!r}",
    )


def test_a_practice_round(server: Server, session) -> None:
    chromium = session
    _open(chromium, server.url + "/")
    chromium.evaluate("document.querySelector('#family').value = 'product'")
    chromium.evaluate("document.querySelector('#difficulty').value = '2'")
    chromium.evaluate("document.querySelector('#new-problem').click()")
    _wait(chromium, "!document.querySelector('#problem-box').hidden", "the problem")
    # The address bar is the problem's link: its seed draws the problem shown.
    search = _wait(chromium, "location.search.includes('seed=') && location.search", "a link")
    query = parse_qs(search[1:])
    assert (query["practice"], query["difficulty"]) == (["product"], ["2"])
    drawn = problem("product", 2, int(query["seed"][0]))
    assert _text(chromium, "#problem math") == _math_text(drawn.expr)
    _grade(chromium, _answer(drawn.text) + " + 1", "Not quite")
    assert chromium.evaluate("document.querySelector('#answer-report li.first-error') !== null")
    _grade(chromium, _answer(drawn.text), "Right")
    chromium.evaluate("document.querySelector('#show-steps').click()")
    _wait(chromium, "document.querySelector('#practice-steps section.step') !== null", "steps")


def test_a_practice_link_draws_its_problem_and_ctrl_enter_grades(server: Server, session) -> None:
    chromium = session
    _open(chromium, server.url + "/?practice=sigma&difficulty=3&seed=7")
    _wait(chromium, "!document.querySelector('#problem-box').hidden", "the problem")
    drawn = problem("sigma", 3, 7)
    assert _text(chromium, "#problem math") == _math_text(drawn.expr)
    assert chromium.evaluate("document.querySelector('#family').value") == "sigma"
    chromium.evaluate(
        f"document.querySelector('#answer').value = {json.dumps(_answer(drawn.text))}"
    )
    # Ctrl+Enter in the answer box grades it, as the button does.
    chromium.evaluate("document.querySelector('#answer').focus()")
    chromium.page(
        "Input.dispatchKeyEvent",
        type="keyDown",
        key="Enter",
        code="Enter",
        windowsVirtualKeyCode=13,
        modifiers=2,  # Ctrl
    )
    _wait(chromium, "document.querySelector('#feedback').textContent.startsWith('Right')", "right")


def test_screenshots_fit_a_phone_and_a_desktop(server: Server, session, tmp_path: Path) -> None:
    chromium = session
    keep = os.environ.get("SIGDERIV_SCREENSHOT")
    for width in (500, 1280):
        chromium.page(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        _open(chromium, server.url + "/?expr=" + quote("x^2 sin(x)"))
        _wait(chromium, "document.querySelectorAll('#plot-svg path.curve').length >= 2", "plot")
        # No horizontal page scroll: wide equations scroll inside their own box.
        assert chromium.evaluate("document.documentElement.scrollWidth") <= width
        x, y = _centre(chromium, "#plot-svg")
        chromium.page("Input.dispatchMouseEvent", type="mouseMoved", x=x + 40, y=y)
        _wait(chromium, "document.querySelector('#readout').textContent", "a readout")
        height = min(int(chromium.evaluate("document.documentElement.scrollHeight")), 2600)
        shot = (Path(keep) if keep else tmp_path) / f"serve-{width}.png"
        chromium.screenshot(shot, width, height)
        assert _png_size(shot) == (width, height)


def test_the_page_fetches_nothing_off_loopback(server: Server, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    with browser(CHROMIUM, tmp_path) as chromium:
        chromium.page("Page.enable")
        chromium.page("Runtime.enable")
        chromium.page("Log.enable")
        _open(chromium, server.url + "/?expr=" + quote("tanh(x)"))
        _wait(chromium, "document.querySelectorAll('#plot-svg path.curve').length >= 2", "plot")
        _open(chromium, server.url + "/?practice=sigma&difficulty=2&seed=1")
        _wait(chromium, "!document.querySelector('#problem-box').hidden", "the problem")
        complaints = [
            e["params"]
            for e in chromium.events
            if e.get("method") == "Runtime.exceptionThrown"
            or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
        ]
    # No script error, no Content-Security-Policy violation (Chromium logs those as errors).
    assert complaints == []
    requests = net_log_requests(tmp_path / "net-log.json")
    page = [r for r in requests if r.remote and not r.by_browser]
    assert any(r.url.startswith(server.url + "/api/plot") for r in page)
    assert all(r.url.startswith(server.url + "/") for r in page), page
