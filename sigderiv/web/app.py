"""The ASGI application: the API's routes and the page's, under one FastAPI app."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from sigderiv._version import __version__
from sigderiv.web import api, errors, page
from sigderiv.web.cache import Answers
from sigderiv.web.middleware import Guard
from sigderiv.web.pool import Pool
from sigderiv.web.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application: /api/* and /healthz (web.api), / and /static (web.page).

    ``settings`` bound its pool, queue and requests; by default they come from the
    SIGDERIV_* environment variables (:meth:`Settings.from_env`).
    """
    chosen = (settings or Settings.from_env()).checked()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from sigderiv.engine.deriver import prepare
        from sigderiv.sandbox.bound import stop_worker

        prepare()  # the kept worker warms up while the server starts
        await asyncio.to_thread(warm_up)
        yield
        app.state.pool.close()
        stop_worker()

    app = FastAPI(
        title="sigderiv",
        version=__version__,
        summary="Derivatives step by step, every step proven by SymPy.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = chosen
    app.state.pool = Pool(chosen.workers, chosen.waiting)
    app.state.answers = Answers(chosen.cache)
    errors.install(app)
    app.add_middleware(Guard, max_body=chosen.max_body, log_input=chosen.log_input)
    app.include_router(api.router)
    app.include_router(page.router)
    return app


def warm_up() -> None:
    """Derive the worker's warm-up function here, once, then clear SymPy's cache.

    A worker forked for one request (all but the kept worker's) then starts with what SymPy
    imports on first use already loaded, instead of loading it on every request.
    """
    from sympy.core.cache import clear_cache

    from sigderiv.engine.deriver import WARM_UP, derive

    derive(WARM_UP, bounded=False)
    clear_cache()
