"""The page: GET / (with ?expr=&var=&order= to open a derivation), its static assets, practice.

The assets are the package's own files (``sigderiv/web/static``), read once when this module
is imported and served from memory: no request reads a file, nothing comes from a CDN. The
steps' style is the HTML renderer's own (``sigderiv.formats.html.STYLE``), served as
``/static/steps.css``, so the page and ``sigderiv derive -f html`` look the same.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from html import escape
from importlib import resources
from string import Template
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from sigderiv._version import __version__
from sigderiv.errors import SigderivError
from sigderiv.formats.html import STYLE
from sigderiv.grading.practice import DIFFICULTIES, FAMILIES, FAMILY_TITLES, problem
from sigderiv.printing.latex import latex
from sigderiv.printing.mathml import mathml
from sigderiv.web.errors import answer, body

router = APIRouter()

#: The largest seed a practice link carries.
MAX_SEED = 2**31 - 1
#: The longest prefilled value the shell takes from a share link (longer ones are left out).
MAX_PREFILL = 2000

_MEDIA_TYPES = {
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "svg": "image/svg+xml",
}
# A browser keeps an asset and asks each time whether it changed (its ETag): an upgraded
# server's page never runs with an old module.
_CACHE = "no-cache"


@dataclass(frozen=True)
class Asset:
    """One static file of the page: its bytes and its media type."""

    body: bytes
    media_type: str

    @property
    def etag(self) -> str:
        """The asset's entity tag: a digest of its bytes."""
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


def _load_assets() -> tuple[str, dict[str, Asset]]:
    """The shell's template, and every asset by name: static/'s CSS and JS, and steps.css."""
    folder = resources.files("sigderiv.web") / "static"
    assets: dict[str, Asset] = {}
    for entry in folder.iterdir():
        suffix = entry.name.rsplit(".", 1)[-1]
        if suffix in _MEDIA_TYPES:
            assets[entry.name] = Asset(entry.read_bytes(), _MEDIA_TYPES[suffix])
    assets["steps.css"] = Asset(STYLE.encode(), _MEDIA_TYPES["css"])
    shell = (folder / "index.html").read_text(encoding="utf-8")
    return shell, assets


_SHELL, ASSETS = _load_assets()


def _prefill(value: str | None, default: str = "") -> str:
    """A share link's value for an input's value attribute: escaped, or the default if absent."""
    if value is None or len(value) > MAX_PREFILL:
        return escape(default)
    return escape(value, quote=True)


def _families(chosen: str | None) -> str:
    """The practice family <option>s, ``chosen`` selected."""
    return "\n".join(
        f'<option value="{name}"{" selected" if name == chosen else ""}>'
        f"{escape(FAMILY_TITLES[name])}</option>"
        for name in FAMILIES
    )


def shell(
    expr: str | None = None,
    var: str | None = None,
    order: str | None = None,
    name: str | None = None,
    practice: str | None = None,
) -> str:
    """Return the page's HTML, its form filled from a share link's parameters (escaped)."""
    return Template(_SHELL).substitute(
        version=escape(__version__),
        expr=_prefill(expr),
        var=_prefill(var, "x"),
        order=_prefill(order if order and order.isdigit() else None, "1"),
        name=_prefill(name),
        families=_families(practice),
    )


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page(
    expr: str | None = None,
    var: str | None = None,
    order: str | None = None,
    name: str | None = None,
    practice: str | None = None,
) -> HTMLResponse:
    """The page; a share link's parameters fill its form, and its script derives them."""
    return HTMLResponse(shell(expr, var, order, name, practice))


@router.get("/static/{asset}", include_in_schema=False)
def static(asset: str, request: Request) -> Response:
    """One of the page's assets (a fixed set held in memory), 304 if unchanged, or 404."""
    found = ASSETS.get(asset)
    if found is None:
        return JSONResponse(body("NotFound", f"no asset called {asset!r}"), status_code=404)
    headers = {"Cache-Control": _CACHE, "ETag": found.etag}
    if request.headers.get("if-none-match") == found.etag:
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)


@router.get("/api/practice")
def practice(
    family: Annotated[str, Query(max_length=40)] = "chain",
    difficulty: Annotated[int, Query(ge=min(DIFFICULTIES), le=max(DIFFICULTIES))] = 1,
    seed: Annotated[int | None, Query(ge=0, le=MAX_SEED)] = None,
) -> Any:
    """A practice problem of ``family`` at ``difficulty``; without a seed, a fresh one."""
    if seed is None:
        seed = random.SystemRandom().randint(0, MAX_SEED)
    try:
        drawn = problem(family, difficulty, seed)
    except SigderivError as error:
        return answer(error)
    return {
        "expr": drawn.text,
        "latex": latex(drawn.expr),
        "mathml": mathml(drawn.expr, block=True),
        "family": drawn.family,
        "difficulty": drawn.difficulty,
        "seed": drawn.seed,
        "title": FAMILY_TITLES[drawn.family],
    }
