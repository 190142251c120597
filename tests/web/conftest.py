"""The app under FastAPI's TestClient, bounded as a small server is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sigderiv.web.app import create_app
from sigderiv.web.settings import Settings


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The app with two workers, its lifespan run (the kept worker warmed up)."""
    with TestClient(create_app(Settings(workers=2, timeout=30.0))) as test_client:
        yield test_client
