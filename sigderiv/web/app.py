"""The ASGI application: the API's routes and the page's, under one FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI

from sigderiv._version import __version__
from sigderiv.web import api, page


def create_app() -> FastAPI:
    """The application: /api/* and /healthz (web.api), / and /static (web.page)."""
    app = FastAPI(title="sigderiv", version=__version__, docs_url=None, redoc_url=None)
    app.include_router(api.router)
    app.include_router(page.router)
    return app
