"""sigderiv serve: the step-by-step page and its JSON API as an ASGI application.

`uvicorn sigderiv.web:app` (or any ASGI host) runs it; `sigderiv serve` starts it on uvicorn.
Importing this package needs the `web` extra (`pip install "sigderiv[web]"`).
"""

from __future__ import annotations

from sigderiv.web.app import create_app

app = create_app()

__all__ = ["app", "create_app"]
