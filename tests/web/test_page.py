"""The page at / and its assets, and /api/practice, under FastAPI's TestClient."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from sigderiv.formats.html import STYLE
from sigderiv.grading.practice import FAMILIES, problem
from sigderiv.web.page import ASSETS, MAX_SEED

STATIC = resources.files("sigderiv.web") / "static"


class _Shell(HTMLParser):
    """The tags, attributes and script bodies of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)

    def by_id(self, ident: str) -> dict[str, str | None]:
        return next(attrs for _, attrs in self.tags if attrs.get("id") == ident)


def _shell(client: TestClient, url: str = "/") -> _Shell:
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    parsed = _Shell()
    parsed.feed(answer.text)
    return parsed


def test_the_shell_has_the_form_the_panels_and_one_module_script(client: TestClient) -> None:
    shell = _shell(client)
    ids = {attrs.get("id") for _, attrs in shell.tags}
    for needed in (
        "expr", "var", "order", "name", "preview", "parse-error", "steps", "plot-svg",
        "zoom-in", "zoom-out", "zoom-reset", "readout", "working", "check-report",
        "family", "difficulty", "new-problem", "answer", "show-steps", "feedback",
    ):  # fmt: skip
        assert needed in ids, needed
    scripts = [attrs for tag, attrs in shell.tags if tag == "script"]
    assert scripts == [{"type": "module", "src": scripts[0]["src"]}]
    assert scripts[0]["src"].startswith("/static/page.js")
    # Every input has a label.
    labelled = {attrs.get("for") for tag, attrs in shell.tags if tag == "label"}
    inputs = [a["id"] for t, a in shell.tags if t in ("input", "textarea", "select")]
    assert set(inputs) <= labelled
    # Results are announced.
    for live in ("preview", "status", "readout", "check-status", "feedback"):
        assert shell.by_id(live).get("aria-live") == "polite"


def test_without_script_the_page_says_what_to_do_instead(client: TestClient) -> None:
    text = client.get("/").text
    noscript = text[text.index("<noscript>") : text.index("</noscript>")]
    assert "sigderiv derive" in noscript and "-f html" in noscript


def test_no_inline_script_style_or_handler(client: TestClient) -> None:
    shell = _shell(client, "/?expr=x%5E2&practice=chain")
    assert shell.script_text == []
    for tag, attrs in shell.tags:
        assert tag != "style"
        assert "style" not in attrs, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_only_the_rendered_fragments_go_in_as_html() -> None:
    # User text is inserted with textContent; innerHTML is used in one function, for what the
    # server rendered (steps, MathML).
    uses = {
        entry.name: len(
            re.findall(r"\.(?:inner|outer)HTML\s*=|insertAdjacentHTML", entry.read_text())
        )
        for entry in STATIC.iterdir()
        if entry.name.endswith(".js")
    }
    assert uses.pop("api.js") == 1
    assert set(uses.values()) == {0}
    assert "eval(" not in "".join(e.read_text() for e in STATIC.iterdir() if e.name.endswith(".js"))


