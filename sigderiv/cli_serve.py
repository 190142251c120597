"""``sigderiv serve``: the page and its JSON API on uvicorn, bounded for a class.

Only this command loads the web layer: fastapi, uvicorn and :mod:`sigderiv.web` are imported
inside it, so every other command starts as fast as before (and works without the extra).
"""

from __future__ import annotations

import copy
from typing import Annotated, Any

import typer

from sigderiv.errors import SigderivError

#: What a missing web extra says.
MISSING = 'sigderiv serve needs the web extra: pip install "sigderiv[web]"'


def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar="ADDRESS",
            help="The address to listen on; 0.0.0.0 for "
            "every interface (a class on the same network).",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", help="The TCP port.", min=0, max=65535)
    ] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            metavar="N",
            help="Derivations at once, each in its bounded worker process (default: the cores).",
            min=1,
            show_default=False,
        ),
    ] = None,
    queue: Annotated[
        int | None,
        typer.Option(
            "--queue",
            metavar="N",
            help="Requests that may wait for a worker; past them the answer is 503 "
            "(default: 16 per worker).",
            min=0,
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Seconds one request's work may take; past it, 504.",
            min=0.01,
            max=3600,
        ),
    ] = 30.0,
    cache: Annotated[
        int,
        typer.Option(
            "--cache",
            metavar="N",
            help="Answers remembered, so a repeated request is not derived again (0: none).",
            min=0,
        ),
    ] = 256,
    log_input: Annotated[
        bool,
        typer.Option("--log-input", help="Log what users send (off: the log has no user's text)."),
    ] = False,
) -> None:
    """Serve the step-by-step page and its JSON API (http://127.0.0.1:8000 by default)."""
    try:
        import uvicorn

        from sigderiv.web.app import create_app
        from sigderiv.web.settings import Settings
    except ImportError:
        raise SigderivError(MISSING) from None
    pool = {"workers": workers} if workers is not None else {}
    chosen = Settings(**pool, queue=queue, timeout=timeout, cache=cache, log_input=log_input)
    chosen = chosen.checked()
    try:
        uvicorn.run(
            create_app(chosen),
            host=host,
            port=port,
            access_log=False,  # its lines hold the query, the user's text: web.middleware logs
            log_config=log_config(uvicorn.config.LOGGING_CONFIG),
            server_header=False,
        )
    except SystemExit as stopped:  # uvicorn could not start; it logged why just above
        if stopped.code not in (0, None):
            raise SigderivError(
                f"cannot serve on {host}:{port} (is the port in use? see the line above)"
            ) from None


def log_config(base: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's logging configuration, with sigderiv.web's request log beside its own."""
    config = copy.deepcopy(base)
    config["loggers"]["sigderiv.web"] = {"handlers": ["default"], "level": "INFO"}
    return config
