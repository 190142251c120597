"""The JSON API: derive, check, preview, plot samples and the health check."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The server is up."""
    return {"status": "ok"}