@pytest.mark.parametrize(
    ("asset", "media_type"),
    [
        ("page.js", "text/javascript; charset=utf-8"),
        ("plot.js", "text/javascript; charset=utf-8"),
        ("api.js", "text/javascript; charset=utf-8"),
        ("report.js", "text/javascript; charset=utf-8"),
        ("page.css", "text/css; charset=utf-8"),
        ("steps.css", "text/css; charset=utf-8"),
        ("favicon.svg", "image/svg+xml"),
    ],
)
def test_assets_are_served_with_their_types(
    client: TestClient, asset: str, media_type: str
) -> None:
    answer = client.get(f"/static/{asset}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == media_type
    assert answer.headers["x-content-type-options"] == "nosniff"
    if asset == "steps.css":
        assert answer.text == STYLE  # the HTML renderer's own palette and layout
    else:
        assert answer.content == (STATIC / asset).read_bytes()


def test_an_unchanged_asset_is_not_sent_again(client: TestClient) -> None:
    first = client.get("/static/plot.js")
    assert first.headers["cache-control"] == "no-cache"
    etag = first.headers["etag"]
    again = client.get("/static/plot.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/static/page.css", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_every_module_the_page_imports_is_served() -> None:
    for name, asset in ASSETS.items():
        if name.endswith(".js"):
            for imported in re.findall(r'from "\./([\w.-]+)"', asset.body.decode()):
                assert imported in ASSETS, (name, imported)
    assert "index.html" not in ASSETS  # the shell is served at / only


@pytest.mark.parametrize(
    "path", ["/static/nope.js", "/static/index.html", "/static/..%2Fpage.py", "/static/"]
)
def test_anything_else_under_static_is_not_found(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    if answer.headers["content-type"] == "application/json":
        assert set(answer.json()["error"]) == {"kind", "message", "position"}


@pytest.mark.parametrize(
    ("query", "values"),
    [
        ("?expr=x%5E2%20sin(x)", {"expr": "x^2 sin(x)", "var": "x", "order": "1", "name": ""}),
        ("?expr=sigmoid&var=t&order=3&name=g", {"expr": "sigmoid", "var": "t", "order": "3"}),
        ("?order=abc", {"order": "1"}),  # not a number: the default
        ('?expr="><script>alert(1)</script>', {"expr": '"><script>alert(1)</script>'}),
        ("", {"expr": "", "var": "x", "order": "1"}),
    ],
)
def test_a_share_link_prefills_the_form(
    client: TestClient, query: str, values: dict[str, str]
) -> None:
    shell = _shell(client, "/" + query)
    for field, value in values.items():
        assert shell.by_id(field).get("value") == value
    assert [tag for tag, _ in shell.tags].count("script") == 1  # the hostile one stays text


def test_a_practice_link_selects_its_family(client: TestClient) -> None:
    shell = _shell(client, "/?practice=sigma&difficulty=2&seed=5")
    options = [attrs for tag, attrs in shell.tags if tag == "option" and attrs["value"] in FAMILIES]
    assert [o["value"] for o in options] == list(FAMILIES)
    assert [o["value"] for o in options if "selected" in o] == ["sigma"]


def test_practice_draws_the_seeded_problem(client: TestClient) -> None:
    answer = client.get("/api/practice", params={"family": "chain", "difficulty": 2, "seed": 123})
    assert answer.status_code == 200
    body = answer.json()
    drawn = problem("chain", 2, 123)
    assert body["expr"] == drawn.text == "ln(x^2 + 8)"
    assert body["mathml"].startswith('<math display="block">') and "<mi>ln</mi>" in body["mathml"]
    assert body["latex"] == r"\ln\left(x^{2} + 8 \right)"
    assert (body["family"], body["difficulty"], body["seed"]) == ("chain", 2, 123)
    assert client.get("/api/practice?family=chain&difficulty=2&seed=123").json() == body


def test_practice_without_a_seed_gives_one_that_draws_it_again(client: TestClient) -> None:
    first = client.get("/api/practice", params={"family": "quotient", "difficulty": 3}).json()
    assert 0 <= first["seed"] <= MAX_SEED
    again = client.get(
        "/api/practice", params={"family": "quotient", "difficulty": 3, "seed": first["seed"]}
    )
    assert again.json() == first


@pytest.mark.parametrize(
    ("query", "status", "kind"),
    [
        ("family=nope", 400, "ParseError"),
        ("family=" + "x" * 41, 422, None),
        ("difficulty=0", 422, None),
        ("difficulty=4", 422, None),
        ("difficulty=two", 422, None),
        ("seed=-1", 422, None),
        (f"seed={MAX_SEED + 1}", 422, None),
        ("seed=1.5", 422, None),
    ],
)
def test_practice_refuses_bad_parameters(
    client: TestClient, query: str, status: int, kind: str | None
) -> None:
    answer = client.get("/api/practice?" + query)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert set(error) == {"kind", "message", "position"}
    if kind:
        assert error["kind"] == kind
        assert "power, product, quotient" in error["message"]
